/** `elasticell-resource-requests` (advisory, stack policy): every tier container requests cpu and memory. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceRequests } from "../../../policies/rules/resource-requests";
import {
    checkStatefulSets,
    edited,
    mainContainer,
    statefulSet,
    Tiers,
    validTiers,
    type StatefulSetFixture,
} from "../fixtures";

/** Removes the main container's cpu request, memory request, or whole resources. */
const noCpu = (p: StatefulSetFixture) => delete mainContainer(p).resources?.requests?.cpu;
const noMemory = (p: StatefulSetFixture) => delete mainContainer(p).resources?.requests?.memory;
const noResources = (p: StatefulSetFixture) => delete mainContainer(p).resources;

describe("elasticell-resource-requests", () => {
    it("accepts the valid fixtures of all three tiers", async () => {
        assert.deepEqual(await checkStatefulSets(resourceRequests, validTiers()), []);
    });
    for (const [name, edit, missing] of [
        ["no cpu", noCpu, "cpu"],
        ["no memory", noMemory, "memory"],
        ["no resources", noResources, "cpu or memory"],
    ] as const) {
        it(`flags ${name}`, async () => {
            const violations = await checkStatefulSets(resourceRequests, [edited(statefulSet("pd"), edit)]);
            assert.equal(violations.length, 1);
            assert.match(
                violations[0].message,
                new RegExp(`tier pd: no ${missing} request: pd: StatefulSet prod/demo-pd, container pd\\.`),
            );
            assert.match(violations[0].message, /Set pd\.resources\.requests\.\{cpu,memory\}/);
        });
    }

    it("collapses the three tiers without requests into one violation", async () => {
        const violations = await checkStatefulSets(
            resourceRequests,
            Tiers.map((t) => edited(statefulSet(t), noResources)),
        );
        assert.equal(violations.length, 1);
        assert.match(
            violations[0].message,
            /tiers pd, store and proxy: no cpu or memory request: pd: .*; store: .*; proxy: /,
        );
        assert.match(
            violations[0].message,
            /Set pd\.resources\.requests\.\{cpu,memory\}, store\.resources\.requests\.\{cpu,memory\} and proxy\./,
        );
    });

    it("different problems stay apart", async () => {
        const props = [edited(statefulSet("pd"), noCpu), edited(statefulSet("store"), noMemory)];
        const violations = await checkStatefulSets(resourceRequests, props);
        assert.equal(violations.length, 2);
    });
});
