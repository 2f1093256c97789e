/**
 * The store's preStop hook (components/store-health.ts), the rolling-update
 * gate, run with /bin/sh against the PD double on loopback.
 *
 * From elasticell's source (via the double): `/system`'s
 * `replicasNotFullCellCount`, the `/stores` and `/cells` shapes, `PUT
 * /cells/{id}/leader` with `{cellId, toPeerId}`. Assumed by the double: a
 * leader transfer takes effect at once. Ours: the budget, the order (wait for
 * replicas, then move leaders) and that the hook always exits 0.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { storePreStopScript } from "../../../components/store-health";
import { StorePorts } from "../../../components/store";
import { PdDouble, storeAddress } from "../../helpers/pd-double";
import { BaseTools, ShSandbox } from "../../helpers/sh-run";
import { readFileSync } from "node:fs";

const script = storePreStopScript(StorePorts);
const pod = {
    HOSTNAME: "demo-store-0",
    PEER_SERVICE_NAME: "demo-store-peer",
    NAMESPACE: "ns1",
    PRESTOP_POLL_SECONDS: "1",
};

/** Store IDs whose peers lead a cell. */
function leaders(pd: PdDouble): number[] {
    return [...pd.cells.values()].map((c) => c.peers.find((p) => p.id === c.leaderPeerId)!.storeID);
}

describe("store preStop: wait for full replicas, move leaders away, within the budget", () => {
    let curl: ShSandbox;
    let gnuWget: ShSandbox;
    let none: ShSandbox;
    let nc: ShSandbox;
    before(() => {
        curl = new ShSandbox([...BaseTools, "curl", "wget"]);
        gnuWget = new ShSandbox([...BaseTools, "wget"]);
        none = new ShSandbox([...BaseTools, "wget"]);
        // A busybox-like wget: GETs through the real one, knows neither --method nor --tries.
        none.fake(
            "wget",
            'case "$1" in --help) echo "Usage: wget [-cqS] [-O FILE] [-T SEC] URL" >&2; exit 1 ;; esac\nexec /usr/bin/wget "$@"',
        );
        // busybox wget for GETs, and an `nc` (node, as busybox's: stdin to the socket, the socket to stdout) for the PUT.
        nc = new ShSandbox([...BaseTools]);
        nc.fake(
            "wget",
            'case "$1" in --help) echo "Usage: wget [-cqS] [-O FILE] [-T SEC] URL" >&2; exit 1 ;; esac\nexec /usr/bin/wget "$@"',
        );
        const ncJs =
            "const s=require('net').connect(+process.argv[3],process.argv[2]);process.stdin.pipe(s);s.pipe(process.stdout);s.on('error',()=>process.exit(1));";
        nc.fake("nc", `shift 2\nexec ${process.execPath} -e "${ncJs}" x "$@"`);
    });
    after(() => [curl, gnuWget, none, nc].forEach((s) => s.dispose()));

    async function prestop(sb: ShSandbox, url: string, env: Record<string, string> = {}) {
        const log = sb.file(`prestop-${Date.now()}.log`, "");
        const r = await sb.run(script, { ...pod, PD_URL: url, PRESTOP_LOG: log, ...env });
        return { ...r, log: readFileSync(log, "utf8") };
    }

    for (const [name, sb] of [
        ["curl", () => curl],
        ["GNU wget --method", () => gnuWget],
        ["a raw HTTP/1.0 request through nc", () => nc],
    ] as const) {
        it(`moves every leader off this store to a peer on another store (PUT with ${name})`, async () => {
            const pd = PdDouble.seeded("demo", "ns1", 3, 6);
            const me = pd.storeByAddress(storeAddress("demo", "ns1", 0))!.id;
            assert.ok(leaders(pd).includes(me), "the seed has leaders on store 0");
            await pd.serve(async (url) => {
                const r = await prestop(sb(), url);
                assert.equal(r.code, 0, r.stdout + r.stderr + r.log);
                assert.ok(!leaders(pd).includes(me), r.log);
                const puts = pd.requests.filter((q) => q.method === "PUT");
                assert.ok(puts.length > 0 && puts.every((q) => /^\/pd\/api\/v1\/cells\/\d+\/leader$/.test(q.path)));
                assert.match(r.log, /cell \d+: leader to peer \d+/);
                assert.match(r.log, new RegExp(`store ${me} leads no cell: stopping`));
                assert.ok(r.ms < 5000, `took ${r.ms} ms`);
            });
        });
    }

    it("leaves other stores' leaders alone and asks nothing when it leads no cell", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3, 6);
        const me = pd.storeByAddress(storeAddress("demo", "ns1", 0))!.id;
        for (const c of pd.cells.values()) {
            c.leaderPeerId = c.peers.find((p) => p.storeID !== me)!.id;
        }
        const before = leaders(pd);
        await pd.serve(async (url) => {
            const r = await prestop(curl, url);
            assert.equal(r.code, 0);
            assert.deepEqual(leaders(pd), before);
            assert.equal(pd.requests.filter((q) => q.method === "PUT").length, 0);
        });
    });

    it("waits while a cell misses replicas, and goes on as soon as none does", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 4, 4);
        const cell = [...pd.cells.values()][1];
        const full = cell.peers;
        cell.peers = full.slice(0, 2); // replicasNotFullCellCount = 1
        const url = await pd.start();
        const heal = setTimeout(() => (cell.peers = full), 2500);
        try {
            const r = await prestop(curl, url, { PRESTOP_SECONDS: "20" });
            assert.equal(r.code, 0);
            assert.match(r.log, /1 cells miss replicas, 0 have lagging peers: waiting/);
            assert.ok(r.ms >= 2000 && r.ms < 8000, `took ${r.ms} ms`);
            const firstPut = pd.requests.findIndex((q) => q.method === "PUT");
            const lastSystem = pd.requests.map((q) => q.path).lastIndexOf("/pd/api/v1/system");
            assert.ok(firstPut > lastSystem, "leaders move only after the replicas are full");
        } finally {
            clearTimeout(heal);
            await pd.stop();
        }
    });

    it("never waits past the budget: replicas that stay short, then leaders that cannot move", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3, 3);
        const me = pd.storeByAddress(storeAddress("demo", "ns1", 0))!.id;
        [...pd.cells.values()][0].peers.pop(); // one cell short of replicas for good
        pd.addCell([me]); // led here with no peer elsewhere: nothing can take its leader
        await pd.serve(async (url) => {
            const r = await prestop(curl, url, { PRESTOP_SECONDS: "5", PRESTOP_RESERVE_SECONDS: "2" });
            assert.equal(r.code, 0);
            // Both the short cell and the one-peer cell miss replicas.
            assert.match(r.log, /2 cells still miss replicas, 0 have lagging peers; stopping anyway \(budget 5s\)/);
            assert.match(r.log, /no healthy peer on another store/);
            assert.match(r.log, /still leads 1 cells after 5s: stopping anyway/);
            assert.ok(r.ms >= 4000 && r.ms < 9000, `took ${r.ms} ms`);
        });
    });

    it("PD down: exits 0 at once, logging why (the store must still stop)", async () => {
        const pd = new PdDouble();
        const url = await pd.start();
        await pd.stop();
        const r = await prestop(curl, url);
        assert.equal(r.code, 0);
        assert.match(r.log, /PD did not answer \/system/);
        assert.match(r.log, /no leaders to move/);
        assert.ok(r.ms < 3000, `took ${r.ms} ms`);
    });

    it("without curl, GNU wget or nc (busybox wget only): logs that it cannot PUT and stops at once", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3, 3);
        const me = pd.storeByAddress(storeAddress("demo", "ns1", 0))!.id;
        await pd.serve(async (url) => {
            const r = await prestop(none, url);
            assert.equal(r.code, 0);
            assert.match(r.log, /cannot ask PD to move leaders/);
            assert.equal(pd.requests.filter((q) => q.method === "PUT").length, 0);
            assert.ok(leaders(pd).includes(me));
            assert.ok(r.ms < 3000, `took ${r.ms} ms`);
        });
    });
});
