/**
 * `elasticell-pd-replicas-fixed` (mandatory): the PD size of a deployed cluster never changes.
 * The deployed size is PD's member list (`--initial-cluster` of the live tier), else the live
 * replicas, else its volumes (see `core/deployed-size.ts`), so a `kubectl scale` of PD is drift to
 * undo, never a new size to keep.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackConfig } from "../core/config";
import { listText } from "../core/deployed-size";
import { defaultRuleDeps, type RuleDeps } from "../core/mandatory-rule";
import { makeReplicaRule, transitionText } from "../core/replica-rules";
import { removedPods, whyPdFixed } from "../core/messages";

/** Policy name. */
export const pdReplicasFixedName = "elasticell-pd-replicas-fixed";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makePdReplicasFixed(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    return makeReplicaRule<PackConfig>(
        {
            name: pdReplicasFixedName,
            description: "PD replicas of a deployed elasticell cluster must stay at the size of its member list.",
            tier: "pd",
            judge: (c) => {
                const size = c.size;
                if (size === undefined || size.count === c.requested.count) {
                    return [];
                }
                const n = size.count;
                const notes: string[] = [];
                if (size.replicas !== undefined && size.replicas !== n) {
                    const extra = size.replicas > n ? removedPods(c.name, size.replicas, n).reverse() : [];
                    notes.push(
                        `The live StatefulSet runs ${size.replicas} replicas, changed outside Pulumi (drift)` +
                            (extra.length > 0 ? `: ${listText(extra)} are not members and can never join` : "") +
                            `; \`pulumi up --refresh\` with PD at ${n} restores it.`,
                    );
                }
                const orphaned = size.volumes.filter((v) => v.ordinal >= c.requested.count).map((v) => v.name);
                if (c.requested.count < n && orphaned.length > 0) {
                    notes.push(
                        `The volumes ${listText(orphaned)} hold members' data that the new size would leave behind.`,
                    );
                }
                return [
                    {
                        message:
                            `${c.subject}: PD replicas would change ${transitionText(n, c.requested)}; the deployed size comes from ${size.source}.\n` +
                            (notes.length > 0 ? `${notes.join("\n")}\n` : "") +
                            `Why this is unsafe: ${whyPdFixed}\n` +
                            `Instead: keep PD at ${n} replicas (set the PD replica count in the stack config to ${n}: ` +
                            `\`pulumi config set --path pd.replicas ${n}\`). PD size is fixed for the life of a cluster; a different ` +
                            "size needs a new cluster and a data migration.",
                        transition: { from: n, to: c.requested.count },
                    },
                ];
            },
        },
        deps,
    );
}

/** The rule as the pack runs it. */
export const pdReplicasFixed: ResourceValidationPolicy = makePdReplicasFixed();
