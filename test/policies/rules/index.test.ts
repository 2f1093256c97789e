import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allPolicies } from "../../../policies/rules";

const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

describe("policy pack metadata", () => {
    it("has unique kebab-case names prefixed elasticell-", () => {
        const names = allPolicies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length, `duplicate names: ${names.join(", ")}`);
        for (const n of names) {
            assert.match(n, kebab);
            assert.ok(n.startsWith("elasticell-"), n);
            assert.notEqual(n, "all", '"all" is reserved by the engine');
        }
    });

    it("gives every policy a one-sentence description and an explicit enforcement level", () => {
        for (const p of allPolicies) {
            assert.ok(p.description.length > 10 && p.description.endsWith("."), p.name);
            assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", p.name);
        }
    });

    it("makes exactly the seven replica and state rules mandatory", () => {
        assert.deepEqual(
            allPolicies
                .filter((p) => p.enforcementLevel === "mandatory")
                .map((p) => p.name)
                .sort(),
            [
                "elasticell-no-stateful-replace",
                "elasticell-no-tier-removal",
                "elasticell-pd-replicas-fixed",
                "elasticell-roll-healthy-tier",
                "elasticell-store-no-scale-in",
                "elasticell-tier-owner",
                "elasticell-volume-growth",
            ],
        );
    });

    it("keeps enforcementLevel out of config schemas (the engine owns it) and gives every property a default or description", () => {
        for (const p of allPolicies) {
            const props = p.configSchema?.properties ?? {};
            assert.equal("enforcementLevel" in props, false, p.name);
            for (const [k, s] of Object.entries(props)) {
                assert.ok(typeof s === "object" && typeof s.description === "string", `${p.name}.${k}`);
            }
        }
    });
});
