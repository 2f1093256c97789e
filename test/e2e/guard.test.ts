/**
 * The guard (the in-cluster admission policy) with the other two layers (the pack at preview, the
 * program), through the real engine and CLI against the local cluster (issue "guard always on"):
 * every path that could take a PD or Store tier down is refused, with or without `--policy-pack`,
 * and the refused change changes nothing. Each test names the path it closes; `policies/README.md`
 * has the table of paths.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { upOnCluster } from "../helpers/e2e-project";
import { EngineProject } from "../helpers/engine";
import { kubectl, testCluster, tierPods, waitForReadyPods, type TestCluster } from "../helpers/cluster";

const ns = "e2e-guard";
const policy = ["--policy-pack", "policies"];
const StatefulSetType = "kubernetes:apps/v1:StatefulSet";

describe("engine, local cluster: no path takes a stateful tier down", () => {
    let c: TestCluster;
    let g: EngineProject;

    /** What must not change when a change is refused: the objects' identity, generation and pods. */
    const snapshot = async () => {
        const out: Record<string, unknown> = {};
        for (const tier of ["pd", "store"]) {
            const sts = await c.apps.readNamespacedStatefulSet({ namespace: ns, name: `gamma-${tier}` });
            const pods = (await tierPods(c, ns, "gamma", tier))
                .map((p) => `${p.metadata?.name}:${p.metadata?.uid}`)
                .sort();
            out[tier] = {
                uid: sts.metadata?.uid,
                generation: sts.metadata?.generation,
                replicas: sts.spec?.replicas,
                pods,
            };
        }
        return out;
    };

    /** Sets `path` to `value`, runs each attempt, expects each refused with `messages`, then restores. */
    async function refusedEverywhere(
        path: string,
        value: string,
        restore: string,
        attempts: { args: string[]; messages: RegExp[] }[],
    ) {
        const before = await snapshot();
        await g.setConfig(path, value);
        try {
            for (const a of attempts) {
                const r = await g.run([...a.args, "--stack", g.stack]);
                assert.notEqual(r.code, 0, `pulumi ${a.args.join(" ")} must fail:\n${r.output}`);
                for (const m of a.messages) {
                    assert.match(r.output, m, `pulumi ${a.args.join(" ")}`);
                }
                assert.deepEqual(await snapshot(), before, `pulumi ${a.args.join(" ")} changed a StatefulSet`);
            }
        } finally {
            await g.setConfig(path, restore);
        }
    }

    before(async () => {
        c = testCluster();
        const quick = { minReadySeconds: 1 };
        g = new EngineProject(
            "g",
            { name: "gamma", namespace: ns, pd: quick, store: { ...quick, replicas: 4 } },
            { kubeconfig: c.kubeconfig },
        );
        await upOnCluster(g, c, { namespace: ns, cluster: "gamma" }, policy, { pd: 3, store: 4 });
    });
    after(async () => {
        await kubectl(c, ["uncordon", "kwok-node-0", "kwok-node-1", "kwok-node-2"]);
        await g.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
    });

    it("without the pack: plain `pulumi up` (with and without preview) refuses Store 4 -> 3 with the guard's message", async () => {
        const guard = /Store replicas of e2e-guard\/gamma-store cannot go down \(4 -> 3\)/;
        await refusedEverywhere("store.replicas", "3", "4", [
            { args: ["up", "--yes"], messages: [guard] },
            { args: ["up", "--yes", "--skip-preview"], messages: [guard] },
        ]);
    });

    it("without the pack: plain `pulumi up` (with and without preview) refuses PD 3 -> 5 with the guard's message", async () => {
        const guard = /PD replicas of e2e-guard\/gamma-pd are fixed at 3 \(requested 5\)/;
        await refusedEverywhere("pd.replicas", "5", "3", [
            { args: ["up", "--yes"], messages: [guard] },
            { args: ["up", "--yes", "--skip-preview"], messages: [guard] },
        ]);
    });

    it("store.storage.size 10Gi -> 20Gi on a class without expansion: the pack refuses at preview naming the class; without it the API server refuses the claims", async () => {
        // The StatefulSet keeps its templates (ignoreChanges): the size reaches only the claims (test/e2e/storage.test.ts grows them).
        const resize = /storageclass that provisions the pvc must support resize/;
        await refusedEverywhere("store.storage.size", "20Gi", "10Gi", [
            {
                args: ["preview", ...policy],
                messages: [
                    /elasticell-volume-growth/,
                    /10Gi -> 20Gi/,
                    /StorageClass local-storage does not allow volume expansion/,
                    /pulumi config set --path store\.storage\.size 10Gi/,
                ],
            },
            { args: ["up", "--yes", "--skip-preview"], messages: [resize] },
            { args: ["up", "--yes"], messages: [/store-gamma-store-\d/, resize] },
        ]);
    });

    it("pd.storage.className changed: refused at preview by the pack, and by the API server without it", async () => {
        await refusedEverywhere("pd.storage.className", "other-class", "local-storage", [
            {
                args: ["preview", ...policy],
                messages: [/elasticell-volume-growth/, /spec\.storageClassName: local-storage -> other-class/],
            },
            { args: ["up", "--yes", "--skip-preview"], messages: [/spec is immutable after creation/] },
        ]);
        await g.ok(["config", "rm", "--path", "pd.storage.className", "--stack", g.stack]);
    });

    it("`pulumi up --replace <Store StatefulSet>` is refused (protect); with --ignore-protect it still cannot take the tier down", async () => {
        const urn = await g.urnOf(StatefulSetType, "gamma-store");
        const before = await snapshot();
        const replace = await g.run(["up", "--yes", "--skip-preview", "--replace", urn, "--stack", g.stack]);
        assert.notEqual(replace.code, 0, replace.output);
        assert.match(replace.output, /protect/);
        const forced = await g.run([
            "up",
            "--yes",
            "--skip-preview",
            "--replace",
            urn,
            "--ignore-protect",
            "--stack",
            g.stack,
        ]);
        assert.notEqual(forced.code, 0, forced.output);
        // The provider replaces create-before-delete: its server-side apply of the "new" object conflicts
        // with the live one's field manager; were it to pass, the admission policy refuses the delete.
        assert.match(
            forced.output,
            /field conflict|Deleting StatefulSet e2e-guard\/gamma-store would stop every pod of the tier at once/,
        );
        assert.deepEqual(await snapshot(), before);
    });

    it("a replaced Kubernetes provider (the kubeconfig names another API server) cannot replace the tiers", async () => {
        const other = join(g.dir, "kubeconfig-other-server");
        writeFileSync(other, readFileSync(c.kubeconfig, "utf8").replace("https://127.0.0.1:", "https://localhost:"));
        // At preview, before anything is written. (`--skip-preview` is refused too, but records the new
        // provider in the state first: see the closing note of the issue and policies/README.md.)
        await refusedEverywhere("kubernetes:kubeconfig", other, c.kubeconfig, [
            { args: ["up", "--yes"], messages: [/unable to replace resource .*gamma-(pd|store)/] },
            { args: ["preview", ...policy], messages: [/unable to replace resource .*gamma-(pd|store)/] },
        ]);
        const clean = await g.preview(policy);
        assert.equal(clean.code, 0, `the stack is unchanged once the kubeconfig is back:\n${clean.output}`);
    });

    it("kubectl delete (also --cascade=orphan) and kubectl replace --force of PD or Store are refused in the cluster", async () => {
        const before = await snapshot();
        for (const args of [
            ["delete", "statefulset", "gamma-store", "-n", ns],
            ["delete", "statefulset", "gamma-pd", "-n", ns, "--cascade=orphan"],
        ]) {
            const r = await kubectl(c, args);
            assert.notEqual(r.code, 0, r.output);
            assert.match(r.output, /would stop every pod of the tier at once/);
            assert.match(r.output, /elasticell\.io\/allow-delete/);
        }
        const live = await kubectl(c, ["get", "statefulset", "gamma-store", "-n", ns, "-o", "json"]);
        const fewer = JSON.parse(live.output) as { spec: { replicas: number } };
        fewer.spec.replicas = 3;
        const file = join(g.dir, "fewer-stores.json");
        writeFileSync(file, JSON.stringify(fewer));
        const replace = await kubectl(c, ["replace", "--force", "-f", file]);
        assert.notEqual(replace.code, 0, replace.output);
        assert.match(replace.output, /would stop every pod|cannot go down/);
        assert.deepEqual(await snapshot(), before);
    });

    it("a second stack declaring the same cluster is refused at preview (pack) and at up (server-side apply and admission)", async () => {
        const h = new EngineProject(
            "h",
            { name: "gamma", namespace: ns, createNamespace: false },
            { kubeconfig: c.kubeconfig },
        );
        try {
            await h.init();
            const before = await snapshot();
            const preview = await h.preview(policy);
            assert.notEqual(preview.code, 0, preview.output);
            assert.match(preview.output, /elasticell-tier-owner/);
            assert.match(preview.output, /elasticell\/g/);
            const up = await h.up();
            assert.notEqual(up.code, 0, up.output);
            assert.deepEqual(await snapshot(), before);
            const sts = await c.apps.readNamespacedStatefulSet({ namespace: ns, name: "gamma-store" });
            assert.equal(sts.metadata?.annotations?.["elasticell.io/pulumi-stack"], "elasticell/g");
            const vap = await kubectl(c, [
                "get",
                "validatingadmissionpolicy",
                `elasticell-guard.${ns}.gamma`,
                "-o",
                "jsonpath={.metadata.annotations}",
            ]);
            assert.match(vap.output, /elasticell\/g/, "the guard is not co-owned by the second stack");
        } finally {
            await h.dispose();
        }
        // The second stack's destroy must not have removed the first stack's guard.
        const still = await kubectl(c, ["get", "validatingadmissionpolicy", `elasticell-guard.${ns}.gamma`]);
        assert.equal(still.code, 0, still.output);
    });

    it("a rolling change is refused at preview while a store pod is not Ready, naming the pod", async () => {
        const nodes = ["kwok-node-0", "kwok-node-1", "kwok-node-2"];
        await kubectl(c, ["cordon", ...nodes]);
        try {
            const del = await kubectl(c, ["delete", "pod", "gamma-store-1", "-n", ns, "--wait=true"]);
            assert.equal(del.code, 0, del.output);
            await g.setConfig("store.image", "deepfabric/cell:v2");
            const preview = await g.preview(policy);
            assert.notEqual(preview.code, 0, preview.output);
            assert.match(preview.output, /elasticell-roll-healthy-tier/);
            assert.match(preview.output, /gamma-store-1/);
        } finally {
            await kubectl(c, ["uncordon", ...nodes]);
        }
        await waitForReadyPods(c, ns, "gamma", "store", 4);
        const healthy = await g.preview(policy);
        assert.equal(healthy.code, 0, healthy.output);
        await g.setConfig("store.image", "deepfabric/cell:latest");
    });

    it("the documented unlock lets a deliberate kubectl delete through", async () => {
        const unlock = await kubectl(c, [
            "annotate",
            "statefulset",
            "gamma-store",
            "-n",
            ns,
            "elasticell.io/allow-delete=e2e: retiring this cluster",
        ]);
        assert.equal(unlock.code, 0, unlock.output);
        const del = await kubectl(c, ["delete", "statefulset", "gamma-store", "-n", ns, "--cascade=orphan"]);
        assert.equal(del.code, 0, del.output);
    });

    it("plain `pulumi destroy` is refused; `pulumi destroy --ignore-protect` (one step) removes the stack and keeps the volumes", async () => {
        const plain = await g.run(["destroy", "--yes", "--skip-preview", "--stack", g.stack]);
        assert.notEqual(plain.code, 0, plain.output);
        assert.match(plain.output, /protected/);
        const destroy = await g.destroy();
        assert.equal(destroy.code, 0, destroy.output);
        assert.equal(await g.resourceCount(), 0);
        const sts = (await c.apps.listNamespacedStatefulSet({ namespace: ns })).items;
        assert.deepEqual(
            sts.map((s) => s.metadata?.name),
            [],
        );
        // The volumes with data (Bound). The refused plain `up` of PD 3 -> 5 above had already created the claims of
        // ordinals 3 and 4 (the program creates claims before the StatefulSet): never bound, empty, and left Pending.
        const claims = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items;
        const pending = claims
            .filter((p) => p.status?.phase !== "Bound")
            .map((p) => p.metadata?.name)
            .sort();
        assert.deepEqual(pending, ["pd-gamma-pd-3", "pd-gamma-pd-4"]);
        const pvcs = claims
            .filter((p) => p.status?.phase === "Bound")
            .map((p) => p.metadata?.name)
            .sort();
        assert.deepEqual(pvcs, [
            "pd-gamma-pd-0",
            "pd-gamma-pd-1",
            "pd-gamma-pd-2",
            "store-gamma-store-0",
            "store-gamma-store-1",
            "store-gamma-store-2",
            "store-gamma-store-3",
        ]);
    });
});
