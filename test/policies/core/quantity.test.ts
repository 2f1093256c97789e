/** Kubernetes quantities (policies/core/quantity.ts): equal sizes written differently compare equal. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareQuantities, sameQuantity } from "../../../policies/core/quantity";

describe("quantities", () => {
    for (const [a, b, cmp] of [
        ["10Gi", "10240Mi", 0],
        ["1Gi", "1073741824", 0],
        ["1.5Gi", "1536Mi", 0],
        ["1G", "1000M", 0],
        ["1e3", "1k", 0],
        ["500m", "0.5", 0],
        ["10Gi", "20Gi", -1],
        ["10G", "10Gi", -1],
        ["1Ti", "1000Gi", 1],
    ] as const) {
        it(`${a} vs ${b}: ${cmp}`, () => assert.equal(compareQuantities(a, b), cmp));
    }
    it("is undefined for text that is not a quantity, and then compares the text", () => {
        assert.equal(compareQuantities("ten", "10"), undefined);
        assert.equal(sameQuantity("ten", "ten"), true);
    });
});
