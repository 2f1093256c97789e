/** `elasticell-pd-odd-replicas` (advisory): PD runs an odd number of members. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdOddReplicas } from "../../../policies/rules/pd-odd-replicas";
import { unknownValues } from "../../../policies/core/sdk";
import { checkStatefulSet, edited, statefulSet, Tiers } from "../fixtures";

describe("elasticell-pd-odd-replicas", () => {
    for (const tier of Tiers) {
        it(`accepts the valid ${tier} fixture`, async () => {
            assert.deepEqual(await checkStatefulSet(pdOddReplicas, statefulSet(tier)), []);
        });
    }
    for (const n of [2, 4]) {
        it(`flags ${n} PD replicas`, async () => {
            const violations = await checkStatefulSet(pdOddReplicas, statefulSet("pd", n));
            assert.equal(violations.length, 1);
            assert.equal(violations[0].level, "advisory");
            assert.match(violations[0].message, new RegExp(`PD has ${n} replicas, an even count`));
            assert.match(violations[0].message, new RegExp(`Choose ${n - 1} or ${n + 1}`));
            assert.match(
                violations[0].message,
                /^[\s\S]*elasticell cluster "demo", tier pd, StatefulSet prod\/demo-pd: /,
            );
        });
    }
    it("ignores stores with an even count and unknown PD counts", async () => {
        assert.deepEqual(await checkStatefulSet(pdOddReplicas, statefulSet("store", 4)), []);
        const unknown = edited(statefulSet("pd"), (p) => (p.spec.replicas = unknownValues.unknownNumberValue));
        assert.deepEqual(await checkStatefulSet(pdOddReplicas, unknown), []);
    });
    it("ignores a StatefulSet that is not an elasticell tier", async () => {
        const foreign = edited(statefulSet("pd", 4), (p) => (p.metadata.labels["app.kubernetes.io/name"] = "other"));
        assert.deepEqual(await checkStatefulSet(pdOddReplicas, foreign), []);
    });
});
