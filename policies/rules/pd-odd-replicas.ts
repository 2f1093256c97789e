/** `elasticell-pd-odd-replicas` (advisory): PD runs an odd number of members. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "../sdk";
import { describePlanned, requestedReplicas, StatefulSet, tierOf } from "../statefulset";

/** Policy name. */
export const pdOddReplicasName = "elasticell-pd-odd-replicas";

/** The rule. */
export const pdOddReplicas: ResourceValidationPolicy = {
    name: pdOddReplicasName,
    description: "PD should run an odd number of replicas.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(StatefulSet, (props, args, reportViolation) => {
        const id = tierOf(props);
        if (id?.tier !== "pd") {
            return;
        }
        const r = requestedReplicas(props);
        if (!r.known || r.value.count % 2 !== 0) {
            return;
        }
        const n = r.value.count;
        const tolerated = Math.max(Math.floor((n - 1) / 2), 0);
        reportViolation(
            `${describePlanned(props, id, args.name)}: PD has ${n} replicas, an even count. etcd needs a majority ` +
                `(${Math.floor(n / 2) + 1} of ${n}), so ${n} members tolerate ${tolerated} failure(s), no more than ` +
                `${Math.max(n - 1, 1)} would, with one more member that can fail. Choose ${Math.max(n - 1, 1)} or ${n + 1} ` +
                "before the first deployment: PD size cannot change afterwards.",
        );
    }),
};
