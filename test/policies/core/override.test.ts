import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { evaluateOverride, parseExpiry, type OverrideScope } from "../../../policies/core/override";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { makeStoreNoScaleIn } from "../../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource } from "../../helpers/policy";
import { deployed, memoryDeps, Now, statefulSet, validOverride } from "../fixtures";

/** The violation a PD 3 -> 5 plan raises. */
const pdScope = { tier: "pd", from: 3, to: 5 } as const;

async function pdResize(override: unknown) {
    const deps = memoryDeps(new MemoryBaseline([deployed("pd", 3)]));
    return validateResource(makePdReplicasFixed(deps), {
        resourceClass: StatefulSet,
        props: statefulSet("pd", 5),
        config: { override },
    });
}

async function storeScaleIn(from: number, to: number, override: unknown, config: Record<string, unknown> = {}) {
    const deps = memoryDeps(new MemoryBaseline([deployed("store", from)]));
    return validateResource(makeStoreNoScaleIn(deps), {
        resourceClass: StatefulSet,
        props: statefulSet("store", to),
        config: { override, ...config },
    });
}

describe("break-glass override", () => {
    it("turns the violation advisory and echoes the reason while valid", async () => {
        const violations = await pdResize(validOverride(pdScope));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(
            violations[0].message,
            /ALLOWED by break-glass override until 2025-03-12; reason: "INC-42: restore PD after disk loss"/,
        );
        assert.match(violations[0].message, /3 -> 5 \(deployed -> requested/);
    });

    it("lowers Store by one store, when rules names the rule", async () => {
        const violations = await storeScaleIn(
            5,
            4,
            validOverride({ tier: "store", from: 5, to: 4 }, ["elasticell-store-no-scale-in"]),
        );
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
    });

    it("never lowers Store by more than one store at a time", async () => {
        const violations = await storeScaleIn(6, 4, validOverride({ tier: "store", from: 6, to: 4 }));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(
            violations[0].message,
            /Break-glass override does not apply: break-glass lowers Store one store at a time \(6 -> 5\)/,
        );
    });

    it("never lifts the store floor, nor lets storeMinReplicas lower it", async () => {
        const violations = await storeScaleIn(3, 2, validOverride({ tier: "store", from: 3, to: 2 }), {
            storeMinReplicas: 1,
        });
        assert.deepEqual(
            violations.map((v) => v.level),
            ["advisory", "mandatory"],
            "the scale-in step is allowed, the floor is not",
        );
        assert.match(violations[1].message, /below the floor of 3/);
        assert.match(
            violations[1].message,
            /Break-glass override does not apply: the store floor is never lifted by break-glass/,
        );
    });

    const valid = validOverride(pdScope);
    for (const [name, override, why] of [
        ["expired", { ...valid, expires: "2025-03-09" }, /Break-glass override ignored: it expired \(2025-03-09\)/],
        ["expired an hour ago", { ...valid, expires: "2025-03-10T11:00:00Z" }, /it expired/],
        ["without a reason", { ...valid, reason: undefined }, /ignored: it has no reason/],
        ["with a blank reason", { ...valid, reason: "  " }, /ignored: it has no reason/],
        [
            "with a reason that says nothing",
            { ...valid, reason: "." },
            /its reason "\." says nothing; write at least 10 characters/,
        ],
        ["with a reason of digits", { ...valid, reason: "1234567890" }, /says nothing/],
        ["without an expiry", { ...valid, expires: undefined }, /ignored: it has no expires date/],
        ["with an unparseable expiry", { ...valid, expires: "next week" }, /"next week" is not a date/],
        ["more than 7 days ahead", { ...valid, expires: "2025-03-18" }, /more than 7 days ahead/],
        [
            "for other rules only",
            validOverride(pdScope, ["elasticell-store-no-scale-in"]),
            /does not name elasticell-pd-replicas-fixed/,
        ],
        [
            "that is not an object",
            "yes please",
            /override must be an object like \{"elasticell-pd-replicas-fixed": \{"override": \{"reason"/,
        ],
        [
            "in the old form, without cluster, tier and transition",
            { reason: valid["reason"], expires: valid["expires"] },
            /does not name the cluster and tier it is for/,
        ],
        [
            "for another cluster",
            validOverride({ ...pdScope, cluster: "other" }),
            /it is for cluster "other", tier pd, not cluster "demo", tier pd/,
        ],
        ["for another tier", validOverride({ tier: "store", from: 3, to: 5 }), /not cluster "demo", tier pd/],
        [
            "for another transition",
            validOverride({ tier: "pd", from: 3, to: 7 }),
            /it names 3 -> 7, but this change is 3 -> 5/,
        ],
        ["without the transition", validOverride({ tier: "pd" }), /it names no transition, but this change is 3 -> 5/],
    ] as const) {
        it(`is ignored, and still blocks, when ${name}`, async () => {
            const violations = await pdResize(override);
            assert.equal(violations.length, 1);
            assert.equal(violations[0].level, "mandatory");
            assert.match(violations[0].message, why);
            assert.match(violations[0].message, /3 -> 5 \(deployed/);
        });
    }

    it("shows the exact override of this change, with a computed expiry", async () => {
        const [v] = await pdResize({ reason: "INC-42: restore PD", expires: "2025-03-12" });
        assert.match(
            v.message,
            /\{"elasticell-pd-replicas-fixed": \{"override": \{"reason": "<why, who, ticket>", "expires": "2025-03-11", "cluster": "demo", "tier": "pd", "from": 3, "to": 5\}\}\}/,
        );
    });

    it("is not mentioned when none is configured, or when nothing is violated", async () => {
        const plain = await pdResize(undefined);
        assert.equal(plain[0].level, "mandatory");
        assert.doesNotMatch(plain[0].message, /ALLOWED|ignored/);
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
        const scope: OverrideScope = { cluster: "demo", tier: "pd" };
        const o = (expires: string) =>
            evaluateOverride({ reason: "INC-1 disk loss", expires, cluster: "demo", tier: "pd" }, rule, scope, Now)
                .kind;
        assert.equal(o("2025-03-10"), "active");
        assert.equal(o("2025-03-17"), "active");
        assert.equal(o("2025-03-17T12:00:00Z"), "active");
        assert.equal(o("2025-03-17T12:00:01Z"), "ignored");
        assert.equal(o("2025-03-18"), "ignored");
        assert.equal(o("2025-03-10T12:00:00Z"), "ignored");
    });

    it("applies to no violation that is not about one tier", () => {
        const state = evaluateOverride(validOverride({ tier: "pd" }), "elasticell-no-tier-removal", undefined, Now);
        assert.deepEqual(state, {
            kind: "ignored",
            why: "this violation is not about one tier, so no override applies to it",
        });
    });
});
