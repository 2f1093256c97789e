/** The PD double behaves as docs/pd-api-and-real-binary-facts.md says PD does (see pd-double.ts for sources). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PdDouble, StoreState } from "./pd-double";

async function call(url: string, method = "GET", body?: unknown): Promise<{ status: number; json: unknown }> {
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

/** PD's answer envelope: `code` 0 with a `value`, or 1 with an `error`. */
interface Envelope<V> {
    readonly code: number;
    readonly error?: string;
    readonly value: V;
}

/** A PD API call answered with HTTP 200 and the envelope (its value as the caller says). */
async function pd200<V = unknown>(url: string, method = "GET", body?: unknown): Promise<Envelope<V>> {
    const r = await call(url, method, body);
    assert.equal(r.status, 200, `${method} ${url}`);
    return r.json as Envelope<V>;
}

interface System {
    readonly alreadyBootstrapped: boolean;
    readonly offlineStoreCount: number;
    readonly tombStoneStoreCount: number;
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
        const r = await pd200<{ meta: { address: string }; status: object }[]>(`${api}/stores`);
        assert.equal(r.code, 0);
        const [first] = r.value;
        assert.ok(first !== undefined);
        assert.deepEqual(Object.keys(first.meta).sort(), ["address", "clientAddress", "id", "lables", "state"]);
        assert.equal(first.meta.address, "demo-store-0.demo-store-peer.prod.svc:10800");
        assert.ok("leaderCount" in first.status && "lastHeartbeatTS" in first.status);
        assert.equal((await pd200(`${api}/stores/999`)).code, 1);
    });

    it("answers `cluster not bootstrapped` (code 1) before any store joined (source)", async () => {
        const empty = new PdDouble();
        const u = await empty.start();
        try {
            const r = await pd200(`${u}/pd/api/v1/stores`);
            assert.deepEqual([r.code, r.error], [1, "cluster not bootstrapped"]);
            assert.equal((await pd200<System>(`${u}/pd/api/v1/system`)).value.alreadyBootstrapped, false);
        } finally {
            await empty.stop();
        }
    });

    it(
        "DELETE takes a store Offline, moves its replicas and leaders away, then Tombstone (source)",
        { timeout: 10_000 },
        async () => {
            const id = 4;
            assert.ok((await pd200<unknown[]>(`${api}/stores/${id}/cells`)).value.length > 0);
            await call(`${api}/stores/${id}`, "DELETE");
            assert.equal(pd.stores.get(id)!.state, StoreState.Offline);
            assert.equal((await pd200<System>(`${api}/system`)).value.offlineStoreCount, 1);
            await pd.tombstoned(id);
            assert.deepEqual((await pd200(`${api}/stores/${id}/cells`)).value, []);
            const cells = (
                await pd200<
                    {
                        meta: { peers: { storeID: number }[] };
                        leader: { storeID: number };
                    }[]
                >(`${api}/cells`)
            ).value;
            assert.ok(
                cells.every(
                    (c) =>
                        c.meta.peers.length === 3 &&
                        c.leader.storeID !== id &&
                        c.meta.peers.every((p) => p.storeID !== id),
                ),
            );
            assert.equal((await pd200<System>(`${api}/system`)).value.tombStoneStoreCount, 1);
        },
    );

    it("?force sets Tombstone at once (source; the drain never uses it)", async () => {
        const id = pd.addStore("x:10800");
        await call(`${api}/stores/${id}?force`, "DELETE");
        assert.equal(pd.stores.get(id)!.state, StoreState.Tombstone);
    });

    it("transfers a cell's leader to one of its peers (source)", async () => {
        const cell = [...pd.cells.values()][0];
        const to = cell.peers.find((p) => p.id !== cell.leaderPeerId)!;
        const r = await pd200(`${api}/cells/${cell.id}/leader`, "PUT", { cellId: cell.id, toPeerId: to.id });
        assert.equal(r.code, 0);
        assert.equal((await pd200<{ leader: { id: number } }>(`${api}/cells/${cell.id}`)).value.leader.id, to.id);
        assert.equal(
            (await pd200(`${api}/cells/${cell.id}/leader`, "PUT", { cellId: cell.id, toPeerId: 12345 })).code,
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
