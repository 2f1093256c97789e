/**
 * The label contract of elasticell objects, copied from `components/labels.ts` so the pack stays
 * self-contained (a policy pack is installed and run on its own). `test/policies/labels.test.ts`
 * fails when the two copies drift apart.
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

/** The PD container's env var holding its `--initial-cluster` (`components/pd.ts`). */
export const PdMembersEnv = "PD_INITIAL_CLUSTER";

/** Value of `app.kubernetes.io/name` on every object. */
export const AppName = "elasticell";

/** Value of `app.kubernetes.io/managed-by`. */
export const ManagedBy = "pulumi";

/** The three tiers, in start order. */
export const TierKinds = ["pd", "store", "proxy"] as const;
export type TierKind = (typeof TierKinds)[number];

/** Tiers whose StatefulSet holds data: losing one loses the cluster. */
export const StatefulTiers = ["pd", "store"] as const satisfies readonly TierKind[];

/** StatefulSet name of a tier: `<cluster>-pd`, `<cluster>-store`, `<cluster>-proxy`. */
export function statefulSetName(cluster: string, tier: TierKind): string {
    return `${cluster}-${tier}`;
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
    provider: "pulumi:providers:kubernetes",
} as const;
