import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as program from "../../components/labels";
import * as pack from "../../policies/labels";
import { PdMembersEnv } from "../../components/pd";

describe("policies/labels.ts is a faithful copy of components/labels.ts", () => {
    it("has the same label keys", () => assert.deepEqual(pack.LabelKeys, program.LabelKeys));
    it("has the same stack annotation", () => assert.equal(pack.StackAnnotation, program.StackAnnotation));
    it("has the same app name and manager", () => {
        assert.equal(pack.AppName, program.AppName);
        assert.equal(pack.ManagedBy, program.ManagedBy);
    });
    it("reads PD's member list from the env var the program sets", () => assert.equal(pack.PdMembersEnv, PdMembersEnv));
    it("has the same tiers", () => assert.deepEqual([...pack.TierKinds], [...program.TierKinds]));
    for (const tier of program.TierKinds) {
        it(`names and selects the ${tier} StatefulSet the same way`, () => {
            assert.equal(pack.statefulSetName("demo", tier), program.statefulSetName("demo", tier));
            assert.deepEqual(pack.tierSelector("demo", tier), program.tierSelector("demo", tier));
        });
    }
});
