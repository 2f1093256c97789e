/**
 * The pack's PD reader (policies/baseline/pd.ts) and the drained Store scale-in of
 * elasticell-store-no-scale-in, against the PD double (test/helpers/pd-double.ts) on loopback:
 * directly (pdApiUrl) and through a fake API server's service proxy path.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import { after, before, describe, it } from "node:test";
import { MemoryBaseline } from "../../policies/baseline/memory";
import { KubernetesBaseline } from "../../policies/baseline/kubernetes";
import { pdProxyPath, readPdStores, storeOrdinal } from "../../policies/baseline/pd";
import { makeStoreNoScaleIn } from "../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../policies/statefulset";
import { PdDouble, StoreState, storeAddress, type StoreStateValue } from "../helpers/pd-double";
import { validateResource, type PolicyConfig } from "../helpers/policy";
import { FakeApi, kubeconfig, unreadable } from "./fake-api";
import { Cluster, Namespace, deployed, memoryDeps, statefulSet } from "./fixtures";

/** Waits until `check` holds (the double's moves are timers). */
async function until(check: () => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
        assert.ok(Date.now() < deadline, "timed out waiting for the PD double");
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** Takes ordinal `o` offline in the double (as the drain does) and waits for `state`. */
async function drain(
    pd: PdDouble,
    url: string,
    o: number,
    state: StoreStateValue = StoreState.Tombstone,
): Promise<void> {
    const s = pd.storeByAddress(storeAddress(Cluster, Namespace, o))!;
    await fetch(`${url}/pd/api/v1/stores/${s.id}`, { method: "DELETE" });
    await until(() => s.state === state);
}

describe("storeOrdinal", () => {
    const rows: [string, number | undefined][] = [
        ["demo-store-3.demo-store-peer.prod.svc:10800", 3],
        ["demo-store-0.demo-store-peer.prod.svc.cluster.local:10800", 0],
        ["demo-store-03.demo-store-peer.prod.svc:10800", undefined],
        ["demo-store-3.demo-store-peer.other.svc:10800", undefined],
        ["other-store-3.other-store-peer.prod.svc:10800", undefined],
        ["demo-store-3.demo-store-peer.prod.svc:6370", undefined],
    ];
    for (const [address, ordinal] of rows) {
        it(`${address} -> ${String(ordinal)}`, () => assert.equal(storeOrdinal(address, Cluster, Namespace), ordinal));
    }
});

describe("readPdStores", () => {
    let pd: PdDouble;
    let url: string;
    before(async () => {
        pd = PdDouble.seeded(Cluster, Namespace, 4);
        url = await pd.start();
    });
    after(() => pd.stop());

    it("reads the stores through pdApiUrl, with their ordinals", async () => {
        const r = await readPdStores(new MemoryBaseline(), Namespace, Cluster, { apiUrl: url });
        assert.deepEqual(
            r.stores.map((s) => [s.ordinal, s.state]),
            [
                [0, 0],
                [1, 0],
                [2, 0],
                [3, 0],
            ],
        );
        assert.match(r.source, /pdApiUrl/);
    });

    it("reads them through the API server's service proxy with the kubeconfig's credentials", async () => {
        const api = new FakeApi();
        const path = pdProxyPath(Namespace, Cluster, "stores");
        assert.equal(path, "/api/v1/namespaces/prod/services/demo-pd:2379/proxy/pd/api/v1/stores");
        api.routes.set(`GET ${path}`, (_req, res) => {
            http.get(`${url}/pd/api/v1/stores`, (up) => up.pipe(res.writeHead(up.statusCode ?? 502, up.headers)));
        });
        const server = await api.start();
        try {
            const baseline = new KubernetesBaseline({ kubeconfig: kubeconfig({ c: server }, "c"), origin: "test" });
            const r = await readPdStores(baseline, Namespace, Cluster);
            assert.equal(r.stores.length, 4);
            assert.deepEqual(
                api.requests.map((q) => [q.url, q.authorization]),
                [[path, "Bearer t0ken"]],
            );
        } finally {
            await api.stop();
        }
    });

    it("fails closed when the service proxy is forbidden, naming the right to grant and the override", async () => {
        const api = new FakeApi();
        const path = pdProxyPath(Namespace, Cluster, "stores");
        const rbac = 'services "demo-pd" is forbidden: User "u" cannot get resource "services/proxy"';
        api.routes.set(`GET ${path}`, (_req, res) =>
            res.writeHead(403).end(JSON.stringify({ kind: "Status", message: rbac })),
        );
        const server = await api.start();
        try {
            const baseline = new KubernetesBaseline({ kubeconfig: kubeconfig({ c: server }, "c"), origin: "test" });
            await unreadable(
                readPdStores(baseline, Namespace, Cluster),
                /may not proxy to services in namespace prod \(403 Forbidden: services "demo-pd" is forbidden.*\).*grant get on services\/proxy.*pdApiUrl/,
            );
            // A 403 from beyond the proxy (here: the sandbox's network filter) is not an RBAC refusal.
            api.routes.set(`GET ${path}`, (_req, res) => res.writeHead(403).end("resolve_deny: denied destination"));
            const other = new KubernetesBaseline({ kubeconfig: kubeconfig({ c: server }, "c"), origin: "test" });
            await unreadable(
                readPdStores(other, Namespace, Cluster),
                /failed with HTTP 403: resolve_deny: denied destination/,
            );
        } finally {
            await api.stop();
        }
    });

    it("fails closed on PD's error envelope (`cluster not bootstrapped`, from the source)", async () => {
        const empty = new PdDouble();
        const u = await empty.start();
        try {
            await unreadable(
                readPdStores(new MemoryBaseline(), Namespace, Cluster, { apiUrl: u }),
                /cluster not bootstrapped/,
            );
        } finally {
            await empty.stop();
        }
    });

    it("fails closed on a non-leader answer (HTTP 500, measured with the rendered flags)", async () => {
        pd.notLeader = true;
        try {
            await unreadable(
                readPdStores(new MemoryBaseline(), Namespace, Cluster, { apiUrl: url }),
                /HTTP 500: redirect to not leader/,
            );
        } finally {
            pd.notLeader = false;
        }
    });

    it("fails closed on a render target and an unreachable PD", async () => {
        await unreadable(readPdStores(new MemoryBaseline(), Namespace, Cluster), /has no PD to read/);
        await unreadable(
            readPdStores(new MemoryBaseline(), Namespace, Cluster, { apiUrl: "http://127.0.0.1:1" }),
            /ECONNREFUSED/,
        );
    });
});

describe("elasticell-store-no-scale-in with PD", () => {
    let pd: PdDouble;
    let url: string;
    const run = (from: number, to: number, config: PolicyConfig = {}) =>
        validateResource(makeStoreNoScaleIn(memoryDeps(new MemoryBaseline([deployed("store", from)]))), {
            resourceClass: StatefulSet,
            props: statefulSet("store", to),
            config: { pdApiUrl: url, ...config },
        });

    before(async () => {
        pd = PdDouble.seeded(Cluster, Namespace, 5, 10, { moveDelayMs: 50 });
        url = await pd.start();
    });
    after(() => pd.stop());

    it("refuses an undrained scale-in 5 -> 4 as before, saying which store is not Tombstone", async () => {
        const v = await run(5, 4);
        assert.equal(v.length, 1);
        assert.equal(v[0]!.level, "mandatory");
        assert.match(
            v[0]!.message,
            /PD: demo-store-4: store 5 is Up, not Tombstone \(read from http:\/\/127\.0\.0\.1:\d+ \(pdApiUrl\)\)/,
        );
        assert.match(v[0]!.message, /pulumi config set --path store\.drain '\[4\]'/);
    });

    it("allows 5 -> 4 without break-glass once PD reports demo-store-4 Tombstone", async () => {
        await drain(pd, url, 4);
        assert.deepEqual(await run(5, 4), []);
    });

    it("refuses a half-drained 5 -> 3: demo-store-3 is still Offline (its replicas are moving)", async () => {
        pd.stuck = true;
        await drain(pd, url, 3, StoreState.Offline);
        const v = await run(5, 3);
        assert.equal(v.length, 1);
        assert.match(v[0]!.message, /demo-store-3: store 4 is Offline, not Tombstone/);
        assert.doesNotMatch(v[0]!.message, /demo-store-4:/);
    });

    it("refuses when fewer than 3 of the remaining stores are Up, even if the removed ones are Tombstone", async () => {
        pd.stuck = false;
        pd.stores.get(4)!.state = StoreState.Tombstone;
        pd.stores.get(3)!.state = StoreState.Offline; // demo-store-2 offline by hand
        const v = await run(5, 3);
        assert.match(v[0]!.message, /only 2 of the 3 remaining stores are Up in PD; at least 3 must stay Up/);
        pd.stores.get(3)!.state = StoreState.Up;
        assert.deepEqual(await run(5, 3), []);
    });

    it("refuses an ordinal PD does not know, and a scale-out after a drain judges the new store", async () => {
        assert.match((await run(6, 3))[0]!.message, /demo-store-5: PD knows no store at its address/);
        const again = pd.addStore(storeAddress(Cluster, Namespace, 4)); // demo-store-4 scaled out again, a new store
        assert.match((await run(5, 4))[0]!.message, new RegExp(`demo-store-4: store ${again} is Up, not Tombstone`));
    });

    it("fails closed when PD cannot be read, and keeps the floor", async () => {
        const v = await run(5, 4, { pdApiUrl: "http://127.0.0.1:1" });
        assert.match(
            v[0]!.message,
            /PD: cannot read PD of cluster "demo": reading http:\/\/127\.0\.0\.1:1\/pd\/api\/v1\/stores failed \(ECONNREFUSED\)/,
        );
        const floor = await run(3, 2);
        assert.ok(floor.some((x) => /below the floor of 3/.test(x.message)));
    });
});
