/** `elasticell-pdb-per-tier` (advisory, stack policy): each elasticell tier has a PodDisruptionBudget. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdbPerTier } from "../../../policies/rules/pdb-per-tier";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateStack } from "../../helpers/policy";
import { pdb, statefulSet, Tiers } from "../fixtures";

const Pdb = "kubernetes:policy/v1:PodDisruptionBudget";

describe("elasticell-pdb-per-tier", () => {
    it("accepts a PDB per tier", async () => {
        const resources = Tiers.flatMap((t) => [
            { resourceClass: StatefulSet, props: statefulSet(t), name: `demo-${t}` },
            { type: Pdb, props: pdb(t), name: `demo-${t}-pdb` },
        ]);
        assert.deepEqual(await validateStack(pdbPerTier, { resources }), []);
    });

    it("flags a tier without a PDB, and a PDB in another namespace or for another cluster", async () => {
        const resources = [
            { resourceClass: StatefulSet, props: statefulSet("pd"), name: "demo-pd" },
            { type: Pdb, props: pdb("pd", "demo", "staging"), name: "wrong-ns" },
            { resourceClass: StatefulSet, props: statefulSet("store"), name: "demo-store" },
            { type: Pdb, props: pdb("store", "other"), name: "wrong-cluster" },
            { resourceClass: StatefulSet, props: statefulSet("proxy"), name: "demo-proxy" },
            { type: Pdb, props: pdb("proxy"), name: "ok" },
        ];
        const violations = await validateStack(pdbPerTier, { resources });
        assert.deepEqual(
            violations.map((v) => /, tier (\w+), StatefulSet/.exec(v.message)?.[1]),
            ["pd", "store"],
        );
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /Add a PodDisruptionBudget named demo-pd/);
        assert.equal(violations[0].urn, "urn:pulumi:test::elasticell::kubernetes:apps/v1:StatefulSet::demo-pd");
    });
});
