/** `elasticell-pd-odd-replicas` (advisory): PD runs an odd number of members. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { makeAdvisoryStatefulSetRule } from "../core/advisory-rule";
import { requestedReplicas } from "../core/statefulset";

/** Policy name. */
export const pdOddReplicasName = "elasticell-pd-odd-replicas";

/** The rule. */
export const pdOddReplicas: ResourceValidationPolicy = makeAdvisoryStatefulSetRule({
    name: pdOddReplicasName,
    description: "PD should run an odd number of replicas.",
    problems: (props, id) => {
        if (id.tier !== "pd") {
            return [];
        }
        const r = requestedReplicas(props);
        if (!r.known || r.value.count % 2 !== 0) {
            return [];
        }
        const n = r.value.count;
        const tolerated = Math.max(Math.floor((n - 1) / 2), 0);
        return [
            `PD has ${n} replicas, an even count. etcd needs a majority ` +
                `(${Math.floor(n / 2) + 1} of ${n}), so ${n} members tolerate ${tolerated} failure(s), no more than ` +
                `${Math.max(n - 1, 1)} would, with one more member that can fail. Choose ${Math.max(n - 1, 1)} or ${n + 1} ` +
                "before the first deployment: PD size cannot change afterwards.",
        ];
    },
});
