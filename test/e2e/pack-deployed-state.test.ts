/**
 * The deployed state the pack judges by (issue "guard truth"), through the real engine and CLI
 * against the local cluster: the pack judges a change by what the cluster holds (the tier's
 * volumes, PD's member list), not only by a live `spec.replicas`, and a break-glass override
 * allows exactly the change it names. The last test covers the guard (admission policy) on PD's
 * member list.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { kubectl, testCluster, waitForReadyPods, type TestCluster } from "../helpers/cluster";

const ns = "e2e-truth";
const policy = ["--policy-pack", "policies"];
const quick = { minReadySeconds: 1 };

describe("engine, local cluster: the deployed state is the cluster's volumes and members", () => {
    let c: TestCluster;
    let t: EngineProject;

    const liveReplicas = async (tier: string): Promise<number | undefined> => {
        const sts = await c.apps
            .readNamespacedStatefulSet({ namespace: ns, name: `delta-${tier}` })
            .catch(() => undefined);
        return sts?.spec?.replicas;
    };

    /** A policy config file holding one break-glass override of elasticell-store-no-scale-in. */
    const overrideFile = (name: string, override: Record<string, unknown>): string[] => {
        const file = join(t.dir, `${name}.json`);
        writeFileSync(file, JSON.stringify({ "elasticell-store-no-scale-in": { override } }));
        return ["--policy-pack-config", file];
    };

    before(async () => {
        c = testCluster();
        // A first stack deploys 4 stores, then is destroyed the documented way (docs/operations.md): its volumes stay.
        const first = new EngineProject(
            "t1",
            { name: "delta", namespace: ns, pd: quick, store: { ...quick, replicas: 4 } },
            { kubeconfig: c.kubeconfig },
        );
        try {
            await first.init();
            const up = await first.up(policy);
            assert.equal(up.code, 0, up.output);
            const down = await first.destroy();
            assert.equal(down.code, 0, down.output);
        } finally {
            await first.dispose();
        }
        // The second stack runs without the admission policy, so the tests can make drift with kubectl.
        t = new EngineProject(
            "t2",
            {
                name: "delta",
                namespace: ns,
                pd: quick,
                store: { ...quick, replicas: 3 },
                guard: { admissionPolicy: false },
            },
            { kubeconfig: c.kubeconfig },
        );
        await t.init();
    });
    after(async () => {
        await t?.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
    });

    it("a new stack over old volumes: fewer stores than the volumes is refused at preview and at up, naming them", async () => {
        const pvcs = await kubectl(c, ["get", "pvc", "-n", ns, "-o", "name"]);
        assert.match(pvcs.output, /store-delta-store-3/, "the first stack's volumes are retained");
        assert.equal(await liveReplicas("store"), undefined, "no Store StatefulSet is left");
        for (const attempt of [() => t.preview(policy), () => t.up(policy)]) {
            const r = await attempt();
            assert.notEqual(r.code, 0, r.output);
            assert.match(r.output, /elasticell-store-no-scale-in/);
            assert.match(r.output, /4 -> 3 \(deployed -> requested\)/);
            assert.match(r.output, /the StatefulSet is gone, its data is not/);
            assert.match(r.output, /store-delta-store-3 would be orphaned/);
        }
        assert.equal(await liveReplicas("store"), undefined, "the refused up created no Store StatefulSet");
        await t.setConfig("store.replicas", "5");
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, "delta", "store", 5);
    });

    it("PD is its member list: after kubectl scale 3 -> 5, 5 is refused and 3 restores it", async () => {
        const scaled = await kubectl(c, ["scale", "statefulset", "delta-pd", "-n", ns, "--replicas=5"]);
        assert.equal(scaled.code, 0, scaled.output);
        await t.setConfig("pd.replicas", "5");
        const keep5 = await t.preview(policy);
        assert.notEqual(keep5.code, 0, keep5.output);
        assert.match(keep5.output, /PD replicas would change 3 -> 5/);
        assert.match(
            keep5.output,
            /PD's member list \(--initial-cluster of the live StatefulSet: delta-pd-0, delta-pd-1, delta-pd-2\)/,
        );
        assert.doesNotMatch(keep5.output, /keep PD at 5|pd\.replicas 5`/);
        await t.setConfig("pd.replicas", "3");
        // The engine diffs against its state (3): only a refresh sees the drift, and the pack allows restoring 3.
        const restore = await t.up([...policy, "--refresh"]);
        assert.equal(restore.code, 0, restore.output);
        assert.equal(await liveReplicas("pd"), 3);
    });

    it("break-glass allows only the cluster, tier and transition it names, one store at a time", async () => {
        await t.setConfig("store.replicas", "3");
        const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        const base = { reason: "CHG-7: stores drained to Tombstone", expires: day, cluster: "delta", tier: "store" };
        const twoSteps = await t.preview([...policy, ...overrideFile("two-steps", { ...base, from: 5, to: 3 })]);
        assert.notEqual(twoSteps.code, 0, twoSteps.output);
        assert.match(twoSteps.output, /one store at a time \(5 -> 4\)/);
        await t.setConfig("store.replicas", "4");
        for (const [name, override, why] of [
            ["old-form", { reason: base.reason, expires: day }, /does not name the cluster and tier/],
            ["other-cluster", { ...base, cluster: "gamma", from: 5, to: 4 }, /it is for cluster "gamma"/],
            ["other-transition", { ...base, from: 4, to: 3 }, /it names 4 -> 3, but this change is 5 -> 4/],
            ["empty-reason", { ...base, reason: ".", from: 5, to: 4 }, /says nothing/],
        ] as const) {
            const r = await t.preview([...policy, ...overrideFile(name, override)]);
            assert.notEqual(r.code, 0, `${name}:\n${r.output}`);
            assert.match(r.output, why, name);
        }
        const exact = await t.preview([...policy, ...overrideFile("exact", { ...base, from: 5, to: 4 })]);
        assert.equal(exact.code, 0, exact.output);
        assert.match(exact.output, /ALLOWED by break-glass override/);
        await t.setConfig("store.replicas", "5");
    });

    it("the admission policy keeps PD's member list fixed against kubectl", async () => {
        await t.setConfig("guard.admissionPolicy", "true");
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
        const args = ["set", "env", "statefulset/delta-pd", "-n", ns, "PD_INITIAL_CLUSTER=delta-pd-0=http://x:2380"];
        // A new admission policy takes a moment to be enforced: wait for it with server-side dry runs (nothing changes).
        for (let i = 0; i < 30 && (await kubectl(c, [...args, "--dry-run=server"])).code === 0; i++) {
            await new Promise((r) => setTimeout(r, 500));
        }
        const edit = await kubectl(c, args);
        assert.notEqual(edit.code, 0, edit.output);
        assert.match(
            edit.output,
            /PD's member list \(PD_INITIAL_CLUSTER, its --initial-cluster\) of e2e-truth\/delta-pd is fixed/,
        );
    });
});
