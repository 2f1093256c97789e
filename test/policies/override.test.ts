import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../../policies/baseline/memory";
import { evaluateOverride, parseExpiry } from "../../policies/override";
import { makePdReplicasFixed } from "../../policies/rules/pd-replicas-fixed";
import { makeStoreNoScaleIn } from "../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../policies/statefulset";
import { validateResource } from "../helpers/policy";
import { deployed, memoryDeps, Now, statefulSet, validOverride } from "./fixtures";

async function pdResize(override: unknown) {
    const deps = memoryDeps(new MemoryBaseline([deployed("pd", 3)]));
    return validateResource(makePdReplicasFixed(deps), {
        resourceClass: StatefulSet,
        props: statefulSet("pd", 5),
        config: { override },
    });
}

describe("break-glass override", () => {
    it("turns the violation advisory and echoes the reason while valid", async () => {
        const violations = await pdResize(validOverride());
        assert.equal(violations.length, 1);
        assert.equal(violations[0]!.level, "advisory");
        assert.match(violations[0]!.message, /ALLOWED by break-glass override until 2025-03-12; reason: "INC-42: restore PD after disk loss"/);
        assert.match(violations[0]!.message, /3 -> 5 \(deployed -> requested\)/);
    });

    it("applies to store scale-in too, when rules names the rule", async () => {
        const deps = memoryDeps(new MemoryBaseline([deployed("store", 5)]));
        const violations = await validateResource(makeStoreNoScaleIn(deps), {
            resourceClass: StatefulSet,
            props: statefulSet("store", 4),
            config: { override: validOverride(["elasticell-store-no-scale-in"]) },
        });
        assert.equal(violations[0]!.level, "advisory");
    });

    for (const [name, override, why] of [
        ["expired", { reason: "INC-1", expires: "2025-03-09" }, /Break-glass override ignored: it expired \(2025-03-09\)/],
        ["expired an hour ago", { reason: "INC-1", expires: "2025-03-10T11:00:00Z" }, /it expired/],
        ["without a reason", { expires: "2025-03-12" }, /ignored: it has no reason/],
        ["with a blank reason", { reason: "  ", expires: "2025-03-12" }, /ignored: it has no reason/],
        ["without an expiry", { reason: "INC-1" }, /ignored: it has no expires date/],
        ["with an unparseable expiry", { reason: "INC-1", expires: "next week" }, /"next week" is not a date/],
        ["more than 7 days ahead", { reason: "INC-1", expires: "2025-03-18" }, /more than 7 days ahead/],
        ["for other rules only", { ...validOverride(["elasticell-store-no-scale-in"]) }, /does not name elasticell-pd-replicas-fixed/],
        ["that is not an object", "yes please", /override must be an object/],
    ] as const) {
        it(`is ignored, and still blocks, when ${name}`, async () => {
            const violations = await pdResize(override);
            assert.equal(violations.length, 1);
            assert.equal(violations[0]!.level, "mandatory");
            assert.match(violations[0]!.message, why);
            assert.match(violations[0]!.message, /3 -> 5 \(deployed/);
        });
    }

    it("is not mentioned when none is configured, or when nothing is violated", async () => {
        const plain = await pdResize(undefined);
        assert.equal(plain[0]!.level, "mandatory");
        assert.doesNotMatch(plain[0]!.message, /ALLOWED|ignored/);
        const deps = memoryDeps(new MemoryBaseline([deployed("pd", 3)]));
        const clean = await validateResource(makePdReplicasFixed(deps), {
            resourceClass: StatefulSet,
            props: statefulSet("pd", 3),
            config: { override: { reason: "x", expires: "1999-01-01" } },
        });
        assert.deepEqual(clean, []);
    });

    it("reads a date as valid through the end of that day (UTC), up to 7 days ahead", () => {
        assert.equal(parseExpiry("2025-03-10")?.toISOString(), "2025-03-11T00:00:00.000Z");
        assert.equal(parseExpiry("2025-02-30"), undefined);
        assert.equal(parseExpiry("2025-03-10T18:00"), undefined, "an ISO time needs a zone");
        assert.equal(parseExpiry("2025-03-10T18:00:00+02:00")?.toISOString(), "2025-03-10T16:00:00.000Z");
        const rule = "elasticell-pd-replicas-fixed";
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-10" }, rule, Now).kind, "active");
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-17" }, rule, Now).kind, "active");
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-17T12:00:00Z" }, rule, Now).kind, "active");
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-17T12:00:01Z" }, rule, Now).kind, "ignored");
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-18" }, rule, Now).kind, "ignored");
        assert.equal(evaluateOverride({ reason: "r", expires: "2025-03-10T12:00:00Z" }, rule, Now).kind, "ignored");
    });
});
