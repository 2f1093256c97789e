/**
 * The store's readiness script (components/store-health.ts), run with /bin/sh
 * against the PD double on loopback (test/helpers/pd-double.ts).
 *
 * From elasticell's source (via the double): the `/stores` shape, the
 * envelope (HTTP 200, code 0/1), store states, "cluster not bootstrapped".
 * From the measurements: a non-leader member answers HTTP 500 "redirect to not
 * leader". Ours: what readiness concludes from each (the fallback to the port).
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { storeReadyScript } from "../../../components/store-health";
import { StorePorts } from "../../../components/store";
import { PdDouble, StoreState, storeAddress } from "../../helpers/pd-double";
import { BaseTools, ShSandbox } from "../../helpers/sh-run";

const script = storeReadyScript(StorePorts);
const pod = { HOSTNAME: "demo-store-0", PEER_SERVICE_NAME: "demo-store-peer", NAMESPACE: "ns1" };
const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
// 0x18E2 = 6370, state 0A = LISTEN; 01 = ESTABLISHED.
const listening = `${header}   0: 00000000:18E2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n`;
const notListening = `${header}   0: 0100007F:2A30 0100007F:18E2 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0\n`;

describe("store readiness asks PD whether this store is Up", () => {
    const sandboxes: ShSandbox[] = [];
    let wget: ShSandbox;
    let curl: ShSandbox;
    before(() => {
        wget = new ShSandbox([...BaseTools, "wget"]);
        curl = new ShSandbox([...BaseTools, "curl"]);
        sandboxes.push(wget, curl);
        for (const s of sandboxes) {
            s.file("listen/tcp", listening);
            s.file("quiet/tcp", notListening);
        }
    });
    after(() => sandboxes.forEach((s) => s.dispose()));

    async function ready(sb: ShSandbox, pdUrl: string, proc: "listen" | "quiet" = "quiet") {
        return sb.run(script, { ...pod, PD_URL: pdUrl, PROC_NET: `${sb.dir}/${proc}` });
    }

    for (const tool of ["wget", "curl"] as const) {
        it(`Up at PD and listening: ready (${tool})`, async () => {
            const pd = PdDouble.seeded("demo", "ns1", 3);
            await pd.serve(async (url) => {
                const r = await ready(tool === "wget" ? wget : curl, url, "listen");
                assert.equal(r.code, 0, r.stdout + r.stderr);
                assert.match(r.stdout, /store 1 is Up at PD and listens: ready/);
                assert.deepEqual(
                    pd.requests.map((q) => q.path),
                    ["/pd/api/v1/stores"],
                );
            });
        });
    }

    it("Up at PD but not listening (PD keeps a store Up between heartbeats): not ready, PD not asked", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3);
        await pd.serve(async (url) => {
            const r = await ready(wget, url, "quiet");
            assert.equal(r.code, 1);
            assert.match(r.stdout, /port 6370 does not listen: not ready/);
            assert.equal(pd.requests.length, 0);
        });
    });

    it("Offline or Tombstone at PD: not ready, even with the port open", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3);
        await pd.serve(async (url) => {
            for (const state of [StoreState.Offline, StoreState.Tombstone]) {
                pd.storeByAddress(storeAddress("demo", "ns1", 0))!.state = state;
                const r = await ready(wget, url, "listen");
                assert.equal(r.code, 1);
                assert.match(r.stdout, new RegExp(`store 1 is in state ${state} at PD`));
            }
        });
    });

    it("PD answers but does not list this store (not registered yet): not ready", async () => {
        // Stores 0 and 10 are listed, store 1 is not: no partial match of the address.
        const pd = new PdDouble();
        pd.addStore(storeAddress("demo", "ns1", 0));
        pd.addStore(storeAddress("demo", "ns1", 10));
        await pd.serve(async (url) => {
            const r = await wget.run(script, {
                ...pod,
                HOSTNAME: "demo-store-1",
                PD_URL: url,
                PROC_NET: `${wget.dir}/listen`,
            });
            assert.equal(r.code, 1);
            assert.match(r.stdout, /PD does not list demo-store-1\.demo-store-peer\.ns1\.svc:10800/);
        });
    });

    // The failure mode: PD down must not turn every store unready. Each case falls back to the port.
    const unanswered: [string, () => Promise<{ url: string; stop: () => Promise<void> }>][] = [
        [
            "PD not bootstrapped (code 1)",
            async () => {
                const pd = new PdDouble();
                return { url: await pd.start(), stop: () => pd.stop() };
            },
        ],
        [
            "a non-leader member's HTTP 500 (measured)",
            async () => {
                const pd = PdDouble.seeded("demo", "ns1", 3);
                pd.notLeader = true;
                return { url: await pd.start(), stop: () => pd.stop() };
            },
        ],
        [
            "nothing listening",
            async () => {
                const pd = new PdDouble();
                const url = await pd.start();
                await pd.stop();
                return { url, stop: async () => {} };
            },
        ],
    ];
    for (const [name, start] of unanswered) {
        it(`${name}: ready exactly when the Redis port listens`, async () => {
            const pd = await start();
            try {
                const up = await ready(wget, pd.url, "listen");
                assert.equal(up.code, 0, up.stdout + up.stderr);
                assert.match(up.stdout, /PD did not answer; port 6370 listens: ready/);
                const down = await ready(wget, pd.url, "quiet");
                assert.equal(down.code, 1);
                assert.match(down.stdout, /port 6370 does not listen: not ready/);
            } finally {
                await pd.stop();
            }
        });
    }

    it("a PD that accepts and never answers costs about PD_TIMEOUT, within the probe's 5 s", async () => {
        const sockets: net.Socket[] = [];
        const server = net.createServer((s) => sockets.push(s));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const port = (server.address() as net.AddressInfo).port;
        try {
            const r = await ready(wget, `http://127.0.0.1:${port}`, "listen");
            assert.equal(r.code, 0);
            assert.ok(r.ms < 4500, `took ${r.ms} ms`);
        } finally {
            sockets.forEach((s) => s.destroy());
            server.close();
        }
    });
});
