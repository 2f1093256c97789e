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
import { PdState, StoreState, storeAddress, type PdDoubleOptions } from "./pd-state";

export {
    PdState,
    StoreState,
    storeAddress,
    type DoubleCell,
    type DoubleStore,
    type PdDoubleOptions,
    type StoreStateValue,
} from "./pd-state";

/** One request the double answered. */
export interface DoubleRequest {
    readonly method: string;
    readonly path: string;
}

/** PD's HTTP API over a loopback (or any local) address, with the state tests set and read. */
export class PdDouble extends PdState {
    readonly requests: DoubleRequest[] = [];
    /** Answer every API call as a non-leader member with the rendered flags does (measured). */
    notLeader = false;
    /** `GET /health`: true answers `{"health":"true"}`, false 503 (measured). */
    healthy = true;
    private server: http.Server | undefined;

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
    /** Starts listening, runs `fn` with the base URL, and stops again whatever `fn` does. */
    async serve<T>(fn: (url: string) => Promise<T>): Promise<T> {
        const url = await this.start();
        try {
            return await fn(url);
        } finally {
            await this.stop();
        }
    }

    /** Stops listening and cancels pending moves. */
    async stop(): Promise<void> {
        this.cancelMoves();
        if (this.server !== undefined) {
            this.server.closeAllConnections();
            await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        }
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
        const p = url.pathname
            .slice("/pd/api/v1".length)
            .split("/")
            .filter((x) => x !== "");
        if (method === "GET" && p.length === 1 && p[0] === "system") {
            return ok(this.system());
        }
        if (method === "GET" && p.length === 1 && p[0] === "operators") {
            return ok(
                [...this.moving.values()].flat().map((o) => ({ kind: "move", cellID: o.cell, fromStore: o.from })),
            );
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
