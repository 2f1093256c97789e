/**
 * A double of PD's HTTP API (client port 2379, prefix `/pd/api/v1`), for tests that need a PD
 * (the drain, the pack's PD reader, health gates). No elasticell binary runs on these machines,
 * so this is built from `docs/pd-api-and-real-binary-facts.md`. Where each behaviour comes from:
 * - From elasticell's source (pkg/pdapi, pkg/pdserver, pkg/pb/metapb at acb9878b): the routes, the
 *   envelope `{code, error, value}` on HTTP 200 (code 0 success, 1 error), the store and cell shapes
 *   (including the `lables` spelling), store states 0 Up / 1 Offline / 2 Tombstone, `DELETE
 *   /stores/{id}` taking a store offline and Tombstone once no cell replica is left on it, `?force`
 *   setting Tombstone at once, `PUT /cells/{id}/leader` with `{cellId, toPeerId}`, the system
 *   summary's fields, and `cluster not bootstrapped` before any store joined.
 * - From the measurements (real pd binary, 2026-11-25): non-leader members answering every
 *   `/pd/api/...` call with HTTP 500 "redirect to not leader" when the client URL is `0.0.0.0`
 *   (`notLeader`), and `GET /health` answering `{"health":"true"}` or 503 `{"health":"false"}`.
 * - Assumptions of this double (neither source nor measured; tests must not rely on their text):
 *   how long replica moves take (`moveDelayMs`), the error texts for unknown or tombstoned
 *   stores, and that PD leaves a store Offline while no other Up store can take its replicas.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** Store states, as metapb.StoreState numbers them (source). */
export const StoreState = { Up: 0, Offline: 1, Tombstone: 2 } as const;
export type StoreStateValue = (typeof StoreState)[keyof typeof StoreState];

/** A store as the double holds it. */
export interface DoubleStore {
    readonly id: number;
    /** `--addr`: `<pod>.<cluster>-store-peer.<ns>.svc:10800` for the program's stores. */
    readonly address: string;
    readonly clientAddress: string;
    state: StoreStateValue;
    readonly labels: { key: string; value: string }[];
}

/** A cell (raft group): its peers, one per store, and the leader peer. */
export interface DoubleCell {
    readonly id: number;
    peers: { id: number; storeID: number }[];
    leaderPeerId: number;
}

/** Options of a `PdDouble`. */
export interface PdDoubleOptions {
    /** Delay between a store going Offline and its replicas having moved (then Tombstone). @default 300 */
    readonly moveDelayMs?: number;
    /** While true, an offline store does not finish moving (a drain that cannot finish); clearing it resumes. @default false */
    readonly stuck?: boolean;
    /** Replicas per cell (PD's maxReplicas). @default 3 */
    readonly maxReplicas?: number;
}

/** One request the double answered. */
export interface DoubleRequest {
    readonly method: string;
    readonly path: string;
}

/** The address a program's store registers with: `<cluster>-store-<i>.<cluster>-store-peer.<ns>.svc:10800`. */
export function storeAddress(cluster: string, namespace: string, ordinal: number): string {
    return `${cluster}-store-${ordinal}.${cluster}-store-peer.${namespace}.svc:10800`;
}

/** PD's HTTP API over a loopback (or any local) address, with the state tests set and read. */
export class PdDouble {
    readonly stores = new Map<number, DoubleStore>();
    readonly cells = new Map<number, DoubleCell>();
    readonly requests: DoubleRequest[] = [];
    /** Answer every API call as a non-leader member with the rendered flags does (measured). */
    notLeader = false;
    /** `GET /health`: true answers `{"health":"true"}`, false 503 (measured). */
    healthy = true;
    moveDelayMs: number;
    stuck: boolean;
    readonly maxReplicas: number;
    private nextId = 1;
    private readonly timers = new Set<NodeJS.Timeout>();
    private readonly moving = new Map<number, { from: number; to: number; cell: number }[]>();
    private server: http.Server | undefined;

    constructor(opts: PdDoubleOptions = {}) {
        this.moveDelayMs = opts.moveDelayMs ?? 300;
        this.stuck = opts.stuck ?? false;
        this.maxReplicas = opts.maxReplicas ?? 3;
    }

    /**
     * A bootstrapped cluster: `stores` Up stores of the program's cluster `cluster` in `namespace`
     * (store IDs 1.., ordinal i at its address) and `cells` cells spread round-robin over them.
     */
    static seeded(cluster: string, namespace: string, stores: number, cells = 6, opts: PdDoubleOptions = {}): PdDouble {
        const pd = new PdDouble(opts);
        for (let i = 0; i < stores; i++) {
            pd.addStore(storeAddress(cluster, namespace, i));
        }
        for (let c = 0; c < cells; c++) {
            pd.addCell([0, 1, 2].map((k) => ((c + k) % stores) + 1));
        }
        return pd;
    }

    /** Registers a store (as a store's first heartbeat does); returns its ID. */
    addStore(address: string, state: StoreStateValue = StoreState.Up): number {
        const id = this.nextId++;
        const clientAddress = address.replace(/:10800$/, ":6370");
        this.stores.set(id, { id, address, clientAddress, state, labels: [{ key: "zone", value: "zone-1" }] });
        return id;
    }

    /** Adds a cell with one peer on each of `storeIds`, the first one leading; returns its ID. */
    addCell(storeIds: readonly number[]): number {
        const id = this.nextId++;
        const peers = storeIds.map((storeID) => ({ id: this.nextId++, storeID }));
        this.cells.set(id, { id, peers, leaderPeerId: peers[0]!.id });
        return id;
    }

    /** The store registered with `address` (the newest one when several did). */
    storeByAddress(address: string): DoubleStore | undefined {
        return [...this.stores.values()].filter((s) => s.address === address).pop();
    }

    /** Starts listening; returns the base URL (`http://host:port`). */
    async start(host = "127.0.0.1", port = 0): Promise<string> {
        this.server = http.createServer((req, res) => this.handle(req, res));
        await new Promise<void>((resolve, reject) => {
            this.server!.once("error", reject);
            this.server!.listen(port, host, resolve);
        });
        const a = this.server.address() as AddressInfo;
        return `http://${host}:${a.port}`;
    }

    /** Stops listening and cancels pending moves. */
    async stop(): Promise<void> {
        for (const t of this.timers) {
            clearTimeout(t);
        }
        this.timers.clear();
        if (this.server !== undefined) {
            this.server.closeAllConnections();
            await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        }
    }

    private bootstrapped(): boolean {
        return this.stores.size > 0;
    }

    private storeJson(s: DoubleStore) {
        const leaderCount = [...this.cells.values()].filter((c) => c.peers.find((p) => p.id === c.leaderPeerId)?.storeID === s.id).length;
        return {
            meta: { id: s.id, address: s.address, lables: s.labels, state: s.state, clientAddress: s.clientAddress },
            status: { stats: { storeID: s.id, cellCount: this.cellsOf(s.id).length }, leaderCount, lastHeartbeatTS: Math.floor(Date.now() / 1000) },
        };
    }

    private cellJson(c: DoubleCell) {
        return {
            meta: { id: c.id, peers: c.peers, start: "", end: "" },
            leader: c.peers.find((p) => p.id === c.leaderPeerId) ?? null,
            downPeers: [],
            pendingPeers: [],
        };
    }

    private cellsOf(storeId: number): DoubleCell[] {
        return [...this.cells.values()].filter((c) => c.peers.some((p) => p.storeID === storeId));
    }

    /** Takes a store offline; its replicas move to other Up stores after `moveDelayMs`, then Tombstone. */
    private offline(s: DoubleStore, force: boolean): void {
        if (force) {
            s.state = StoreState.Tombstone;
            return;
        }
        if (s.state !== StoreState.Up) {
            return;
        }
        s.state = StoreState.Offline;
        this.scheduleMove(s);
    }

    private scheduleMove(s: DoubleStore): void {
        const ops = this.cellsOf(s.id).map((c) => ({ from: s.id, to: 0, cell: c.id }));
        this.moving.set(s.id, ops);
        const t = setTimeout(() => {
            this.timers.delete(t);
            if (s.state !== StoreState.Offline) {
                return;
            }
            if (this.stuck) {
                this.scheduleMove(s); // look again later: clearing `stuck` lets the move finish
                return;
            }
            for (const c of this.cellsOf(s.id)) {
                const target = [...this.stores.values()].find(
                    (o) => o.state === StoreState.Up && !c.peers.some((p) => p.storeID === o.id),
                );
                if (target === undefined) {
                    return; // nowhere to move: the store stays Offline (assumption)
                }
                const peer = c.peers.find((p) => p.storeID === s.id)!;
                const moved = { id: this.nextId++, storeID: target.id };
                c.peers = c.peers.map((p) => (p === peer ? moved : p));
                if (c.leaderPeerId === peer.id) {
                    c.leaderPeerId = c.peers.find((p) => p.storeID !== s.id)!.id;
                }
            }
            this.moving.delete(s.id);
            s.state = StoreState.Tombstone;
        }, this.moveDelayMs);
        this.timers.add(t);
    }

    private system() {
        const stores = [...this.stores.values()];
        const count = (st: number) => stores.filter((s) => s.state === st).length;
        return {
            alreadyBootstrapped: this.bootstrapped(),
            maxReplicas: this.maxReplicas,
            storeCount: stores.length,
            offlineStoreCount: count(StoreState.Offline),
            tombStoneStoreCount: count(StoreState.Tombstone),
            cellCount: this.cells.size,
            replicasNotFullCellCount: [...this.cells.values()].filter((c) => c.peers.length < this.maxReplicas).length,
            storageCapacity: stores.length * 100 * 2 ** 30,
            storageAvailable: stores.length * 90 * 2 ** 30,
            operatorCount: [...this.moving.values()].flat().length,
        };
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const url = new URL(req.url ?? "/", "http://pd");
        const method = req.method ?? "GET";
        this.requests.push({ method, path: url.pathname + url.search });
        let body = "";
        req.on("data", (d: Buffer) => (body += d.toString("utf8")));
        req.on("end", () => {
            if (url.pathname === "/health") {
                reply(res, this.healthy ? 200 : 503, { health: String(this.healthy) });
                return;
            }
            if (!url.pathname.startsWith("/pd/api/v1/")) {
                res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found\n");
                return;
            }
            if (this.notLeader) {
                res.writeHead(500, { "Content-Type": "text/plain" }).end("redirect to not leader");
                return;
            }
            const out = this.route(method, url, body);
            if (out === undefined) {
                res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found\n");
                return;
            }
            reply(res, 200, out);
        });
    }

    /** The envelope of one API call; undefined for an unknown route. */
    private route(method: string, url: URL, body: string): { code: number; error: string; value: unknown } | undefined {
        const ok = (value: unknown) => ({ code: 0, error: "", value });
        const fail = (error: string) => ({ code: 1, error, value: null });
        const p = url.pathname.slice("/pd/api/v1".length).split("/").filter((x) => x !== "");
        if (method === "GET" && p.length === 1 && p[0] === "system") {
            return ok(this.system());
        }
        if (method === "GET" && p.length === 1 && p[0] === "operators") {
            return ok([...this.moving.values()].flat().map((o) => ({ kind: "move", cellID: o.cell, fromStore: o.from })));
        }
        if (p[0] !== "stores" && p[0] !== "cells") {
            return undefined;
        }
        if (!this.bootstrapped()) {
            return fail("cluster not bootstrapped");
        }
        const id = p[1] === undefined ? undefined : Number(p[1]);
        if (p[0] === "stores") {
            if (method === "GET" && p.length === 1) {
                return ok([...this.stores.values()].map((s) => this.storeJson(s)));
            }
            const s = id === undefined ? undefined : this.stores.get(id);
            if (s === undefined) {
                return p.length <= 3 ? fail(`store ${p[1] ?? ""} not found`) : undefined;
            }
            if (method === "GET" && p.length === 2) {
                return ok(this.storeJson(s));
            }
            if (method === "GET" && p.length === 3 && p[2] === "cells") {
                return ok(this.cellsOf(s.id).map((c) => this.cellJson(c)));
            }
            if (method === "DELETE" && p.length === 2) {
                if (s.state === StoreState.Tombstone) {
                    return fail(`store ${s.id} is tombstone`);
                }
                this.offline(s, url.searchParams.has("force"));
                return ok(null);
            }
            return undefined;
        }
        if (method === "GET" && p.length === 1) {
            return ok([...this.cells.values()].map((c) => this.cellJson(c)));
        }
        const c = id === undefined ? undefined : this.cells.get(id);
        if (c === undefined) {
            return fail(`cell ${p[1] ?? ""} not found`);
        }
        if (method === "GET" && p.length === 2) {
            return ok(this.cellJson(c));
        }
        if (method === "PUT" && p.length === 3 && p[2] === "leader") {
            let req: { cellId?: unknown; toPeerId?: unknown };
            try {
                req = JSON.parse(body) as typeof req;
            } catch {
                return fail("invalid request body");
            }
            const to = c.peers.find((x) => x.id === req.toPeerId);
            if (req.cellId !== c.id || to === undefined) {
                return fail(`cell ${c.id} has no peer ${String(req.toPeerId)}`);
            }
            c.leaderPeerId = to.id;
            return ok(null);
        }
        return undefined;
    }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}
