/** `elasticell-pvc-retain` (advisory): stateful tiers keep their PVCs when deleted or scaled in. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pvcRetain } from "../../../policies/rules/pvc-retain";
import { checkStatefulSet, edited, statefulSet, Tiers } from "../fixtures";

describe("elasticell-pvc-retain", () => {
    for (const tier of Tiers) {
        it(`accepts the valid ${tier} fixture`, async () => {
            assert.deepEqual(await checkStatefulSet(pvcRetain, statefulSet(tier)), []);
        });
    }
    for (const field of ["whenDeleted", "whenScaled"] as const) {
        it(`flags ${field}: Delete`, async () => {
            const violations = await checkStatefulSet(
                pvcRetain,
                edited(
                    statefulSet("store"),
                    (p) =>
                        (p.spec.persistentVolumeClaimRetentionPolicy = {
                            ...p.spec.persistentVolumeClaimRetentionPolicy,
                            [field]: "Delete",
                        }),
                ),
            );
            assert.equal(violations.length, 1);
            assert.match(
                violations[0].message,
                new RegExp(`persistentVolumeClaimRetentionPolicy.${field} is "Delete"`),
            );
            assert.match(violations[0].message, /PVC template store/);
        });
    }
    it("accepts an absent policy (Kubernetes defaults to Retain)", async () => {
        const absent = edited(statefulSet("pd"), (p) => delete p.spec.persistentVolumeClaimRetentionPolicy);
        assert.deepEqual(await checkStatefulSet(pvcRetain, absent), []);
    });
});
