/** scripts/operate/status-model.ts: the status verdict, one problem line per thing that is wrong. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { problems, type StatusReport } from "../../../scripts/operate/status-model";
import { pdView, report, store, tier } from "./status-fixtures";

describe("status verdict", () => {
    const rows: { name: string; r: StatusReport; want: RegExp[] }[] = [
        { name: "healthy", r: report(), want: [] },
        {
            name: "fewer Ready than the live replicas",
            r: report({ tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: 4, ready: 3 }), tier("proxy", 1)] }),
            want: [/store: 3 of 4 pods Ready \(stack 3, live 4\)/, /store opr-store-3: not registered in PD/],
        },
        {
            name: "fewer Ready than the stack asks (live scaled down)",
            r: report({ tiers: [tier("pd", 3), tier("store", 3), tier("proxy", 3, { liveReplicas: 1, ready: 1 })] }),
            want: [/proxy: 1 of 3 pods Ready/],
        },
        {
            name: "StatefulSet missing",
            r: report({
                tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: undefined, ready: 0 }), tier("proxy", 1)],
            }),
            want: [/store: StatefulSet ns\/opr-store not found/],
        },
        {
            name: "a store Offline",
            r: report({ pd: pdView({ stores: [store(0), store(1, "Offline"), store(2)] }) }),
            want: [/store opr-store-1 \(PD store 2\): Offline/],
        },
        {
            name: "a store not registered",
            r: report({ pd: pdView({ stores: [store(0), store(1)] }) }),
            want: [/store opr-store-2: not registered in PD/],
        },
        {
            name: "a cell missing replicas",
            r: report({ pd: pdView({ replicasNotFullCellCount: 2 }) }),
            want: [/2 cell\(s\) miss replicas/],
        },
        {
            name: "PD unreachable",
            r: report({ pd: { reachable: false, source: "", reason: "ECONNREFUSED" } }),
            want: [/^PD not reachable: ECONNREFUSED; store states unknown$/],
        },
        {
            name: "a member unhealthy",
            r: report({ members: [{ pod: "opr-pd-0", ready: true, health: "false" }] }),
            want: [/member opr-pd-0 reports unhealthy/],
        },
        {
            name: "Kubernetes API down",
            r: report({ kubernetesError: "ECONNREFUSED", tiers: [] }),
            want: [/Kubernetes API not readable: ECONNREFUSED/],
        },
    ];
    for (const row of rows) {
        it(row.name, () => {
            const found = problems(row.r);
            assert.equal(found.length, row.want.length, found.join("\n"));
            row.want.forEach((re, i) => assert.match(found[i], re));
        });
    }

    it("a drained store (Tombstone above the live replicas) and a re-registered ordinal are healthy", () => {
        const stores = [store(0), store(1), store(2), store(3, "Tombstone", 9), store(2, "Tombstone", 8)];
        assert.deepEqual(problems(report({ pd: pdView({ stores }) })), []);
    });
});
