import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { makeStoreNoScaleIn } from "../../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource, type PolicyConfig } from "../../helpers/policy";
import { deployed, edited, memoryDeps, statefulSet } from "../fixtures";

async function run(props: object, baseline = new MemoryBaseline([deployed("store", 3)]), config: PolicyConfig = {}) {
    return validateResource(makeStoreNoScaleIn(memoryDeps(baseline)), { resourceClass: StatefulSet, props, config });
}

describe("elasticell-store-no-scale-in", () => {
    for (const [name, from, to] of [
        ["the deployed count", 3, 3],
        ["scale-out 3 -> 4", 3, 4],
        ["scale-out 5 -> 9", 5, 9],
    ] as const) {
        it(`allows ${name}`, async () => {
            assert.deepEqual(await run(statefulSet("store", to), new MemoryBaseline([deployed("store", from)])), []);
        });
    }

    it("allows a first deployment at the floor", async () => {
        assert.deepEqual(await run(statefulSet("store", 3), new MemoryBaseline([])), []);
    });

    it("blocks scale-in 5 -> 3, naming the pods lost, why PD cannot vouch for it and the store.drain step", async () => {
        const violations = await run(statefulSet("store", 3), new MemoryBaseline([deployed("store", 5)]));
        assert.equal(violations.length, 1);
        const m = violations[0].message;
        assert.equal(violations[0].level, "mandatory");
        assert.match(m, /elasticell cluster "demo", tier store, StatefulSet prod\/demo-store/);
        assert.match(m, /5 -> 3 \(deployed -> requested\)/);
        assert.match(m, /delete demo-store-4, demo-store-3 at once/);
        assert.match(m, /3 replicas on distinct stores/);
        assert.match(m, /PD: cannot read PD of cluster "demo": the in-memory baseline has no PD to read/);
        assert.match(m, /pulumi config set --path store\.drain '\[4,3\]'/);
        assert.match(m, /reports every removed store Tombstone/);
        assert.doesNotMatch(m, /undefined|NaN/);
    });

    it("catches drift: live stores scaled to 5 by hand, plan says 3", async () => {
        const violations = await run(statefulSet("store", 3), new MemoryBaseline([deployed("store", 5)]));
        assert.match(violations[0].message, /5 -> 3 \(deployed/);
    });

    it("reports both the scale-in and the floor for 3 -> 2", async () => {
        const violations = await run(statefulSet("store", 2));
        assert.equal(violations.length, 2);
        assert.match(violations[0].message, /3 -> 2 \(deployed -> requested\)/);
        assert.match(
            violations[1].message,
            /Store replicas 2 \(requested\) are below the floor of 3 \(storeMinReplicas\)/,
        );
    });

    it("holds the floor on a first deployment", async () => {
        const violations = await run(statefulSet("store", 2), new MemoryBaseline([]));
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /below the floor of 3/);
    });

    it("takes the floor from storeMinReplicas, which raises it but never lowers it below 3", async () => {
        const raised = await run(statefulSet("store", 4), new MemoryBaseline([]), { storeMinReplicas: 5 });
        assert.match(raised[0].message, /Store replicas 4 \(requested\) are below the floor of 5/);
        const lowered = await run(statefulSet("store", 1), new MemoryBaseline([]), { storeMinReplicas: 1 });
        assert.match(lowered[0].message, /Store replicas 1 \(requested\) are below the floor of 3/);
    });

    it("ignores an invalid storeMinReplicas and keeps the default of 3", async () => {
        const violations = await run(statefulSet("store", 2), new MemoryBaseline([]), { storeMinReplicas: "two" });
        assert.match(violations[0].message, /floor of 3/);
    });

    it("treats a missing spec.replicas as 1: a scale-in and below the floor", async () => {
        const violations = await run(edited(statefulSet("store"), (p) => delete p.spec.replicas));
        assert.equal(violations.length, 2);
        assert.match(violations[0].message, /3 -> 1 \(deployed -> requested; spec.replicas is not set/);
    });

    it("does not judge PD or proxy StatefulSets", async () => {
        assert.deepEqual(await run(statefulSet("proxy", 0)), []);
        assert.deepEqual(await run(statefulSet("pd", 1)), []);
    });

    it("fails closed on an unreadable baseline (403)", async () => {
        const baseline = new MemoryBaseline(
            [],
            "the credentials may not read statefulset prod/demo-store (403 Forbidden)",
        );
        const violations = await run(statefulSet("store", 4), baseline);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /403 Forbidden/);
    });
});
