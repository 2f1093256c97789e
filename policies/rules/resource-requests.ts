/** `elasticell-resource-requests` (advisory): every elasticell container requests cpu and memory. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../known";
import { validateResourceOfType } from "../sdk";
import { describePlanned, forEachTierContainer, StatefulSet } from "../statefulset";

/** Policy name. */
export const resourceRequestsName = "elasticell-resource-requests";

const required = ["cpu", "memory"] as const;

/** The rule. */
export const resourceRequests: ResourceValidationPolicy = {
    name: resourceRequestsName,
    description: "Elasticell containers should set cpu and memory requests.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(StatefulSet, (props, args, reportViolation) => {
        forEachTierContainer(props, (c, i, id) => {
            const requests = readKnown(() => c.resources?.requests);
            if (!requests.known) {
                return;
            }
            const missing = required.filter((k) => {
                const v = requests.value?.[k];
                return v === undefined || v === null || v === "";
            });
            if (missing.length === 0) {
                return;
            }
            reportViolation(
                `${describePlanned(props, id, args.name)}: container ${c.name ?? `#${i}`} requests no ${missing.join(" or ")}. ` +
                    "Without requests the scheduler can pack these pods onto a busy node and they are evicted first under " +
                    "pressure; each eviction re-elects raft leaders and clients see timeouts. Set resources.requests.cpu " +
                    `and .memory for the ${id.tier} tier.`,
            );
        });
    }),
};
