/**
 * Label keys, label sets and derived names for every object of a cluster.
 * One function per derived name, so limits are checked in one place.
 */

/*
 * The keys, values and names both the program and the policy pack rely on have one definition: the
 * pack's naming module (the pack is self-contained and never imports from components/, so the program
 * imports from it). `test/policies/core/naming.test.ts` checks the rendered objects against it.
 */
export {
    AppName,
    LabelKeys,
    ManagedBy,
    pdClientServiceName,
    peerServiceName,
    StackAnnotation,
    statefulSetName,
    TierKinds,
    type TierKind,
} from "../policies/core/naming";
import * as naming from "../policies/core/naming";

/** Well-known Kubernetes label keys the program schedules and selects by. */
export const WellKnownLabels = {
    /** A node's host name: a tier's pod anti-affinity spreads its pods over nodes by it. */
    hostname: "kubernetes.io/hostname",
    /** A node's zone (set by cloud providers): a tier's zone spread, and each store's zone. */
    zone: "topology.kubernetes.io/zone",
    /** Every namespace's own name (Kubernetes 1.22+): selects one namespace by name. */
    namespaceName: "kubernetes.io/metadata.name",
} as const;

/** The provider's annotation that takes fields over from another field manager (`kubectl scale`, a controller). */
export const PatchForceAnnotation = "pulumi.com/patchForce";

/** Longest StatefulSet name: the pod's `controller-revision-hash` label adds 11 characters (kubernetes/kubernetes#64023). */
export const MaxStatefulSetName = 52;
/** Longest DNS-1035 label (Service names, pod host names). */
export const MaxDnsLabel = 63;

/**
 * Highest replica count of each tier; config refuses more (and the longest pod name follows from it).
 * - `pd` 7: PD embeds etcd, whose documented cluster sizes are 3, 5 or 7 members; more members make
 *   every write wait for more acknowledgements and add no fault tolerance anyone needs.
 * - `store` 300: the largest Store count this program is exercised at (the benchmark's largest size,
 *   bench/sizes.ts). Stores only ever scale out in one step: going down is a drain of one store at a
 *   time, so a mistyped count (3000 for 300) would cost thousands of drains to undo.
 * - `proxy` 100: proxies are stateless and scale both ways; the ceiling only catches a mistyped
 *   count before it asks for hundreds of pods that each hold connections to PD and every store.
 */
export const ReplicaCeiling = { pd: 7, store: 300, proxy: 100 } as const satisfies Record<naming.TierKind, number>;

/** What an object belongs to: a tier, or the cluster's admission guard. */
export type Component = naming.TierKind | "guard";

/** The stable selector of one tier: never carries a version, since StatefulSet selectors are immutable. */
export function tierSelector(cluster: string, tier: Component): Record<string, string> {
    return {
        [naming.LabelKeys.name]: naming.AppName,
        [naming.LabelKeys.instance]: cluster,
        [naming.LabelKeys.component]: tier,
    };
}

/** All labels of a tier's objects: the selector plus descriptive labels and the user's extra labels. */
export function tierLabels(
    cluster: string,
    tier: Component,
    version: string | undefined,
    extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
    return {
        ...extra,
        ...tierSelector(cluster, tier),
        [naming.LabelKeys.managedBy]: naming.ManagedBy,
        [naming.LabelKeys.partOf]: naming.AppName,
        ...(version === undefined ? {} : { [naming.LabelKeys.version]: version }),
    };
}

/** Redis entry Service of the proxies (`<cluster>-cell`, port 6379). */
export function redisServiceName(cluster: string): string {
    return `${cluster}-cell`;
}

/** ConfigMap holding a tier's start script (and the proxy's config). */
export function configMapName(cluster: string, tier: naming.TierKind): string {
    return `${cluster}-${tier}`;
}

/** Name (and host name) of one pod of a tier: `<cluster>-store-0`. */
export function podName(cluster: string, tier: naming.TierKind, ordinal: number): string {
    return `${naming.statefulSetName(cluster, tier)}-${ordinal}`;
}

/** How messages name a namespaced object (`<namespace>/<name>`, as kubectl does): the pack's one formatter. */
export { objectRef } from "../policies/core/subject";

/** In-cluster DNS name of a Service: `<service>.<ns>.svc`. */
export function serviceHost(service: string, namespace: string): string {
    return `${service}.${namespace}.svc`;
}

/** Stable DNS name of one pod: `<cluster>-pd-0.<cluster>-pd-peer.<ns>.svc`. */
export function podFqdn(cluster: string, tier: naming.TierKind, ordinal: number, namespace: string): string {
    return `${podName(cluster, tier, ordinal)}.${serviceHost(naming.peerServiceName(cluster, tier), namespace)}`;
}

/**
 * Every object name derived from a cluster name, with the limit it must fit: StatefulSets 52 (their
 * pods' `controller-revision-hash` label is `<name>-<10-character hash>`), Services 63 (DNS-1035
 * labels), pods 63 at the tier's highest ordinal (`ReplicaCeiling`).
 */
export function derivedNames(cluster: string): { name: string; limit: number; what: string }[] {
    const names: { name: string; limit: number; what: string }[] = [];
    for (const tier of naming.TierKinds) {
        names.push({ name: naming.statefulSetName(cluster, tier), limit: MaxStatefulSetName, what: "StatefulSet" });
    }
    for (const tier of naming.TierKinds) {
        names.push({ name: naming.peerServiceName(cluster, tier), limit: MaxDnsLabel, what: "headless Service" });
    }
    names.push({ name: naming.pdClientServiceName(cluster), limit: MaxDnsLabel, what: "Service" });
    names.push({ name: redisServiceName(cluster), limit: MaxDnsLabel, what: "Service" });
    // The pod name is its host name and the statefulset.kubernetes.io/pod-name label value: 63 at most.
    for (const tier of naming.TierKinds) {
        names.push({
            name: podName(cluster, tier, ReplicaCeiling[tier] - 1),
            limit: MaxDnsLabel,
            what: "pod (highest ordinal)",
        });
    }
    return names;
}
