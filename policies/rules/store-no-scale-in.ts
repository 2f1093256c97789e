/**
 * `elasticell-store-no-scale-in` (mandatory): Store replicas never go below the deployed size (the
 * live replicas or the tier's volumes, whichever is larger: no scale-in without draining, no new
 * StatefulSet over more volumes than it asks for) nor below `storeMinReplicas` (at least 3).
 * A break-glass override lowers Store by one store per run, after that store is drained; it never
 * lifts the floor.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DefaultStoreMinReplicas, storeMinReplicas, type GuardConfig } from "../config";
import { listText } from "../deployed-size";
import { defaultGuardDeps, type GuardDeps, type Problem } from "../guard";
import { makeReplicaGuard, requestedText, transitionText, type ReplicaCase } from "../replica-guard";
import { removedPods, whyStoreFloor, whyStoreNoScaleIn } from "../messages";

/** Policy name. */
export const storeNoScaleInName = "elasticell-store-no-scale-in";

/** Config of this rule. */
export interface StoreNoScaleInConfig extends GuardConfig {
    /** Fewest stores allowed, first deployment included; never below 3. @default 3 */
    readonly storeMinReplicas?: number;
}

function scaleIn(c: ReplicaCase<StoreNoScaleInConfig>, n: number, how: string): Problem {
    const requested = c.requested.count;
    const size = c.size!;
    const pods = removedPods(c.name, size.replicas ?? 0, requested);
    const orphaned = size.volumes.filter((v) => v.ordinal >= requested).map((v) => v.name);
    const first = `${c.name}-${n - 1}`;
    const pdApi = `http://${c.cluster}-pd.${c.namespace}.svc:2379/pd/api/v1/stores`;
    const effects = [
        ...(pods.length > 0 ? [`Kubernetes would delete ${listText(pods)} at once`] : []),
        ...(orphaned.length > 0 ? [`the volumes ${listText(orphaned)} would be orphaned with their data`] : []),
    ];
    return {
        message:
            `${c.subject}: Store replicas would go down ${transitionText(n, c.requested)}; the deployed size comes from ${size.source}` +
            (effects.length > 0 ? `; ${effects.join(", and ")}` : "") +
            ".\n" +
            `Why this is unsafe: ${whyStoreNoScaleIn}\n` +
            `Instead: keep Store at ${n} replicas or more (\`pulumi config set --path store.replicas ${n}\`). To shrink safely, ` +
            `one store at a time, highest ordinal first (${first}): find its ID with \`GET ${pdApi}\` ` +
            `(address ${first}.${c.name}-peer.${c.namespace}.svc:10800), take it offline with \`DELETE ${pdApi}/{id}\`, ` +
            `wait until that store reports Tombstone, then lower the replicas to ${n - 1} with a break-glass override ` +
            `and delete the volumes of ${first} (\`kubectl delete pvc -n ${c.namespace} <template>-${first}\`) so a later ` +
            "scale-out starts that store empty.",
        transition: { from: n, to: requested },
        ...(how === "" ? {} : { notOverridable: how }),
    };
}

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeStoreNoScaleIn(deps: GuardDeps = defaultGuardDeps()): ResourceValidationPolicy {
    return makeReplicaGuard<StoreNoScaleInConfig>(
        {
            name: storeNoScaleInName,
            description: "Store replicas of an elasticell cluster must not go below the deployed size or the configured floor.",
            tier: "store",
            extraSchema: {
                storeMinReplicas: {
                    type: "integer",
                    minimum: DefaultStoreMinReplicas,
                    default: DefaultStoreMinReplicas,
                    description: `Fewest Store replicas allowed, first deployment included; at least ${DefaultStoreMinReplicas}.`,
                },
            },
            judge: (c) => {
                const problems: Problem[] = [];
                const requested = c.requested.count;
                const n = c.size?.count;
                if (n !== undefined && requested < n) {
                    const oneStep =
                        requested === n - 1
                            ? ""
                            : `break-glass lowers Store one store at a time (${n} -> ${n - 1}), each after that store is Tombstone in PD`;
                    problems.push(scaleIn(c, n, oneStep));
                }
                const floor = storeMinReplicas(c.config);
                if (requested < floor) {
                    problems.push({
                        message:
                            `${c.subject}: Store replicas ${requestedText(c.requested)} are below the floor of ${floor} ` +
                            "(storeMinReplicas).\n" +
                            `Why this is unsafe: ${whyStoreFloor}\n` +
                            `Instead: run at least ${floor} stores.`,
                        notOverridable: "the store floor is never lifted by break-glass",
                    });
                }
                return problems;
            },
        },
        deps,
    );
}

/** The rule as the pack runs it. */
export const storeNoScaleIn: ResourceValidationPolicy = makeStoreNoScaleIn();
