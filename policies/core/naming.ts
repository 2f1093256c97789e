/**
 * Every name, port, label and annotation the pack derives for an elasticell cluster, in one module.
 * The pack stays self-contained (a policy pack is installed and run on its own, STYLE.md), so the
 * program imports the keys and names they share from here (components/labels.ts) instead of copying.
 * `test/policies/core/naming.test.ts` renders a cluster under Pulumi mocks and fails when this
 * module and the rendered objects drift apart.
 */

/** `app.kubernetes.io/*` keys carried by every object of a cluster. */
export const LabelKeys = {
    name: "app.kubernetes.io/name",
    instance: "app.kubernetes.io/instance",
    component: "app.kubernetes.io/component",
    managedBy: "app.kubernetes.io/managed-by",
    partOf: "app.kubernetes.io/part-of",
    version: "app.kubernetes.io/version",
} as const;

/** Annotation naming the Pulumi stack that owns a StatefulSet (`<project>/<stack>`). */
export const StackAnnotation = "elasticell.io/pulumi-stack";

/** The PD container's env var holding its `--initial-cluster` (`name=url,...`). */
export const PdMembersEnv = "PD_INITIAL_CLUSTER";

/** Value of `app.kubernetes.io/name` on every object. */
export const AppName = "elasticell";

/** Value of `app.kubernetes.io/managed-by`. */
export const ManagedBy = "pulumi";

/** The three tiers, in start order. */
export const TierKinds = ["pd", "store", "proxy"] as const;
/** One of the three tiers. */
export type TierKind = (typeof TierKinds)[number];

/** Tiers whose StatefulSet holds data: losing one loses the cluster. */
export const StatefulTiers = ["pd", "store"] as const satisfies readonly TierKind[];

/** PD's ports: the client port of its Service (the HTTP API under /pd/api/v1/) and the etcd peer port. */
export const PdPorts = { client: 2379, peer: 2380 } as const;

/** The Store port a store registers with PD (`<pod>.<peer Service>.<ns>.svc:<raft>`). */
export const StorePorts = { raft: 10800 } as const;

/** A StatefulSet ordinal as Kubernetes writes it in names: no sign, no leading zero. */
export const OrdinalPattern = "(0|[1-9][0-9]*)";

/** StatefulSet name of a tier: `<cluster>-pd`, `<cluster>-store`, `<cluster>-proxy`. */
export function statefulSetName(cluster: string, tier: TierKind): string {
    return `${cluster}-${tier}`;
}

/** Headless Service giving a tier's pods their DNS names: `<cluster>-<tier>-peer`. */
export function peerServiceName(cluster: string, tier: TierKind): string {
    return `${statefulSetName(cluster, tier)}-peer`;
}

/** PD's client Service (`<cluster>-pd`, port `PdPorts.client`). */
export function pdClientServiceName(cluster: string): string {
    return `${cluster}-pd`;
}

/** Name of the pod of StatefulSet `statefulSet` at `ordinal`: `<statefulset>-<ordinal>`. */
export function podName(statefulSet: string, ordinal: number): string {
    return `${statefulSet}-${ordinal}`;
}

/** Name of the PVC that template `template` of StatefulSet `statefulSet` makes for `ordinal`. */
export function claimName(template: string, statefulSet: string, ordinal: number): string {
    return `${template}-${podName(statefulSet, ordinal)}`;
}

/** `s` with every regular-expression metacharacter escaped. */
export function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches the PVC names of `statefulSet` made by one of `templates`; group 1 is the ordinal. */
export function claimNamePattern(statefulSet: string, templates: readonly string[]): RegExp {
    const names = templates.map(escapeRegExp).join("|");
    return new RegExp(`^(?:${names})-${escapeRegExp(statefulSet)}-${OrdinalPattern}$`);
}

/**
 * Matches the addresses Store pods register with PD for one cluster and namespace
 * (`<cluster>-store-<i>.<cluster>-store-peer.<ns>[.svc[.<domain>]]:<raft>`); group 1 is the ordinal.
 */
export function storeAddressPattern(cluster: string, namespace: string): RegExp {
    const sts = escapeRegExp(statefulSetName(cluster, "store"));
    const peer = escapeRegExp(peerServiceName(cluster, "store"));
    const ns = escapeRegExp(namespace);
    return new RegExp(`^${sts}-${OrdinalPattern}\\.${peer}\\.${ns}(\\.svc(\\.[a-z0-9.-]+)?)?:${StorePorts.raft}$`);
}

/** The stable selector of one tier (name + instance + component). */
export function tierSelector(cluster: string, tier: TierKind): Record<string, string> {
    return {
        [LabelKeys.name]: AppName,
        [LabelKeys.instance]: cluster,
        [LabelKeys.component]: tier,
    };
}

/** Resource type tokens the rules look at. */
export const ResourceTypes = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    provider: "pulumi:providers:kubernetes",
} as const;
