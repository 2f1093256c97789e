/**
 * What the shared tier builder (`spec.ts`) and its parts (`container.ts`, `volumes.ts`) take for
 * one tier: the resolved settings, derived from the config schema.
 */
import type { ProxyConfig, StoreConfig } from "../config";
import type { ClusterContext, TierProfile } from "./profile";

/**
 * Scheduling and sizing of one tier, as validated by the config schema (derived from it, never
 * retyped): the fields every tier shares, plus the volume of the tiers whose profile has storage.
 */
export type TierSettings = Omit<ProxyConfig, "service" | "supportedCommands"> & {
    readonly supportedCommands?: ProxyConfig["supportedCommands"];
    readonly storage?: StoreConfig["storage"];
    readonly topology?: StoreConfig["topology"];
};

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
