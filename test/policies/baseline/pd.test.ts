/**
 * The pack's PD reader (policies/baseline/pd.ts) against the PD double (test/helpers/pd-double.ts)
 * on loopback: directly (pdApiUrl) and through a fake API server's service proxy path.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import { after, before, describe, it } from "node:test";
import { KubernetesBaseline } from "../../../policies/baseline/kubernetes";
import { pdProxyPath, readPdStores, storeOrdinal } from "../../../policies/baseline/pd";
import { PdDouble } from "../../helpers/pd-double";
import { Cluster, Namespace } from "../fixtures";
import { FakeApi, kubeconfig, unreadable } from "./fake-api";
import { MemoryBaseline } from "./memory";

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
