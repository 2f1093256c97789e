/**
 * Zone discovery of a zone-aware tier (the stores): how the pod's start
 * script learns its node's `topology.kubernetes.io/zone` and rack, per
 * `store.topology.source` (`config-topology.ts`). Pure builders; the start
 * script's side is `zoneScript()`.
 *
 * - `podLabels`: env from the pod's own zone label, which the API server's
 *   PodTopologyLabels admission copies from the node onto the pod at binding
 *   (pods/binding; only `topology.kubernetes.io/zone` and `/region`).
 * - `nodeApi`: an init container runs `kubectl get node` with the pod's
 *   ServiceAccount (ClusterRole `get nodes`) and writes `zone=`/`rack=` lines
 *   to an emptyDir. The kubectl image has no shell: its base's `/go-runner`
 *   writes kubectl's stdout to the file (`-log-file`).
 * - `none`: nothing; the script reports zone `default`.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { TopologyConfig } from "../config-topology";
import { WellKnownLabels, statefulSetName, tierLabels, type TierKind } from "../labels";
import type { ClusterContext, TierProfile } from "./profile";

/** The node label with the node's zone (well-known, set by cloud providers). */
export const ZoneLabel = WellKnownLabels.zone;
/** Env var with the zone in `podLabels` mode. */
export const ZoneEnv = "ELASTICELL_ZONE";
/** Env var with the node name in `nodeApi` mode. */
export const NodeNameEnv = "NODE_NAME";
/** Where the `nodeApi` init container leaves `zone=<zone>` and `rack=<rack>` lines. */
export const TopologyDir = "/etc/elasticell/topology";
/** The file in `TopologyDir`. */
export const TopologyFile = "node";
/** The zone a store reports when none is known. */
export const UnknownZone = "default";

const TopologyVolume = "topology";

/** The zone discovery settings of a tier: only a zone-aware profile (the stores) has them. */
export function zoneTopology(
    profile: TierProfile,
    settings: { readonly topology?: TopologyConfig },
): TopologyConfig | undefined {
    return profile.zoneAware === true ? settings.topology : undefined;
}

/** kubectl's jsonpath needs the dots of a label key escaped. */
function jsonPathLabel(key: string): string {
    return `{.metadata.labels.${key.replace(/\./g, "\\.")}}`;
}

/** Env vars the start script reads its zone from. */
export function zoneEnv(topology: TopologyConfig | undefined): k8s.types.input.core.v1.EnvVar[] {
    switch (topology?.source) {
        case "podLabels":
            return [{ name: ZoneEnv, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ZoneLabel}']` } } }];
        case "nodeApi":
            return [{ name: NodeNameEnv, valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }];
        case "none":
        case undefined:
            return [];
    }
}

/** The `nodeApi` init container, which reads the node's zone and rack labels into `TopologyDir`. */
export function zoneInitContainers(
    topology: TopologyConfig | undefined,
    securityContext: k8s.types.input.core.v1.SecurityContext,
): k8s.types.input.core.v1.Container[] | undefined {
    if (topology?.source !== "nodeApi") {
        return undefined;
    }
    const template = `zone=${jsonPathLabel(ZoneLabel)}{"\\n"}rack=${jsonPathLabel(topology.rackLabel)}{"\\n"}`;
    return [
        {
            name: "node-topology",
            image: topology.nodeApiImage,
            command: [
                "/go-runner",
                `-log-file=${TopologyDir}/${TopologyFile}`,
                "-also-stdout=true",
                "-redirect-stderr=false",
                "/bin/kubectl",
                "get",
                "node",
                `$(${NodeNameEnv})`,
                `--cache-dir=${TopologyDir}/.kube-cache`,
                "-o",
                `jsonpath=${template}`,
            ],
            env: zoneEnv(topology),
            volumeMounts: [{ name: TopologyVolume, mountPath: TopologyDir }],
            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
            securityContext,
        },
    ];
}

/** Volumes of the zone discovery (the `nodeApi` emptyDir). */
export function zoneVolumes(topology: TopologyConfig | undefined): k8s.types.input.core.v1.Volume[] {
    return topology?.source === "nodeApi" ? [{ name: TopologyVolume, emptyDir: {} }] : [];
}

/** Mounts of the zone discovery in the main container (read-only). */
export function zoneMounts(topology: TopologyConfig | undefined): k8s.types.input.core.v1.VolumeMount[] {
    return topology?.source === "nodeApi" ? [{ name: TopologyVolume, mountPath: TopologyDir, readOnly: true }] : [];
}

/** The ServiceAccount a zone-aware tier runs as in `nodeApi` mode (`<cluster>-<tier>`); else none (the default one). */
export function zoneServiceAccountName(
    cluster: string,
    tier: TierKind,
    topology: TopologyConfig | undefined,
): string | undefined {
    return topology?.source === "nodeApi" ? statefulSetName(cluster, tier) : undefined;
}

/** A cluster-scoped name unique to one cluster's tier: `elasticell-<ns>-<cluster>-<tier>-nodes`. */
export function zoneClusterRoleName(ctx: ClusterContext, tier: TierKind): string {
    return `elasticell-${ctx.namespace}-${ctx.cluster}-${tier}-nodes`;
}

/** The objects `nodeApi` needs: a ServiceAccount, a ClusterRole that may `get` nodes, and its binding. */
export interface ZoneAccessManifests {
    readonly serviceAccount: { metadata: ZoneMetadata };
    readonly clusterRole: { metadata: ZoneMetadata; rules: k8s.types.input.rbac.v1.PolicyRule[] };
    readonly binding: {
        metadata: ZoneMetadata;
        roleRef: k8s.types.input.rbac.v1.RoleRef;
        subjects: k8s.types.input.rbac.v1.Subject[];
    };
}

/** Metadata of the zone access objects (cluster-scoped ones carry no namespace). */
export interface ZoneMetadata {
    readonly name: string;
    readonly namespace?: string;
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
}

/** Builds the `nodeApi` access objects of one tier. */
export function buildZoneAccess(args: {
    readonly ctx: ClusterContext;
    readonly tier: TierKind;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}): ZoneAccessManifests {
    const { ctx, tier } = args;
    const meta = (name: string, namespaced: boolean): ZoneMetadata => ({
        name,
        ...(namespaced ? { namespace: ctx.namespace } : {}),
        labels: tierLabels(ctx.cluster, tier, undefined, args.labels),
        annotations: { ...args.annotations },
    });
    const account = statefulSetName(ctx.cluster, tier);
    const role = zoneClusterRoleName(ctx, tier);
    return {
        serviceAccount: { metadata: meta(account, true) },
        // Nodes are cluster-scoped, so a Role cannot grant this; `get` only (no list, no watch).
        clusterRole: {
            metadata: meta(role, false),
            rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
        },
        binding: {
            metadata: meta(role, false),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
            subjects: [{ kind: "ServiceAccount", name: account, namespace: ctx.namespace }],
        },
    };
}

/**
 * The start script's part: sets `zone` and `rack` from whichever source the pod has (the
 * `nodeApi` file, else `ELASTICELL_ZONE`), falling back to `default` with a warning; rack = zone
 * when the node has no rack label.
 */
export function zoneScript(): string {
    const file = "${topology_file}";
    return [
        // TOPOLOGY_FILE overrides the path (tests).
        `topology_file="\${TOPOLOGY_FILE:-${TopologyDir}/${TopologyFile}}"`,
        `zone="\${${ZoneEnv}:-}"`,
        'rack=""',
        `if [ -r "${file}" ]; then`,
        // The last line wins: go-runner appends, and the init container may have run more than once.
        `  zone="$(sed -n 's/^zone=//p' "${file}" | tail -n 1)"`,
        `  rack="$(sed -n 's/^rack=//p' "${file}" | tail -n 1)"`,
        "fi",
        'if [ -z "${zone}" ]; then',
        `  echo "no zone known for this pod's node (store.topology.source); reporting zone ${UnknownZone}" >&2`,
        `  zone="${UnknownZone}"`,
        "fi",
        'if [ -z "${rack}" ]; then',
        '  rack="${zone}"',
        "fi",
        'echo "zone=${zone} rack=${rack}"',
    ].join("\n");
}
