/**
 * Policy config shared by the mandatory rules: the JSON schema the engine validates
 * `--policy-pack-config` against, and the typed reading of `args.getConfig()`.
 * Defaults are applied here too, because `getConfig()` only carries them when the engine filled
 * them in from the schema.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { TierKinds } from "./naming";

/**
 * What a mandatory rule does when the deployed state cannot be read: "deny" (the default), or a
 * time-boxed allowance with a reason (`unreadable.ts` checks it). The plain string "allow" of
 * earlier versions is refused with a message showing this form.
 */
export type UnreadableMode = "deny" | { readonly allow: { readonly reason?: unknown; readonly expires?: unknown } };

/** Break-glass override as written in the policy config; validated by `evaluateOverride`. */
export interface OverrideConfig {
    readonly reason?: unknown;
    readonly expires?: unknown;
    readonly cluster?: unknown;
    readonly tier?: unknown;
    readonly from?: unknown;
    readonly to?: unknown;
    readonly rules?: unknown;
}

/** Config of every mandatory rule. */
export interface PackConfig {
    /** "deny" (default): an unreadable baseline blocks; `{allow: {reason, expires}}`: advisory until then. */
    readonly baselineUnreadable?: UnreadableMode | "allow";
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
export const packSchemaProperties: PolicyConfigSchema["properties"] = {
    baselineUnreadable: {
        // A string or an object; the policy SDK's schema type has no oneOf, so each keyword below
        // applies to its own type only (pattern to strings; properties and required to objects).
        type: ["string", "object"],
        pattern: "^(deny|allow)$",
        properties: {
            allow: {
                type: "object",
                properties: { reason: { type: "string" }, expires: { type: "string" } },
                additionalProperties: false,
            },
        },
        required: ["allow"],
        additionalProperties: false,
        default: DefaultUnreadableMode,
        description:
            "What to do when the deployed state (Kubernetes API or render directory) cannot be read: " +
            `"deny" (block, the default), or {"allow": {"reason": "<why, who, ticket>", "expires": "<YYYY-MM-DD, at most ` +
            `${MaxOverrideDays} days ahead>"}} to report it as advisory until then. The plain string "allow" is no longer ` +
            "accepted (the rule stays mandatory and says so).",
    },
    override: {
        type: "object",
        description:
            `Break-glass for one change: {reason, expires (YYYY-MM-DD or ISO time, at most ${MaxOverrideDays} days ahead), ` +
            "cluster, tier, from and to (the exact replica transition, for replica rules), rules?}. While valid, the " +
            "violation about that cluster, tier and transition is reported as advisory.",
        properties: {
            reason: { type: "string" },
            expires: { type: "string" },
            cluster: { type: "string" },
            tier: { type: "string", enum: [...TierKinds] },
            from: { type: "integer", minimum: 0 },
            to: { type: "integer", minimum: 0 },
            rules: { type: "array", items: { type: "string" } },
        },
        additionalProperties: false,
    },
};

/** Reads `storeMinReplicas`: an integer of at least the default (3), else the default; it raises the floor, never lowers it. */
export function storeMinReplicas(config: { readonly storeMinReplicas?: unknown }): number {
    const v = config.storeMinReplicas;
    return typeof v === "number" && Number.isInteger(v) && v >= DefaultStoreMinReplicas ? v : DefaultStoreMinReplicas;
}
