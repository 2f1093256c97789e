/**
 * `elasticell-pd-replicas-fixed` (mandatory): the PD replica count of a deployed cluster never
 * changes. The deployed count is read from the target (see `baseline/`), so drift counts too.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { GuardConfig } from "../config";
import { defaultGuardDeps, type GuardDeps } from "../guard";
import { makeReplicaGuard, transitionText } from "../replica-guard";
import { whyPdFixed } from "../messages";

/** Policy name. */
export const pdReplicasFixedName = "elasticell-pd-replicas-fixed";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makePdReplicasFixed(deps: GuardDeps = defaultGuardDeps()): ResourceValidationPolicy {
    return makeReplicaGuard<GuardConfig>(
        {
            name: pdReplicasFixedName,
            description: "PD replicas of a deployed elasticell cluster must stay at the deployed count.",
            tier: "pd",
            judge: (c) => {
                if (c.deployed === undefined || c.deployed.replicas === c.requested.count) {
                    return [];
                }
                const n = c.deployed.replicas;
                return [
                    `${c.subject}: PD replicas would change ${transitionText(n, c.requested)}.\n` +
                        `Why this is unsafe: ${whyPdFixed}\n` +
                        `Instead: keep PD at ${n} replicas (set the PD replica count in the stack config back to ${n}). ` +
                        "PD size is fixed for the life of a cluster; a different size needs a new cluster and a data migration.",
                ];
            },
        },
        deps,
    );
}

/** The rule as the pack runs it. */
export const pdReplicasFixed: ResourceValidationPolicy = makePdReplicasFixed();
