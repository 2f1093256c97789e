/**
 * `elasticell-store-no-scale-in` (mandatory): Store replicas never go below the deployed size (the
 * live replicas or the tier's volumes, whichever is larger: no scale-in without draining, no new
 * StatefulSet over more volumes than it asks for) nor below `storeMinReplicas` (at least 3).
 * A scale-in passes without break-glass only when PD, read live (`baseline/pd.ts`), reports every
 * removed store Tombstone and enough stores stay Up (`core/drained.ts`): the `store.drain` step of the
 * program gets it there. A break-glass override lowers Store by one store per run; it never lifts
 * the floor.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DefaultStoreMinReplicas, storeMinReplicas, type PackConfig } from "../core/config";
import { BaselineUnreadableError } from "../baseline/types";
import { readPdStores } from "../baseline/pd";
import { listText } from "../core/deployed-size";
import { judgeDrain } from "../core/drained";
import { defaultRuleDeps, type RuleDeps, type Problem } from "../core/mandatory-rule";
import { makeReplicaRule, requestedText, transitionText, type ReplicaCase } from "../core/replica-rules";
import { removedPods, whyStoreFloor, whyStoreNoScaleIn } from "../core/messages";
import { podName, PdPorts } from "../core/naming";

/** Policy name. */
export const storeNoScaleInName = "elasticell-store-no-scale-in";

/** Config of this rule. */
export interface StoreNoScaleInConfig extends PackConfig {
    /** Fewest stores allowed, first deployment included; never below 3. @default 3 */
    readonly storeMinReplicas?: number;
    /** PD's client URL, instead of the API server's service proxy (setups without services/proxy rights). */
    readonly pdApiUrl?: string;
}

function scaleIn(c: ReplicaCase<StoreNoScaleInConfig>, n: number, how: string, pd: string): Problem {
    const requested = c.requested.count;
    const size = c.size!;
    const pods = removedPods(c.name, size.replicas ?? 0, requested);
    const orphaned = size.volumes.filter((v) => v.ordinal >= requested).map((v) => v.name);
    const first = podName(c.name, n - 1);
    const drain = Array.from({ length: n - requested }, (_, i) => n - 1 - i);
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
            `PD: ${pd}\n` +
            `Instead: keep Store at ${n} replicas or more (\`pulumi config set --path store.replicas ${n}\`). To shrink safely, ` +
            `drain first: \`pulumi config set --path store.drain '${JSON.stringify(drain)}'\` (highest ordinal first, from ${first}) ` +
            "and `pulumi up`: PD takes those stores offline, moves their cell replicas away and reports them Tombstone, and " +
            `their volumes are deleted so a later scale-out starts them empty. Then lower the replicas to ${requested}: this rule ` +
            "allows it once PD reports every removed store Tombstone.",
        transition: { from: n, to: requested },
        ...(how === "" ? {} : { notOverridable: how }),
    };
}

/**
 * Undefined when PD reports the scale-in safe (every removed store Tombstone, `floor` stores Up);
 * otherwise what PD says, or why it could not be read (then the scale-in is refused: fail closed).
 */
async function pdVerdict(
    c: ReplicaCase<StoreNoScaleInConfig>,
    requested: number,
    n: number,
    floor: number,
): Promise<string | undefined> {
    try {
        const pd = await readPdStores(
            c.baseline,
            c.namespace,
            c.cluster,
            c.config.pdApiUrl === undefined ? {} : { apiUrl: c.config.pdApiUrl },
        );
        const verdict = judgeDrain(pd.stores, c.name, requested, n, floor);
        return verdict.drained ? undefined : `${verdict.why.join("; ")} (read from ${pd.source}).`;
    } catch (err) {
        if (err instanceof BaselineUnreadableError) {
            return `cannot read ${err.target}: ${err.reason}; without it the removed stores cannot be shown drained, so the scale-in is refused.`;
        }
        throw err;
    }
}

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeStoreNoScaleIn(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    return makeReplicaRule<StoreNoScaleInConfig>(
        {
            name: storeNoScaleInName,
            description:
                "Store replicas of an elasticell cluster must not go below the deployed size or the configured floor.",
            tier: "store",
            extraSchema: {
                storeMinReplicas: {
                    type: "integer",
                    minimum: DefaultStoreMinReplicas,
                    default: DefaultStoreMinReplicas,
                    description: `Fewest Store replicas allowed, first deployment included; at least ${DefaultStoreMinReplicas}.`,
                },
                pdApiUrl: {
                    type: "string",
                    description: `PD's client URL (http://host:${PdPorts.client}), read instead of the API server's service proxy.`,
                },
            },
            judge: async (c) => {
                const problems: Problem[] = [];
                const requested = c.requested.count;
                const n = c.size?.count;
                const floor = storeMinReplicas(c.config);
                if (n !== undefined && requested < n) {
                    const pd = await pdVerdict(c, requested, n, floor);
                    if (pd !== undefined) {
                        const oneStep =
                            requested === n - 1
                                ? ""
                                : `break-glass lowers Store one store at a time (${n} -> ${n - 1}), each after that store is Tombstone in PD`;
                        problems.push(scaleIn(c, n, oneStep, pd));
                    }
                }
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
