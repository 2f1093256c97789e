/**
 * The awk/sed parsers of PD's JSON in the store's health scripts
 * (components/tier/pd-shell.ts), fed hand-written bodies in the shapes of
 * elasticell's pkg/pdapi (docs/pd-api-and-real-binary-facts.md), pretty-printed
 * as well as compact (pd_get strips whitespace the same way: `tr -d`).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pdShellFunctions } from "../../../components/tier/pd-shell";
import { BaseTools, ShSandbox } from "../../helpers/sh-run";

const stores = {
    code: 0,
    error: "",
    value: [
        // `lables` is PD's spelling; state 0 may be left out by an encoder that omits zero values.
        {
            meta: {
                id: 4,
                address: "demo-store-10.demo-store-peer.ns1.svc:10800",
                lables: [{ key: "zone", value: "a" }],
                clientAddress: "x:6370",
            },
            status: { leaderCount: 2 },
        },
        {
            meta: {
                id: 7,
                address: "demo-store-1.demo-store-peer.ns1.svc:10800",
                lables: [],
                state: 1,
                clientAddress: "y:6370",
            },
            status: { stats: { storeID: 7 }, leaderCount: 0 },
        },
    ],
};
const cell = (id: number, peers: [number, number][], leader: number, extra: Record<string, unknown> = {}) => ({
    meta: { id, peers: peers.map(([pid, storeID]) => ({ id: pid, storeID })), start: "", end: "" },
    leader: { id: leader, storeID: peers.find(([pid]) => pid === leader)![1] },
    downPeers: [],
    pendingPeers: [],
    ...extra,
});
const cells = {
    code: 0,
    error: "",
    value: [
        cell(
            10,
            [
                [11, 4],
                [12, 7],
                [13, 9],
            ],
            11,
        ),
        cell(
            20,
            [
                [21, 7],
                [22, 4],
                [23, 9],
            ],
            21,
        ),
        // Led by 4; peer 32 (store 7) is pending, so the leader goes to 33.
        cell(
            30,
            [
                [31, 4],
                [32, 7],
                [33, 9],
            ],
            31,
            { pendingPeers: [{ id: 32, storeID: 7 }] },
        ),
        // Led by 4; its only other peer is down: no target.
        cell(
            40,
            [
                [41, 4],
                [42, 7],
            ],
            41,
            { downPeers: [{ peer: { id: 42, storeID: 7 }, downSeconds: 30 }] },
        ),
    ],
};

describe("PD JSON parsing in sh (busybox-level awk and sed)", () => {
    let sb: ShSandbox;
    before(() => (sb = new ShSandbox(BaseTools)));
    after(() => sb.dispose());

    async function pipe(body: unknown, fn: string, env: Record<string, string> = {}, pretty = false) {
        const file = sb.file(
            `body-${fn.replace(/\W/g, "")}-${pretty}.json`,
            JSON.stringify(body, null, pretty ? 2 : undefined),
        );
        const r = await sb.run(`${pdShellFunctions()}\ntr -d ' \\t\\r\\n' < "${file}" | ${fn}`, env);
        return { code: r.code, out: r.stdout.trim() };
    }

    for (const pretty of [false, true]) {
        const how = pretty ? "pretty-printed" : "compact";
        it(`own_store finds this store by its whole address; absent state is Up (${how})`, async () => {
            const addr = (i: number) => `demo-store-${i}.demo-store-peer.ns1.svc:10800`;
            assert.deepEqual(await pipe(stores, "own_store", { STORE_ADDR: addr(10) }, pretty), {
                code: 0,
                out: "4 0",
            });
            assert.deepEqual(await pipe(stores, "own_store", { STORE_ADDR: addr(1) }, pretty), { code: 0, out: "7 1" });
            assert.equal((await pipe(stores, "own_store", { STORE_ADDR: addr(0) }, pretty)).code, 1);
        });

        it(`cells_led_by picks a peer on another store that is neither down nor pending (${how})`, async () => {
            assert.deepEqual((await pipe(cells, "cells_led_by 4", {}, pretty)).out.split("\n"), [
                "10 12",
                "30 33",
                "40 none",
            ]);
            assert.deepEqual((await pipe(cells, "cells_led_by 7", {}, pretty)).out.split("\n"), ["20 22"]);
            assert.equal((await pipe(cells, "cells_led_by 9", {}, pretty)).out, "");
        });

        it(`lagging_cells counts cells with a down or pending peer (${how})`, async () => {
            assert.equal((await pipe(cells, "lagging_cells", {}, pretty)).out, "2");
            assert.equal(
                (await pipe({ code: 0, value: [cells.value[0], cells.value[1]] }, "lagging_cells", {}, pretty)).out,
                "0",
            );
        });
    }

    it("json_num reads replicasNotFullCellCount; pd_ok tells code 0 from code 1", async () => {
        const system = {
            code: 0,
            error: "",
            value: { alreadyBootstrapped: true, cellCount: 4, replicasNotFullCellCount: 3, operatorCount: 0 },
        };
        assert.equal((await pipe(system, "json_num replicasNotFullCellCount")).out, "3");
        assert.equal((await pipe(system, "json_num noSuchKey")).out, "");
        const ok = await sb.run(
            `${pdShellFunctions()}\npd_ok '{"code":0,"value":null}' && ! pd_ok '{"code":1,"error":"cluster not bootstrapped"}' && ! pd_ok ''`,
        );
        assert.equal(ok.code, 0);
    });
});
