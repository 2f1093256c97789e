/**
 * `elasticell-store-no-scale-in` (mandatory): Store replicas never go below the deployed count
 * (no scale-in without draining) nor below `storeMinReplicas` (default 3).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DefaultStoreMinReplicas, storeMinReplicas, type GuardConfig } from "../config";
import { defaultGuardDeps, type GuardDeps } from "../guard";
import { makeReplicaGuard, requestedText, transitionText } from "../replica-guard";
import { removedPods, whyStoreFloor, whyStoreNoScaleIn } from "../messages";

/** Policy name. */
export const storeNoScaleInName = "elasticell-store-no-scale-in";

/** Config of this rule. */
export interface StoreNoScaleInConfig extends GuardConfig {
    /** Fewest stores allowed, first deployment included. @default 3 */
    readonly storeMinReplicas?: number;
}

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeStoreNoScaleIn(deps: GuardDeps = defaultGuardDeps()): ResourceValidationPolicy {
    return makeReplicaGuard<StoreNoScaleInConfig>(
        {
            name: storeNoScaleInName,
            description: "Store replicas of an elasticell cluster must not go below the deployed count or the configured floor.",
            tier: "store",
            extraSchema: {
                storeMinReplicas: {
                    type: "integer",
                    minimum: 1,
                    default: DefaultStoreMinReplicas,
                    description: "Fewest Store replicas allowed, first deployment included.",
                },
            },
            judge: (c) => {
                const problems: string[] = [];
                const requested = c.requested.count;
                const pdApi = `http://${c.cluster}-pd.${c.namespace}.svc:2379/pd/api/v1/stores`;
                if (c.deployed !== undefined && requested < c.deployed.replicas) {
                    const n = c.deployed.replicas;
                    const pods = removedPods(c.name, n, requested);
                    const first = pods[0] ?? `${c.name}-${n - 1}`;
                    problems.push(
                        `${c.subject}: Store replicas would go down ${transitionText(n, c.requested)}; ` +
                            `Kubernetes would delete ${pods.join(", ")} at once.\n` +
                            `Why this is unsafe: ${whyStoreNoScaleIn}\n` +
                            `Instead: keep Store at ${n} replicas or more. To shrink safely, for each store to remove, ` +
                            `highest ordinal first (${first}): find its ID with \`GET ${pdApi}\` ` +
                            `(address ${first}.${c.name}-peer.${c.namespace}.svc:10800), take it offline with ` +
                            `\`DELETE ${pdApi}/{id}\`, wait until that store reports Tombstone, then lower the replicas ` +
                            "by one with a break-glass override.",
                    );
                }
                const floor = storeMinReplicas(c.config);
                if (requested < floor) {
                    problems.push(
                        `${c.subject}: Store replicas ${requestedText(c.requested)} are below the floor of ${floor} ` +
                            "(storeMinReplicas).\n" +
                            `Why this is unsafe: ${whyStoreFloor}\n` +
                            `Instead: run at least ${floor} stores. The floor is policy config ` +
                            `{"${storeNoScaleInName}": {"storeMinReplicas": <n>}}.`,
                    );
                }
                return problems;
            },
        },
        deps,
    );
}

/** The rule as the pack runs it. */
export const storeNoScaleIn: ResourceValidationPolicy = makeStoreNoScaleIn();
