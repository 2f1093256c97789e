/**
 * The deployed size the replica rules judge against (`policies/core/deployed-size.ts`): the live
 * StatefulSet, the tier's volumes (found by the names the StatefulSet gives them) and, for PD, the
 * member list its pods were started with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import type { DeployedStatefulSet } from "../../../policies/baseline/types";
import { pdMembers, tierVolumes } from "../../../policies/core/deployed-size";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { makeStoreNoScaleIn } from "../../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource } from "../../helpers/policy";
import { claim, deployed, memoryDeps, statefulSet } from "../fixtures";

const claims = (tier: "pd" | "store", ordinals: readonly number[]) =>
    ordinals.map((i) => claim(`${tier}-demo-${tier}-${i}`));

async function judge(
    tier: "pd" | "store",
    replicas: number,
    live: readonly DeployedStatefulSet[],
    volumes = claims(tier, []),
) {
    const deps = memoryDeps(new MemoryBaseline(live, undefined, "the in-memory baseline", {}, volumes));
    const rule = tier === "pd" ? makePdReplicasFixed(deps) : makeStoreNoScaleIn(deps);
    return validateResource(rule, { resourceClass: StatefulSet, props: statefulSet(tier, replicas) });
}

describe("deployed size: volumes count", () => {
    it("finds a StatefulSet's PVCs by name, whatever their labels, and nothing else", () => {
        const names = [
            "store-demo-store-0",
            "store-demo-store-12",
            "store-demo-store-01",
            "store-demo-storex-1",
            "pd-demo-store-2",
            "store-demo-store-3-x",
            "data-demo-store-4",
        ];
        assert.deepEqual(tierVolumes(names, "demo-store", ["store"]), [
            { name: "store-demo-store-0", ordinal: 0 },
            { name: "store-demo-store-12", ordinal: 12 },
        ]);
        assert.deepEqual(
            tierVolumes(names, "demo-store", ["store", "data"]).map((v) => v.ordinal),
            [0, 4, 12],
        );
        assert.deepEqual(tierVolumes(names, "demo-store", []), []);
    });

    it("refuses fewer stores than the volumes of a StatefulSet that is gone, naming the orphaned volumes", async () => {
        const violations = await judge("store", 3, [], claims("store", [0, 1, 2, 3, 4]));
        assert.equal(violations.length, 1);
        const m = violations[0].message;
        assert.equal(violations[0].level, "mandatory");
        assert.match(m, /5 -> 3 \(deployed -> requested\)/);
        assert.match(
            m,
            /its volumes \(PVCs store-demo-store-0, .*store-demo-store-4\): the StatefulSet is gone, its data is not/,
        );
        assert.match(m, /the volumes store-demo-store-3, store-demo-store-4 would be orphaned with their data/);
        assert.doesNotMatch(m, /Kubernetes would delete/, "no pod runs");
    });

    it("does not count a volume that is being deleted (a drained store's PVC waits for its pod to go)", async () => {
        const volumes = [...claims("store", [0, 1, 2]), { ...claim("store-demo-store-3"), deleting: true }];
        assert.deepEqual(
            await judge("store", 3, [deployed("store", 4)], volumes).then((v) =>
                v.map((x) => x.message.match(/\d -> \d/)?.[0]),
            ),
            ["4 -> 3"],
            "the live replicas still count",
        );
        assert.deepEqual(await judge("store", 3, [deployed("store", 3)], volumes), []);
    });

    it("does not count a volume that was never bound (a refused scale-out leaves Pending claims)", async () => {
        const volumes = [
            ...claims("pd", [0, 1, 2]),
            { ...claim("pd-demo-pd-3"), phase: "Pending" },
            { ...claim("pd-demo-pd-4"), phase: "Pending" },
        ];
        assert.deepEqual(await judge("pd", 3, [], volumes), []);
    });

    it("allows a new StatefulSet at or above the size of its volumes", async () => {
        assert.deepEqual(await judge("store", 3, [], claims("store", [0, 1, 2])), []);
        assert.deepEqual(await judge("store", 5, [], claims("store", [0, 1, 2])), []);
    });

    it("counts a leftover volume above the live replicas: the store it held must be drained (which deletes its PVC)", async () => {
        const violations = await judge("store", 3, [deployed("store", 3)], claims("store", [0, 1, 2, 3]));
        assert.equal(violations.length, 1);
        const m = violations[0].message;
        assert.match(
            m,
            /4 -> 3 \(deployed -> requested\); the deployed size comes from its volumes .*; the StatefulSet has 3 replicas/,
        );
        assert.match(
            m,
            /pulumi config set --path store\.drain '\[3\]'/,
            "the drain takes that store out of PD and deletes its volume",
        );
        assert.deepEqual(
            await judge("store", 4, [deployed("store", 3)], claims("store", [0, 1, 2, 3])),
            [],
            "scale-out over it is allowed",
        );
    });

    it("refuses another PD size over the volumes of a PD that is gone, and allows the same size", async () => {
        const five = await judge("pd", 5, [], claims("pd", [0, 1, 2]));
        assert.equal(five.length, 1);
        assert.match(
            five[0].message,
            /PD replicas would change 3 -> 5 .*the deployed size comes from its volumes \(PVCs pd-demo-pd-0, pd-demo-pd-1, pd-demo-pd-2\)/,
        );
        const one = await judge("pd", 1, [], claims("pd", [0, 1, 2]));
        assert.match(one[0].message, /The volumes pd-demo-pd-1, pd-demo-pd-2 hold members' data/);
        assert.deepEqual(await judge("pd", 3, [], claims("pd", [0, 1, 2])), []);
    });

    it("treats unreadable volumes as an unreadable deployed state (fail closed)", async () => {
        const baseline = new MemoryBaseline([deployed("store", 3)], "403 Forbidden on persistentvolumeclaims");
        const violations = await validateResource(makeStoreNoScaleIn(memoryDeps(baseline)), {
            resourceClass: StatefulSet,
            props: statefulSet("store", 3),
        });
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /cannot read the deployed state/);
    });
});

describe("deployed size: PD is its member list", () => {
    const drifted = { ...deployed("pd", 3), replicas: 5 };

    it("reads the member names from the live StatefulSet's env", () => {
        assert.deepEqual(pdMembers(deployed("pd", 3)), ["demo-pd-0", "demo-pd-1", "demo-pd-2"]);
        const legacy = { ...deployed("pd", 3), template: { ...deployed("pd", 3).template, containers: [] } };
        assert.equal(pdMembers(legacy), undefined);
    });

    it("after kubectl scale of PD 3 -> 5, allows restoring 3", async () => {
        assert.deepEqual(await judge("pd", 3, [drifted], claims("pd", [0, 1, 2, 3, 4])), []);
    });

    it("after kubectl scale of PD 3 -> 5, refuses 5 and never advises keeping the drifted count", async () => {
        const violations = await judge("pd", 5, [drifted], claims("pd", [0, 1, 2, 3, 4]));
        assert.equal(violations.length, 1);
        const m = violations[0].message;
        assert.match(
            m,
            /PD replicas would change 3 -> 5 \(deployed -> requested\); the deployed size comes from PD's member list \(--initial-cluster of the live StatefulSet: demo-pd-0, demo-pd-1, demo-pd-2\)/,
        );
        assert.match(
            m,
            /The live StatefulSet runs 5 replicas, changed outside Pulumi \(drift\): demo-pd-3, demo-pd-4 are not members and can never join; `pulumi up --refresh` with PD at 3 restores it/,
        );
        assert.match(m, /keep PD at 3 replicas/);
        assert.doesNotMatch(m, /keep PD at 5|PD at 5 replicas|pd\.replicas 5/);
    });

    it("falls back to the live replicas for a StatefulSet without the member list (older release)", async () => {
        const legacy = { ...drifted, template: { ...drifted.template, containers: [] } };
        const violations = await judge("pd", 3, [legacy]);
        assert.match(violations[0].message, /5 -> 3 .*the live StatefulSet \(spec\.replicas\)/);
    });
});
