/**
 * Issue 12, point 1, through the real engine and CLI on the local cluster: a Store scale-in is a
 * reviewable drain (`store.drain`, a StoreDrain resource) and then a shrink the pack allows only
 * because PD reports the removed stores Tombstone; undrained, half-drained and timed-out drains
 * change nothing.
 *
 * PD is the double of test/helpers/pd-double.ts (no elasticell binary runs here), reached the way
 * the real PD is: through the API server's service proxy to the `<cluster>-pd` Service. The API
 * server only proxies to an endpoint that is a pod's IP and not loopback, and kwok gives pods fake
 * IPs, so the test sets the PD pods' `status.podIP` to this machine's non-loopback address (what
 * a kubelet reports) and runs the double there on PD's client port 2379; the endpoints controller
 * does the rest, as in a real cluster. Which behaviours come from elasticell's source and which
 * from the measurements is said in pd-double.ts.
 */
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { kubectl, testCluster, waitForReadyPods, type TestCluster } from "../helpers/cluster";
import { PdDouble, StoreState, storeAddress } from "../helpers/pd-double";
import { ProjectRoot } from "../helpers/stacks";

const ns = "e2e-drain";
const cluster = "drn";
const policy = ["--policy-pack", "policies"];
const pvc3 = `store-${cluster}-store-3`;

/** This machine's first non-loopback IPv4 address. */
function hostIp(): string {
    for (const addrs of Object.values(networkInterfaces())) {
        const a = (addrs ?? []).find((x) => x.family === "IPv4" && !x.internal);
        if (a !== undefined) {
            return a.address;
        }
    }
    throw new Error("no non-loopback IPv4 address: the API server's service proxy cannot reach a PD double here");
}

describe("engine, local cluster: Store scale-in drained first (store.drain)", () => {
    let c: TestCluster;
    let p: EngineProject;
    let pd: PdDouble;
    const ip = hostIp();

    const replicas = async () =>
        (await c.apps.readNamespacedStatefulSet({ namespace: ns, name: `${cluster}-store` })).spec?.replicas;
    const claim = async (name: string) => {
        const r = await kubectl(c, ["get", "pvc", name, "-n", ns, "-o", "json"]);
        return r.code === 0
            ? (JSON.parse(r.output) as { metadata: { uid: string; deletionTimestamp?: string } })
            : undefined;
    };
    const store3 = () => pd.storeByAddress(storeAddress(cluster, ns, 3))!;

    /** Points the PD Service at the double: the PD pods report this machine's address as their IP. */
    async function pdPodsHere(): Promise<void> {
        const pods = await waitForReadyPods(c, ns, cluster, "pd", 3);
        for (const pod of pods) {
            const patch = JSON.stringify({ status: { podIP: ip, podIPs: [{ ip }] } });
            const r = await kubectl(c, [
                "patch",
                "pod",
                pod.metadata!.name!,
                "-n",
                ns,
                "--subresource=status",
                "--type=merge",
                "-p",
                patch,
            ]);
            assert.equal(r.code, 0, r.output);
        }
        const path = `/api/v1/namespaces/${ns}/services/${cluster}-pd:2379/proxy/pd/api/v1/system`;
        for (let i = 0; i < 30; i++) {
            const r = await kubectl(c, ["get", "--raw", path]);
            if (r.code === 0 && /"storeCount":4/.test(r.output)) {
                return;
            }
            await new Promise((res) => setTimeout(res, 500));
        }
        assert.fail(`the API server's service proxy does not reach the PD double at ${ip}:2379`);
    }

    before(async () => {
        c = testCluster();
        process.env.ELASTICELL_TEST_PATH = `${join(ProjectRoot, "scripts", "plugins")}:${process.env.ELASTICELL_TEST_PATH ?? process.env.PATH ?? ""}`;
        pd = PdDouble.seeded(cluster, ns, 4, 12, { moveDelayMs: 1500 });
        await pd.start(ip, 2379);
        const quick = { minReadySeconds: 1 };
        p = new EngineProject(
            "d",
            { name: cluster, namespace: ns, pd: quick, store: { ...quick, replicas: 4 } },
            { kubeconfig: c.kubeconfig },
        );
        await p.init();
        const up = await p.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, cluster, "store", 4);
        await pdPodsHere();
    });
    after(async () => {
        await p.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
        await pd.stop();
    });

    it("refuses store 4 -> 3 at preview while PD reports the store Up, reading PD through the service proxy", async () => {
        await p.setConfig("store.replicas", "3");
        try {
            const r = await p.preview(policy);
            assert.notEqual(r.code, 0, r.output);
            assert.match(r.output, /elasticell-store-no-scale-in/);
            assert.match(
                r.output,
                new RegExp(
                    `PD: ${cluster}-store-3: store ${store3().id} is Up, not Tombstone \\(read from the service proxy of https://127\\.0\\.0\\.1`,
                ),
            );
            assert.match(r.output, /pulumi config set --path store\.drain '\[3\]'/);
        } finally {
            await p.setConfig("store.replicas", "4");
        }
        assert.equal(await replicas(), 4);
    });

    it("refuses a drain that would leave fewer than 3 stores, before anything runs", async () => {
        await p.setConfig("store.drain", "[3,2]");
        const r = await p.preview(policy);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /store\.drain: would leave 2 stores; at least 3 must stay/);
        assert.deepEqual(
            pd.requests.filter((q) => q.method === "DELETE"),
            [],
        );
    });

    it("store.drain [3]: preview shows the drain; a drain that times out fails clearly and shrinks nothing", async () => {
        await p.setConfig("store.drain", "[3]");
        await p.setConfig("store.drainTimeoutSeconds", "6");
        const preview = await p.preview(policy);
        assert.equal(preview.code, 0, preview.output);
        assert.match(preview.output, /\+\s+.*StoreDrain\s+drn-store-drain\s+create/);
        assert.match(preview.output, /store\.drain: drn-store-3 will be taken offline in PD/);
        pd.stuck = true;
        const up = await p.up(policy);
        assert.notEqual(up.code, 0, up.output);
        assert.match(
            up.output,
            /drain timed out after 6 s: drn-store-3 \(store \d+\) is still Offline in PD with \d+ cell replicas left/,
        );
        assert.match(up.output, /Nothing was shrunk/);
        assert.equal(store3().state, StoreState.Offline);
        assert.equal(await replicas(), 4);
        assert.equal(
            (await claim(pvc3))?.metadata.deletionTimestamp,
            undefined,
            "the volume stays until the store is Tombstone",
        );
    });

    it("refuses the scale-in while the store is half-drained (Offline)", async () => {
        await p.setConfig("store.replicas", "3");
        try {
            const r = await p.preview(policy);
            assert.notEqual(r.code, 0, r.output);
            assert.match(r.output, new RegExp(`${cluster}-store-3: store ${store3().id} is Offline, not Tombstone`));
        } finally {
            await p.setConfig("store.replicas", "4");
        }
    });

    it("`pulumi up` drains with progress until Tombstone (never ?force), deletes the volume and records the drain", async (t) => {
        pd.stuck = false;
        await p.setConfig("store.drainTimeoutSeconds", "120");
        const started = Date.now();
        const up = await p.up(policy);
        assert.equal(up.code, 0, up.output);
        t.diagnostic(`pulumi up with the drain took ${Date.now() - started} ms; its drain lines:`);
        t.diagnostic(
            up.output
                .split("\n")
                .filter((l) => l.includes("elasticell drain"))
                .join("\n"),
        );
        assert.match(up.output, /\[elasticell drain\] drn-store-3 \(store \d+\): Tombstone/);
        assert.equal(store3().state, StoreState.Tombstone);
        const deletes = pd.requests.filter((q) => q.method === "DELETE");
        assert.deepEqual(
            deletes.map((q) => q.path),
            [`/pd/api/v1/stores/${store3().id}`],
        );
        assert.ok((await claim(pvc3))?.metadata.deletionTimestamp !== undefined, `${pvc3} is being deleted`);
        const sts = await c.apps.readNamespacedStatefulSet({ namespace: ns, name: `${cluster}-store` });
        assert.equal(sts.metadata?.annotations?.["elasticell.io/drained-down-to"], "3");
        assert.equal(sts.spec?.replicas, 4, "the drain itself shrinks nothing");
    });

    it("store.replicas 3 then passes the pack without break-glass, and the admission policy; the StatefulSet scales in", async () => {
        await p.setConfig("store.replicas", "3");
        const up = await p.run(["up", "--yes", ...policy, "--stack", p.stack]);
        assert.equal(up.code, 0, up.output);
        assert.doesNotMatch(up.output, /break-glass|ALLOWED by/);
        assert.equal(await replicas(), 3);
        await waitForReadyPods(c, ns, cluster, "store", 3);
    });

    it("a later scale-out starts drn-store-3 on a new, empty volume", async () => {
        for (let i = 0; i < 60 && (await claim(pvc3)) !== undefined; i++) {
            await new Promise((r) => setTimeout(r, 500));
        }
        assert.equal(await claim(pvc3), undefined, `${pvc3} is gone with its pod`);
        await p.ok(["config", "rm", "--path", "store.drain", "--stack", p.stack]);
        await p.setConfig("store.replicas", "4");
        const up = await p.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, cluster, "store", 4);
        const fresh = await claim(pvc3);
        assert.ok(
            fresh !== undefined && fresh.metadata.deletionTimestamp === undefined,
            "a new volume for drn-store-3",
        );
        // The drain's record was for the generation it drained: after the scale-out it allows nothing.
        const r = await kubectl(c, [
            "patch",
            "statefulset",
            `${cluster}-store`,
            "-n",
            ns,
            "--type=merge",
            "-p",
            '{"spec":{"replicas":3}}',
        ]);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /cannot go down \(4 -> 3\)/);
    });
});
