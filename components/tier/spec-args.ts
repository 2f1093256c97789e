/**
 * What the shared tier builder (`spec.ts`) and its parts (`container.ts`, `volumes.ts`) take for
 * one tier: the resolved settings, derived from the config schema.
 */
import type { PdConfig, ProxyConfig, StoreConfig } from "../config";
import type { ClusterContext, TierProfile } from "./profile";

/** The config keys every tier has (the schema's shared tier fields). */
type SharedKey = keyof PdConfig & keyof StoreConfig & keyof ProxyConfig;

/**
 * Scheduling and sizing of one tier, as validated by the config schema (derived from it, never
 * retyped): the fields every tier shares, plus those only some tiers have (the volume of PD and
 * Store, the stores' zone discovery, the proxies' command list), absent on the others.
 */
export type TierSettings = Pick<PdConfig | StoreConfig | ProxyConfig, SharedKey> &
    Partial<Pick<StoreConfig, "storage" | "topology">> &
    Partial<Pick<ProxyConfig, "supportedCommands">>;

/** Options of a tier's client Service (the proxies' Redis Service). */
export type ServiceSettings = ProxyConfig["service"];

/** Everything the builder needs for one tier. */
export interface TierSpecArgs {
    readonly profile: TierProfile;
    readonly ctx: ClusterContext;
    readonly settings: TierSettings;
    readonly timezone: string;
    /** Extra labels for every object (never in selectors). */
    readonly labels: Readonly<Record<string, string>>;
    /** Extra annotations for every object. */
    readonly annotations: Readonly<Record<string, string>>;
    readonly service?: ServiceSettings;
}
