/**
 * The shared tier builder (`components/tier/spec.ts`) fed from raw stack config, as `CellCluster`
 * feeds it, and typed views of what it returns, for the builder tests.
 */
import type * as k8s from "@pulumi/kubernetes";
import { parseStackConfig, type StackConfig } from "../../components/config";
import { pdProfile } from "../../components/pd";
import { proxyProfile } from "../../components/proxy";
import { storeProfile } from "../../components/store";
import type { ClusterContext, TierProfile } from "../../components/tier/profile";
import { buildTier, scriptFileName, type TierManifests, type TierSpecArgs } from "../../components/tier/spec";
import { tierServiceSettings } from "../../components/cluster-args";

/** The cluster the builder tests build for. */
export const testCtx: ClusterContext = { cluster: "demo", namespace: "ns1", pdReplicas: 3 };

/** The three profiles, by tier. */
export const profiles = { pd: pdProfile, store: storeProfile, proxy: proxyProfile } as const;

/** The builder's arguments for one tier from raw stack config (defaults applied), as `CellCluster` passes them. */
export function tierArgs(profile: TierProfile, raw: unknown = {}, ctx: ClusterContext = testCtx): TierSpecArgs {
    const cfg: StackConfig = parseStackConfig(raw);
    return {
        profile,
        ctx,
        settings: cfg[profile.kind],
        timezone: cfg.timezone,
        labels: cfg.labels,
        annotations: cfg.annotations,
        service: tierServiceSettings(profile.kind, cfg),
    };
}

/** Builds one tier from raw stack config. */
export function buildFromConfig(profile: TierProfile, raw: unknown = {}, ctx: ClusterContext = testCtx): TierManifests {
    return buildTier(tierArgs(profile, raw, ctx));
}

/**
 * The builder returns plain values typed as `pulumi.Input`s; the tests read them as the plain
 * objects they are (the SDK's output types: the same shapes, resolved).
 */
export function podTemplate(m: TierManifests): k8s.types.output.core.v1.PodTemplateSpec {
    return m.statefulSet.spec.template as unknown as k8s.types.output.core.v1.PodTemplateSpec;
}

/** The pod spec of a tier's StatefulSet. */
export function podSpec(m: TierManifests): k8s.types.output.core.v1.PodSpec {
    return podTemplate(m).spec;
}

/** The tier's one (main) container. */
export function mainContainer(m: TierManifests): k8s.types.output.core.v1.Container {
    const [container] = podSpec(m).containers;
    if (container === undefined) {
        throw new Error(`${m.statefulSet.metadata.name} has no container`);
    }
    return container;
}

/** The StatefulSet spec, as plain values. */
export function statefulSetSpec(m: TierManifests): k8s.types.output.apps.v1.StatefulSetSpec {
    return m.statefulSet.spec as unknown as k8s.types.output.apps.v1.StatefulSetSpec;
}

/** A tier's start script. */
export function startScript(m: TierManifests, profile: TierProfile): string {
    const text = m.configMap.data[scriptFileName(profile)];
    if (text === undefined) {
        throw new Error(`${m.configMap.metadata.name} has no start script`);
    }
    return text;
}

/** The names of the main container's env vars. */
export function envNames(m: TierManifests): string[] {
    return mainContainer(m).env.map((e) => e.name);
}

/** The proxy's JSON config (`proxy-config.json`), the fields the tests read. */
export interface ProxyJson {
    readonly addr: string;
    readonly addrNotify: string;
    readonly pdAddrs: string[];
    readonly supportCMDs: string[];
}

/** The proxy's JSON config in a tier's ConfigMap. */
export function proxyJson(m: TierManifests): ProxyJson {
    const text = m.configMap.data["proxy-config.json"];
    if (text === undefined) {
        throw new Error(`${m.configMap.metadata.name} has no proxy-config.json`);
    }
    return JSON.parse(text) as ProxyJson;
}
