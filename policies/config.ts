/**
 * Policy config shared by the mandatory rules: the JSON schema the engine validates
 * `--policy-pack-config` against, and the typed reading of `args.getConfig()`.
 * Defaults are applied here too, because `getConfig()` only carries them when the engine filled
 * them in from the schema.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** What a mandatory rule does when the deployed state cannot be read. */
export type UnreadableMode = "deny" | "allow";

/** Break-glass override as written in the policy config; validated by `evaluateOverride`. */
export interface OverrideConfig {
    readonly reason?: unknown;
    readonly expires?: unknown;
    readonly rules?: unknown;
}

/** Config of every mandatory rule. */
export interface GuardConfig {
    /** `deny` (default): an unreadable baseline blocks. `allow`: it is reported as advisory. */
    readonly baselineUnreadable?: UnreadableMode;
    /** Break-glass override; see `override.ts`. */
    readonly override?: OverrideConfig;
}

/** Default of `baselineUnreadable`. */
export const DefaultUnreadableMode: UnreadableMode = "deny";
/** Default of `storeMinReplicas`: a cell is a raft group of 3 replicas on distinct stores. */
export const DefaultStoreMinReplicas = 3;
/** How far ahead an override may expire. */
export const MaxOverrideDays = 7;

/** Schema properties shared by the mandatory rules. */
export const guardSchemaProperties: PolicyConfigSchema["properties"] = {
    baselineUnreadable: {
        type: "string",
        enum: ["deny", "allow"],
        default: DefaultUnreadableMode,
        description:
            "What to do when the deployed state (Kubernetes API or render directory) cannot be read: " +
            "deny (block, the default) or allow (report as advisory).",
    },
    override: {
        type: "object",
        description:
            `Break-glass: {reason, expires (YYYY-MM-DD or ISO time, at most ${MaxOverrideDays} days ahead), ` +
            "rules?}. While valid, this rule's violations are reported as advisory.",
        properties: {
            reason: { type: "string" },
            expires: { type: "string" },
            rules: { type: "array", items: { type: "string" } },
        },
        additionalProperties: false,
    },
};

/** Reads `baselineUnreadable`, falling back to the default for anything but "allow". */
export function unreadableMode(config: GuardConfig): UnreadableMode {
    return config.baselineUnreadable === "allow" ? "allow" : DefaultUnreadableMode;
}

/** Reads `storeMinReplicas`: a positive integer, else the default. */
export function storeMinReplicas(config: { readonly storeMinReplicas?: unknown }): number {
    const v = config.storeMinReplicas;
    return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : DefaultStoreMinReplicas;
}
