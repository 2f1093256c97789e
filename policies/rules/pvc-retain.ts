/** `elasticell-pvc-retain` (advisory): PD and Store volumes survive StatefulSet deletion and scale-in. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../known";
import { validateResourceOfType } from "../sdk";
import { describePlanned, StatefulSet, tierOf } from "../statefulset";

/** Policy name. */
export const pvcRetainName = "elasticell-pvc-retain";

const fields = ["whenDeleted", "whenScaled"] as const;

/** The rule. */
export const pvcRetain: ResourceValidationPolicy = {
    name: pvcRetainName,
    description: "PD and Store StatefulSets should retain their PersistentVolumeClaims when deleted or scaled.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(StatefulSet, (props, args, reportViolation) => {
        const id = tierOf(props);
        if (id === undefined) {
            return;
        }
        const templates = readKnown(() => props.spec?.volumeClaimTemplates ?? []);
        if (!templates.known || templates.value.length === 0) {
            return;
        }
        const names = templates.value.map((t) => t.metadata?.name ?? "<unnamed>").join(", ");
        for (const field of fields) {
            // Absent means Retain, the Kubernetes default.
            const v = readKnown(() => props.spec?.persistentVolumeClaimRetentionPolicy?.[field]);
            if (!v.known || v.value === undefined || v.value === "Retain") {
                continue;
            }
            const when = field === "whenDeleted" ? "deleting the StatefulSet" : "scaling it in";
            reportViolation(
                `${describePlanned(props, id, args.name)}: persistentVolumeClaimRetentionPolicy.${field} is ` +
                    `"${String(v.value)}", so ${when} deletes the ${id.tier} volumes (PVC template ${names}) and their data. ` +
                    `Set ${field}: Retain.`,
            );
        }
    }),
};
