/**
 * `baselineUnreadable`: an unreadable baseline blocks ("deny", the default) unless an allowance
 * with a real reason and an expiry at most MaxOverrideDays ahead is in force; the old plain
 * "allow" is refused with the new form. Judged through a mandatory rule, at the fixtures' Now
 * (2025-03-10T12:00Z).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { packSchemaProperties } from "../../../policies/core/config";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { StatefulSet } from "../../../policies/core/statefulset";
import { unreadableAllowance } from "../../../policies/core/unreadable";
import { validateResource } from "../../helpers/policy";
import { memoryDeps, Now, statefulSet } from "../fixtures";

const rule = "elasticell-pd-replicas-fixed";
const newForm =
    /\{"elasticell-pd-replicas-fixed": \{"baselineUnreadable": \{"allow": \{"reason": "<why, who, ticket>", "expires": "2025-03-11"\}\}\}\}/;

async function run(baselineUnreadable?: unknown) {
    const deps = memoryDeps(new MemoryBaseline([], "the API server https://10.0.0.1:6443 did not answer within 5 s"));
    const config = baselineUnreadable === undefined ? {} : { baselineUnreadable };
    const violations = await validateResource(makePdReplicasFixed(deps), {
        resourceClass: StatefulSet,
        props: statefulSet("pd", 3),
        config,
    });
    assert.equal(violations.length, 1);
    return violations[0];
}

const allow = (reason: unknown, expires: unknown) => ({ allow: { reason, expires } });

/** The JSON-schema keywords this test reads. */
interface SchemaProperty {
    readonly type?: unknown;
    readonly default?: unknown;
    readonly pattern?: string;
    readonly required?: readonly string[];
    readonly additionalProperties?: unknown;
    readonly properties?: Readonly<Record<string, SchemaProperty>>;
}

describe("baselineUnreadable", () => {
    for (const [name, value] of [
        ["by default", undefined],
        ['with "deny"', "deny"],
    ] as const) {
        it(`blocks ${name}, showing the allowance form with a reason and an expiry`, async () => {
            const v = await run(value);
            assert.equal(v.level, "mandatory");
            assert.match(v.message, /did not answer within 5 s/);
            assert.match(v.message, newForm);
            assert.match(v.message, /at most 7 days ahead/);
            assert.doesNotMatch(v.message, /"baselineUnreadable": "allow"/);
        });
    }

    it("is advisory under a valid allowance, echoing its reason and expiry", async () => {
        const v = await run(allow("INC-7: API server down, deploying the fix", "2025-03-12"));
        assert.equal(v.level, "advisory");
        assert.match(
            v.message,
            /Allowed by baselineUnreadable until 2025-03-12; reason: "INC-7: API server down, deploying the fix"/,
        );
    });

    const refused: [string, unknown, RegExp][] = [
        [
            'the plain "allow" of earlier versions',
            "allow",
            /the plain "allow" is no longer accepted: an allowance needs a reason and an expiry; write \{"elasticell-pd-replicas-fixed": \{"baselineUnreadable": \{"allow"/,
        ],
        [
            "an expired allowance",
            allow("INC-7: API server down, deploying the fix", "2025-03-09"),
            /it expired \(2025-03-09\)/,
        ],
        ["an allowance without a reason", allow(undefined, "2025-03-12"), /it has no reason/],
        ["an allowance whose reason says nothing", allow("ok", "2025-03-12"), /its reason "ok" says nothing/],
        [
            "an allowance without an expiry",
            allow("INC-7: API server down, deploying the fix", undefined),
            /it has no expires date/,
        ],
        [
            "an allowance too far ahead",
            allow("INC-7: API server down, deploying the fix", "2025-04-30"),
            /more than 7 days ahead/,
        ],
        ["an unknown shape", { deny: true }, /it must be "deny" or an object with "allow": \{reason, expires\}/],
    ];
    for (const [name, value, why] of refused) {
        it(`stays mandatory with ${name}, saying why and showing the form`, async () => {
            const v = await run(value);
            assert.equal(v.level, "mandatory");
            assert.match(v.message, /baselineUnreadable allowance ignored: /);
            assert.match(v.message, why);
            assert.match(v.message, newForm);
        });
    }

    it("reads the setting directly: deny, allowed, refused", () => {
        assert.deepEqual(unreadableAllowance(undefined, rule, Now), { kind: "deny" });
        assert.deepEqual(unreadableAllowance(allow(" INC-7: API server down ", "2025-03-12"), rule, Now), {
            kind: "allowed",
            reason: "INC-7: API server down",
            expires: "2025-03-12",
        });
        assert.equal(unreadableAllowance("allow", rule, Now).kind, "refused");
    });

    it("declares both forms in the policy config schema, defaulting to deny", () => {
        const schema = packSchemaProperties["baselineUnreadable"] as SchemaProperty;
        assert.deepEqual(schema.type, ["string", "object"]);
        assert.equal(schema.default, "deny");
        assert.equal(schema.pattern, "^(deny|allow)$");
        assert.deepEqual(schema.required, ["allow"]);
        assert.equal(schema.additionalProperties, false);
        assert.deepEqual(Object.keys(schema.properties?.["allow"]?.properties ?? {}), ["reason", "expires"]);
    });
});
