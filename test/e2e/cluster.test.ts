/**
 * Through the real engine, against the local cluster (real API server,
 * controllers and scheduler; kwok nodes and pod status): deploy, scale out,
 * blocked scale-in and PD resize, drift caught at preview, rolling upgrade
 * order, the in-cluster guard, two clusters in one namespace, destroy.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as k8s from "@kubernetes/client-node";
import { upOnCluster } from "../helpers/e2e-project";
import { EngineProject } from "../helpers/engine";
import {
    kubectl,
    podUpdates,
    testCluster,
    tierPods,
    waitForReadyPods,
    watchPods,
    type TestCluster,
} from "../helpers/cluster";

const ns = "e2e-cluster";
const policy = ["--policy-pack", "policies"];

describe("engine, local cluster", () => {
    let c: TestCluster;
    let a: EngineProject;
    let b: EngineProject | undefined;

    const liveReplicas = async (name: string) =>
        (await c.apps.readNamespacedStatefulSet({ namespace: ns, name })).spec?.replicas;

    before(async () => {
        c = testCluster();
        // minReadySeconds 0 (default 10) keeps the rolling-upgrade test short and its Ready-time ordering exact.
        const quick = { minReadySeconds: 0 };
        a = new EngineProject(
            "a",
            { name: "alpha", namespace: ns, pd: quick, store: quick },
            { kubeconfig: c.kubeconfig },
        );
        await a.init();
    });
    after(async () => {
        await b?.dispose();
        await a.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
    });

    it("deploys: pods Running and Ready, PVCs Bound, a PDB per tier", async () => {
        const up = await a.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, "alpha", "pd", 3);
        await waitForReadyPods(c, ns, "alpha", "store", 3);
        await waitForReadyPods(c, ns, "alpha", "proxy", 1);
        const pvcs = (
            await c.core.listNamespacedPersistentVolumeClaim({
                namespace: ns,
                labelSelector: "app.kubernetes.io/instance=alpha",
            })
        ).items;
        assert.deepEqual(pvcs.map((p) => `${p.metadata?.name}:${p.status?.phase}`).sort(), [
            "pd-alpha-pd-0:Bound",
            "pd-alpha-pd-1:Bound",
            "pd-alpha-pd-2:Bound",
            "store-alpha-store-0:Bound",
            "store-alpha-store-1:Bound",
            "store-alpha-store-2:Bound",
        ]);
        const pdbs = (await c.policy.listNamespacedPodDisruptionBudget({ namespace: ns })).items
            .map((p) => p.metadata?.name)
            .sort();
        assert.deepEqual(pdbs, ["alpha-pd", "alpha-proxy", "alpha-store"]);
    });

    it("secure by default: the API server accepted a NetworkPolicy per tier, hardened pods and the proxy's headless Service", async () => {
        // kwok runs no CNI, so nothing enforces the policies here: test/components/network-policy.test.ts proves the flows.
        const net = c.config.makeApiClient(k8s.NetworkingV1Api);
        const policies = (
            await net.listNamespacedNetworkPolicy({ namespace: ns, labelSelector: "app.kubernetes.io/instance=alpha" })
        ).items;
        assert.deepEqual(
            policies
                .map((p) => `${p.metadata?.name}:${p.spec?.podSelector?.matchLabels?.["app.kubernetes.io/component"]}`)
                .sort(),
            ["alpha-pd:pd", "alpha-proxy:proxy", "alpha-store:store"],
        );
        const store = policies.find((p) => p.metadata?.name === "alpha-store");
        assert.deepEqual(store?.spec?.policyTypes, ["Ingress", "Egress"]);
        assert.deepEqual(
            store?.spec?.ingress?.map((r) => r.ports?.[0]?.port),
            [10800, 6370],
        );
        for (const tier of ["pd", "store", "proxy"]) {
            const pods = await tierPods(c, ns, "alpha", tier);
            assert.ok(pods.length > 0, tier);
            for (const pod of pods) {
                assert.equal(pod.spec?.securityContext?.seccompProfile?.type, "RuntimeDefault", pod.metadata?.name);
                const sc = pod.spec?.containers[0].securityContext;
                assert.equal(sc?.allowPrivilegeEscalation, false, pod.metadata?.name);
                assert.deepEqual(sc?.capabilities?.drop, ["ALL"], pod.metadata?.name);
            }
        }
        // The API server's own Pod Security check: "baseline" holds; "restricted" only misses runAsNonRoot (the images run as root).
        const baseline = await kubectl(c, [
            "label",
            "--dry-run=server",
            "--overwrite",
            "namespace",
            ns,
            "pod-security.kubernetes.io/enforce=baseline",
        ]);
        assert.equal(baseline.code, 0, baseline.output);
        assert.doesNotMatch(baseline.output, /violate/, baseline.output);
        const restricted = await kubectl(c, [
            "label",
            "--dry-run=server",
            "--overwrite",
            "namespace",
            ns,
            "pod-security.kubernetes.io/enforce=restricted",
        ]);
        const complaints = restricted.output.split("\n").filter((l) => /^Warning: alpha-/.test(l));
        assert.ok(complaints.length > 0, restricted.output);
        for (const line of complaints) {
            assert.match(
                line,
                /^Warning: alpha-[a-z0-9-]+( \(and \d+ other pods?\))?: runAsNonRoot != true$/,
                restricted.output,
            );
        }
        const proxy = await c.apps.readNamespacedStatefulSet({ namespace: ns, name: "alpha-proxy" });
        const headless = await c.core.readNamespacedService({ namespace: ns, name: proxy.spec?.serviceName ?? "" });
        assert.equal(headless.spec?.clusterIP, "None");
    });

    it("scales stores out 3 -> 5", async () => {
        await a.setConfig("store.replicas", "5");
        const up = await a.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, "alpha", "store", 5);
    });

    it("blocks PD 3 -> 5 at preview and at up, changing nothing", async () => {
        await a.setConfig("pd.replicas", "5");
        const preview = await a.preview(policy);
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /elasticell-pd-replicas-fixed/);
        assert.match(preview.output, /3 → 5|3 -> 5/);
        const up = await a.up(policy);
        assert.notEqual(up.code, 0, up.output);
        assert.equal(await liveReplicas("alpha-pd"), 3);
        await a.setConfig("pd.replicas", "3");
    });

    it("blocks Store 5 -> 4 at preview, changing nothing", async () => {
        await a.setConfig("store.replicas", "4");
        const preview = await a.preview(policy);
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /elasticell-store-no-scale-in/);
        assert.match(preview.output, /5 → 4|5 -> 4/);
        assert.equal(await liveReplicas("alpha-store"), 5);
        await a.setConfig("store.replicas", "5");
    });

    it("catches drift: stores scaled to 7 by kubectl, then a preview at 5 is a scale-in", async () => {
        const scale = await kubectl(c, ["scale", "statefulset", "alpha-store", "-n", ns, "--replicas=7"]);
        assert.equal(scale.code, 0, scale.output);
        const preview = await a.preview(policy);
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /7 → 5|7 -> 5/);
        // Adopt the drift: the config follows the cluster, which is allowed.
        await a.setConfig("store.replicas", "7");
        const up = await a.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, "alpha", "store", 7);
    });

    it("rolls an image upgrade PD, then Store, then Proxy, one pod at a time", async () => {
        for (const tier of ["pd", "store", "proxy"]) {
            await a.setConfig(`${tier}.image`, `deepfabric/${tier === "store" ? "cell" : tier}:v2`);
        }
        const watch = await watchPods(c, ns);
        const up = await a.up(policy);
        watch.stop();
        assert.equal(up.code, 0, up.output);
        const events = watch.events.filter((e) => e.name.startsWith("alpha-"));
        const revisions: Record<string, string> = {};
        for (const tier of ["pd", "store", "proxy"]) {
            const sts = await c.apps.readNamespacedStatefulSet({ namespace: ns, name: `alpha-${tier}` });
            revisions[tier] = sts.status?.updateRevision ?? "";
            assert.equal(sts.status?.currentRevision, sts.status?.updateRevision, `${tier} finished rolling`);
        }
        const updates = Object.fromEntries(
            ["pd", "store", "proxy"].map((tier) => [tier, podUpdates(events, tier, revisions[tier])]),
        );
        for (const [tier, list] of Object.entries(updates)) {
            for (const u of list) {
                assert.ok(
                    u.begin >= 0 && u.done > u.begin,
                    `${tier} pod ${u.name} was replaced and became Ready: ${JSON.stringify(u)}`,
                );
            }
            // One at a time: a pod starts going away only after the previous one is back and Ready.
            const sorted = [...list].sort((x, y) => x.begin - y.begin);
            for (let i = 1; i < sorted.length; i++) {
                assert.ok(
                    sorted[i].begin > sorted[i - 1].done,
                    `${tier}: ${sorted[i].name} started before ${sorted[i - 1].name} was Ready`,
                );
            }
        }
        const last = (tier: string) => Math.max(...updates[tier].map((u) => u.done));
        const first = (tier: string) => Math.min(...updates[tier].map((u) => u.begin));
        assert.ok(last("pd") < first("store"), "every PD pod is updated before the first store pod goes");
        assert.ok(last("store") < first("proxy"), "every store pod is updated before the proxy goes");
    });

    it("the in-cluster guard (on by default) refuses kubectl scale of PD and a Store decrease", async () => {
        // The API server's policy cache may take a moment to see a new policy.
        let refused = { code: 0, output: "" };
        for (let i = 0; i < 20 && refused.code === 0; i++) {
            await new Promise((r) => setTimeout(r, 1000));
            refused = await kubectl(c, ["scale", "statefulset", "alpha-store", "-n", ns, "--replicas=6"]);
            if (refused.code === 0) {
                await kubectl(c, ["scale", "statefulset", "alpha-store", "-n", ns, "--replicas=7"]);
            }
        }
        assert.notEqual(refused.code, 0, refused.output);
        assert.match(refused.output, /Store replicas of e2e-cluster\/alpha-store cannot go down \(7 -> 6\)/);
        const pd = await kubectl(c, ["scale", "statefulset", "alpha-pd", "-n", ns, "--replicas=5"]);
        assert.notEqual(pd.code, 0, pd.output);
        assert.match(pd.output, /PD replicas of e2e-cluster\/alpha-pd are fixed at 3/);
        const grow = await kubectl(c, ["scale", "statefulset", "alpha-store", "-n", ns, "--replicas=8"]);
        assert.equal(grow.code, 0, `scale-out stays allowed: ${grow.output}`);
        // A Scale to 0 carries no spec.replicas at all: still refused, with the same message.
        const zero = await kubectl(c, ["scale", "statefulset", "alpha-store", "-n", ns, "--replicas=0"]);
        assert.notEqual(zero.code, 0, zero.output);
        assert.match(zero.output, /cannot go down \(8 -> 0\)/);
        // Adopt the scale-out: the stack takes over the new store's claim and records 8 stores.
        await a.setConfig("store.replicas", "8");
        const adopt = await a.up(policy);
        assert.equal(adopt.code, 0, adopt.output);
    });

    it("a second cluster (second stack) shares the namespace without touching the first", async () => {
        b = new EngineProject(
            "b",
            { name: "beta", namespace: ns, createNamespace: false },
            { kubeconfig: c.kubeconfig },
        );
        await upOnCluster(b, c, { namespace: ns, cluster: "beta" }, policy, { pd: 3, store: 3 });
        assert.equal((await tierPods(c, ns, "alpha", "store")).length, 8, "the first cluster keeps its stores");
        const preview = await a.preview(policy);
        assert.equal(preview.code, 0, preview.output);
        assert.doesNotMatch(preview.stdout, /[+-] +\d+ to (create|delete)/, "the first stack sees no change");
    });

    it("destroy (the documented one step, --ignore-protect) leaves the PVCs (data) in place", async () => {
        for (const p of [b, a]) {
            const destroy = await p!.destroy();
            assert.equal(destroy.code, 0, destroy.output);
        }
        const sts = (await c.apps.listNamespacedStatefulSet({ namespace: ns })).items;
        assert.equal(sts.length, 0);
        const pvcs = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items.map(
            (p) => p.metadata?.name,
        );
        for (const name of ["pd-alpha-pd-0", "store-alpha-store-7", "store-beta-store-2"]) {
            assert.ok(pvcs.includes(name), `${name} kept: ${pvcs.join(", ")}`);
        }
    });
});
