/** `elasticell-pvc-retain` (advisory): PD and Store volumes survive StatefulSet deletion and scale-in. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { makeAdvisoryStatefulSetRule } from "../core/advisory-rule";
import { readKnown } from "../core/known";

/** Policy name. */
export const pvcRetainName = "elasticell-pvc-retain";

const fields = ["whenDeleted", "whenScaled"] as const;

/** The rule. */
export const pvcRetain: ResourceValidationPolicy = makeAdvisoryStatefulSetRule({
    name: pvcRetainName,
    description: "PD and Store StatefulSets should retain their PersistentVolumeClaims when deleted or scaled.",
    problems: (props, id) => {
        const templates = readKnown(() => props.spec?.volumeClaimTemplates ?? []);
        if (!templates.known || templates.value.length === 0) {
            return [];
        }
        const names = templates.value.map((t) => t.metadata?.name ?? "<unnamed>").join(", ");
        return fields.flatMap((field) => {
            // Absent means Retain, the Kubernetes default.
            const v = readKnown(() => props.spec?.persistentVolumeClaimRetentionPolicy?.[field]);
            if (!v.known || v.value === undefined || v.value === "Retain") {
                return [];
            }
            const when = field === "whenDeleted" ? "deleting the StatefulSet" : "scaling it in";
            return [
                `persistentVolumeClaimRetentionPolicy.${field} is "${String(v.value)}", so ${when} deletes the ` +
                    `${id.tier} volumes (PVC template ${names}) and their data. Set ${field}: Retain.`,
            ];
        });
    },
});
