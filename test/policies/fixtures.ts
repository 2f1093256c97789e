/**
 * Fixtures for the policy tests: valid elasticell StatefulSet inputs per the label contract,
 * deployed objects, and rule dependencies wired to an in-memory baseline.
 */
import type { Target, BaselineResolver } from "../../policies/baseline/resolve";
import {
    deployedFromManifest,
    type Baseline,
    type DeployedClaim,
    type DeployedPod,
    type DeployedStatefulSet,
} from "../../policies/baseline/types";
import { MemoryBaseline } from "./baseline/memory";
import type { RunContext } from "../../policies/core/engine-context";
import type { RuleDeps } from "../../policies/core/mandatory-rule";
import type { TierKind } from "../../policies/core/naming";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policies/core/sdk";
import { StatefulSet } from "../../policies/core/statefulset";
import { validateResource, validateStack, type Violation } from "../helpers/policy";
import type { ClaimTemplateFixture, ContainerFixture, PdbFixture, StatefulSetFixture } from "./fixture-types";

export type { ClaimTemplateFixture, ContainerFixture, PdbFixture, StatefulSetFixture } from "./fixture-types";

/** The three tiers, in start order. */
export const Tiers = ["pd", "store", "proxy"] as const;

/** The valid StatefulSet of each tier. */
export function validTiers(): StatefulSetFixture[] {
    return Tiers.map((t) => statefulSet(t));
}

/** Runs a resource policy on one StatefulSet. */
export function checkStatefulSet(policy: ResourceValidationPolicy, props: StatefulSetFixture): Promise<Violation[]> {
    return validateResource(policy, { resourceClass: StatefulSet, props });
}

/** Runs a stack policy over StatefulSets, each registered under its own name. */
export function checkStatefulSets(
    policy: StackValidationPolicy,
    props: readonly StatefulSetFixture[],
): Promise<Violation[]> {
    return validateStack(policy, {
        resources: props.map((p) => ({ resourceClass: StatefulSet, props: p, name: p.metadata.name ?? "res" })),
    });
}

/** Fixed "now" of the tests: 2025-03-10T12:00:00Z. */
export const Now = new Date("2025-03-10T12:00:00Z");

/** Cluster, namespace and stack of the fixtures. */
export const Cluster = "demo";
export const Namespace = "prod";
export const StackId = "elasticell/dev";

const images: Record<TierKind, string> = {
    pd: "deepfabric/pd:v1.2.0",
    store: "deepfabric/cell:v1.2.0",
    proxy: "deepfabric/proxy:v1.2.0",
};
const defaultReplicas: Record<TierKind, number> = { pd: 3, store: 3, proxy: 1 };

/** PD's `--initial-cluster` for `replicas` members, as `components/pd.ts` renders it. */
export function pdMembers(replicas: number, cluster = Cluster, namespace = Namespace): string {
    return Array.from(
        { length: replicas },
        (_, i) => `${cluster}-pd-${i}=http://${cluster}-pd-${i}.${cluster}-pd-peer.${namespace}.svc:2380`,
    ).join(",");
}

/** Valid StatefulSet inputs of one tier, as the program renders them. */
export function statefulSet(
    tier: TierKind,
    replicas = defaultReplicas[tier],
    cluster = Cluster,
    namespace = Namespace,
): StatefulSetFixture {
    const selector = {
        "app.kubernetes.io/name": "elasticell",
        "app.kubernetes.io/instance": cluster,
        "app.kubernetes.io/component": tier,
    };
    const labels = {
        ...selector,
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/part-of": "elasticell",
        "app.kubernetes.io/version": "v1.2.0",
    };
    const storage =
        tier === "proxy"
            ? {}
            : {
                  volumeClaimTemplates: [
                      {
                          metadata: { name: tier },
                          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
                      },
                  ],
                  persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
              };
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: {
            name: `${cluster}-${tier}`,
            namespace,
            labels,
            annotations: { "elasticell.io/pulumi-stack": StackId },
        },
        spec: {
            replicas,
            selector: { matchLabels: selector },
            serviceName: `${cluster}-${tier}-peer`,
            podManagementPolicy: "Parallel",
            template: {
                metadata: { labels, annotations: { "elasticell.io/config-hash": `${tier}-hash-1` } },
                spec: {
                    containers: [
                        {
                            name: tier,
                            image: images[tier],
                            command: ["/bin/sh", `/etc/elasticell/${tier}_start_script.sh`],
                            env: [
                                { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                { name: "CLUSTER_NAME", value: cluster },
                                ...(tier === "pd"
                                    ? [{ name: "PD_INITIAL_CLUSTER", value: pdMembers(replicas, cluster, namespace) }]
                                    : []),
                            ],
                            resources: { requests: { cpu: "500m", memory: "1Gi" } },
                        },
                    ],
                },
            },
            ...storage,
        },
    };
}

/** The first (main) container of a fixture StatefulSet; every tier renders one. */
export function mainContainer(sts: StatefulSetFixture): ContainerFixture {
    const c = sts.spec.template.spec.containers[0];
    if (c === undefined) {
        throw new Error("the fixture has no container");
    }
    return c;
}

/** The first volumeClaimTemplate of a fixture StatefulSet (PD and Store render one each). */
export function claimTemplate(sts: StatefulSetFixture): ClaimTemplateFixture {
    const t = sts.spec.volumeClaimTemplates?.[0];
    if (t === undefined) {
        throw new Error("the fixture has no volumeClaimTemplate");
    }
    return t;
}

/** A PodDisruptionBudget for one tier, as the program renders it. */
export function pdb(tier: TierKind, cluster = Cluster, namespace = Namespace): PdbFixture {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: `${cluster}-${tier}`, namespace },
        spec: {
            maxUnavailable: 1,
            selector: {
                matchLabels: {
                    "app.kubernetes.io/name": "elasticell",
                    "app.kubernetes.io/instance": cluster,
                    "app.kubernetes.io/component": tier,
                },
            },
        },
    };
}

/** A StatefulSet manifest read as the baseline reads it. */
function read(manifest: StatefulSetFixture): DeployedStatefulSet {
    const sts = deployedFromManifest(manifest);
    if (sts === undefined) {
        throw new Error("the fixture is not a StatefulSet");
    }
    return sts;
}

/** The deployed object of one tier: the valid fixture as rendered (no API defaults), owned by `owner`. */
export function deployed(
    tier: TierKind,
    replicas: number,
    cluster = Cluster,
    namespace = Namespace,
    owner = StackId,
): DeployedStatefulSet {
    return {
        ...read(statefulSet(tier, replicas, cluster, namespace)),
        annotations: { "elasticell.io/pulumi-stack": owner },
    };
}

/**
 * StatefulSet inputs as the API server returns them: with the defaults it fills in (the default
 * storage class, `volumeMode`, `fieldRef.apiVersion`, `terminationMessagePath`, ...).
 */
export function withApiDefaults(manifest: StatefulSetFixture, storageClass = "standard"): StatefulSetFixture {
    return edited(manifest, (m) => {
        for (const t of m.spec.volumeClaimTemplates ?? []) {
            t.spec.storageClassName ??= storageClass;
            t.spec.volumeMode = "Filesystem";
            t.status = { phase: "Pending" };
        }
        for (const c of m.spec.template.spec.containers) {
            c.terminationMessagePath = "/dev/termination-log";
            c.imagePullPolicy ??= "IfNotPresent";
            for (const e of c.env ?? []) {
                if (e.valueFrom?.fieldRef !== undefined) {
                    e.valueFrom.fieldRef.apiVersion = "v1";
                }
            }
        }
        m.spec.template.spec.restartPolicy = "Always";
        m.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    });
}

/** The deployed object read back from the API server (`withApiDefaults`), owned by this stack. */
export function live(
    tier: TierKind,
    replicas: number,
    edit: (m: StatefulSetFixture) => void = () => {},
): DeployedStatefulSet {
    return read(edited(withApiDefaults(statefulSet(tier, replicas)), edit));
}

/** A pod of the fixture cluster: Ready and Running unless `state` says otherwise. */
export function pod(
    tier: TierKind,
    ordinal: number,
    state: Partial<Omit<DeployedPod, "name" | "namespace" | "labels">> = {},
): DeployedPod {
    return {
        namespace: Namespace,
        name: `${Cluster}-${tier}-${ordinal}`,
        labels: statefulSet(tier).spec.selector.matchLabels,
        phase: "Running",
        ready: true,
        deleting: false,
        ...state,
    };
}

/** A resolver answering every target with one baseline, recording the targets asked for. */
export class FixedResolver implements BaselineResolver {
    readonly targets: Target[] = [];
    constructor(readonly baseline: Baseline) {}
    baselineFor(target: Target): Baseline {
        this.targets.push(target);
        return this.baseline;
    }
}

/** Rule dependencies over an in-memory baseline, a fixed clock and a fixed run context. */
export function memoryDeps(
    baseline: Baseline = new MemoryBaseline(),
    context: RunContext = { project: "elasticell", stack: "dev", dryRun: true, source: "test" },
    now: Date = Now,
): RuleDeps & { resolver: FixedResolver } {
    return {
        resolver: new FixedResolver(baseline),
        now: () => now,
        context: () => context,
        projectDir: () => "/project",
    };
}

/** Returns a deep copy of `obj` with `edit` applied: one broken field per case. */
export function edited<T>(obj: T, edit: (copy: T) => void): T {
    const copy = structuredClone(obj);
    edit(copy);
    return copy;
}

/** A valid override for `rule`, expiring two days after `Now`. */
export function validOverride(
    scope: { readonly tier: TierKind; readonly from?: number; readonly to?: number; readonly cluster?: string },
    rules?: string[],
): Record<string, unknown> {
    return {
        reason: "INC-42: restore PD after disk loss",
        expires: "2025-03-12",
        cluster: scope.cluster ?? Cluster,
        tier: scope.tier,
        ...(scope.from === undefined ? {} : { from: scope.from }),
        ...(scope.to === undefined ? {} : { to: scope.to }),
        ...(rules === undefined ? {} : { rules }),
    };
}

/** A PVC of the fixtures' namespace, as the API lists it (no labels needed). */
export function claim(name: string, namespace = Namespace): DeployedClaim {
    return { namespace, name, storage: "1Gi", deleting: false };
}
