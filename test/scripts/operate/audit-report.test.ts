/** scripts/operate/audit-report.ts: `pulumi policy analyze --json` events into `tier: deployed -> requested` lines. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAnalyzeOutput, violationLine, violationOf } from "../../../scripts/operate/audit-report";

const urn = (name: string) =>
    `urn:pulumi:ops::elasticell::elasticell:index:CellCluster$elasticell:index:Tier$kubernetes:apps/v1:StatefulSet::${name}`;
const event = (policyName: string, enforcementLevel: string, message: string, resourceUrn = urn("opr-store")) => ({
    sequence: 1,
    policyEvent: { resourceUrn, message, policyName, enforcementLevel, policyPackName: "elasticell" },
});

describe("audit report", () => {
    const rows = [
        {
            name: "store scale-in drift",
            ev: event(
                "elasticell-store-no-scale-in",
                "mandatory",
                'Store replicas ... must not go below.\nelasticell cluster "opr", tier store, StatefulSet ns/opr-store: Store replicas would go down 4 -> 3 (deployed -> requested); the deployed size comes from the live StatefulSet.\nWhy: ...',
            ),
            line: "store: 4 -> 3 (deployed -> requested) [elasticell-store-no-scale-in] StatefulSet ns/opr-store: Store replicas would go down",
        },
        {
            name: "PD resize with a defaulted count",
            ev: event(
                "elasticell-pd-replicas-fixed",
                "mandatory",
                'PD ...\nelasticell cluster "opr", tier pd, StatefulSet ns/opr-pd: PD replicas would change 5 -> 3 (deployed -> requested; spec.replicas is not set, so Kubernetes uses 1); the deployed size comes from X.',
                urn("opr-pd"),
            ),
            line: "pd: 5 -> 3 (deployed -> requested) [elasticell-pd-replicas-fixed] StatefulSet ns/opr-pd: PD replicas would change",
        },
        {
            name: "field change (no-stateful-replace)",
            ev: event(
                "elasticell-no-stateful-replace",
                "mandatory",
                'x\nelasticell cluster "opr", tier store, StatefulSet ns/opr-store: spec.serviceName: a -> b (deployed -> requested).\nmore',
            ),
            line: "store: a -> b (deployed -> requested) [elasticell-no-stateful-replace] StatefulSet ns/opr-store: spec.serviceName",
        },
        {
            name: "unreadable target: no transition",
            ev: event(
                "elasticell-store-no-scale-in",
                "mandatory",
                'x\nelasticell cluster "opr", tier store, StatefulSet ns/opr-store: cannot read the deployed state from the API: refused; see below',
            ),
            line: "store: [elasticell-store-no-scale-in] StatefulSet ns/opr-store: cannot read the deployed state from the API: refused",
        },
        {
            name: "stack policy without a URN or the subject line",
            ev: event(
                "elasticell-no-tier-removal",
                "mandatory",
                "A plan must keep tiers.\nthe plan drops opr-store",
                "",
            ),
            line: "stack: [elasticell-no-tier-removal]: A plan must keep tiers",
        },
    ];
    for (const r of rows) {
        it(r.name, () => {
            const v = violationOf(r.ev);
            assert.ok(v !== undefined);
            assert.equal(violationLine(v), r.line);
        });
    }

    it("reads only policy events from the JSON lines, with their level", () => {
        const out = [
            JSON.stringify({ sequence: 0, summaryEvent: {} }),
            "not json",
            JSON.stringify(rows[0].ev),
            JSON.stringify(
                event(
                    "elasticell-image-pinned",
                    "advisory",
                    'x\nelasticell cluster "opr", tier pd, StatefulSet ns/opr-pd: image uses :latest',
                    urn("opr-pd"),
                ),
            ),
        ].join("\n");
        const vs = parseAnalyzeOutput(out);
        assert.deepEqual(
            vs.map((v) => [v.rule, v.level, v.resource, v.tier]),
            [
                ["elasticell-store-no-scale-in", "mandatory", "opr-store", "store"],
                ["elasticell-image-pinned", "advisory", "opr-pd", "pd"],
            ],
        );
        assert.equal(vs[1].deployed, undefined);
    });
});
