/** The PD double behaves as docs/pd-api-and-real-binary-facts.md says PD does (see pd-double.ts for sources). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PdDouble, StoreState } from "./pd-double";

async function call(url: string, method = "GET", body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    let json: unknown = text;
    try {
        json = JSON.parse(text);
    } catch {
        // plain text answers (404, non-leader)
    }
    return { status: res.status, json };
}

async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) {
        await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(check(), "timed out");
}

describe("PdDouble", () => {
    let pd: PdDouble;
    let api: string;
    before(async () => {
        pd = PdDouble.seeded("demo", "prod", 4, 8, { moveDelayMs: 30 });
        api = `${await pd.start()}/pd/api/v1`;
    });
    after(() => pd.stop());

    it("answers HTTP 200 with the envelope; stores carry id, address, lables and state (source)", async () => {
        const r = await call(`${api}/stores`);
        assert.equal(r.status, 200);
        assert.equal(r.json.code, 0);
        const first = r.json.value[0];
        assert.deepEqual(Object.keys(first.meta).sort(), ["address", "clientAddress", "id", "lables", "state"]);
        assert.equal(first.meta.address, "demo-store-0.demo-store-peer.prod.svc:10800");
        assert.ok("leaderCount" in first.status && "lastHeartbeatTS" in first.status);
        const missing = await call(`${api}/stores/999`);
        assert.deepEqual([missing.status, missing.json.code], [200, 1]);
    });

    it("answers `cluster not bootstrapped` (code 1) before any store joined (source)", async () => {
        const empty = new PdDouble();
        const u = await empty.start();
        try {
            const r = await call(`${u}/pd/api/v1/stores`);
            assert.deepEqual([r.status, r.json.code, r.json.error], [200, 1, "cluster not bootstrapped"]);
            assert.equal((await call(`${u}/pd/api/v1/system`)).json.value.alreadyBootstrapped, false);
        } finally {
            await empty.stop();
        }
    });

    it("DELETE takes a store Offline, moves its replicas and leaders away, then Tombstone (source)", async () => {
        const id = 4;
        assert.ok((await call(`${api}/stores/${id}/cells`)).json.value.length > 0);
        await call(`${api}/stores/${id}`, "DELETE");
        assert.equal(pd.stores.get(id)!.state, StoreState.Offline);
        assert.equal((await call(`${api}/system`)).json.value.offlineStoreCount, 1);
        await until(() => pd.stores.get(id)!.state === StoreState.Tombstone);
        assert.deepEqual((await call(`${api}/stores/${id}/cells`)).json.value, []);
        const cells = (await call(`${api}/cells`)).json.value as {
            meta: { peers: { storeID: number }[] };
            leader: { storeID: number };
        }[];
        assert.ok(
            cells.every(
                (c) =>
                    c.meta.peers.length === 3 && c.leader.storeID !== id && c.meta.peers.every((p) => p.storeID !== id),
            ),
        );
        assert.equal((await call(`${api}/system`)).json.value.tombStoneStoreCount, 1);
    });

    it("?force sets Tombstone at once (source; the drain never uses it)", async () => {
        const id = pd.addStore("x:10800");
        await call(`${api}/stores/${id}?force`, "DELETE");
        assert.equal(pd.stores.get(id)!.state, StoreState.Tombstone);
    });

    it("transfers a cell's leader to one of its peers (source)", async () => {
        const cell = [...pd.cells.values()][0]!;
        const to = cell.peers.find((p) => p.id !== cell.leaderPeerId)!;
        const r = await call(`${api}/cells/${cell.id}/leader`, "PUT", { cellId: cell.id, toPeerId: to.id });
        assert.equal(r.json.code, 0);
        assert.equal((await call(`${api}/cells/${cell.id}`)).json.value.leader.id, to.id);
        assert.equal(
            (await call(`${api}/cells/${cell.id}/leader`, "PUT", { cellId: cell.id, toPeerId: 12345 })).json.code,
            1,
        );
    });

    it("answers as a non-leader member with the rendered flags, and /health (measured)", async () => {
        pd.notLeader = true;
        const r = await call(`${api}/stores`);
        pd.notLeader = false;
        assert.deepEqual([r.status, r.json], [500, "redirect to not leader"]);
        const base = api.replace(/\/pd\/api\/v1$/, "");
        assert.deepEqual((await call(`${base}/health`)).json, { health: "true" });
        pd.healthy = false;
        assert.equal((await call(`${base}/health`)).status, 503);
        pd.healthy = true;
    });
});
