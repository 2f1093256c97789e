/**
 * Zones and health gates through the real engine on the local cluster (3 kwok
 * nodes in zones a, b, c). kwok runs no container, so this proves what the
 * API holds and what the scripts make of it:
 * - each store pod carries its node's zone label, copied by the API server at
 *   binding (PodTopologyLabels admission, on by default in Kubernetes 1.35+);
 * - the store's env names that label, and the start script read from the live
 *   ConfigMap, run here with /bin/sh and a fake `cell`, passes `--zone` = the
 *   node's zone (the value the kubelet's downward API would give it);
 * - `nodeApi`: the RBAC the API server enforces lets the store's
 *   ServiceAccount get (not list) nodes, and the init container's kubectl
 *   command, run as that ServiceAccount, yields the node's zone;
 * - PD's readiness is httpGet /health, the store's readiness and preStop run
 *   the ConfigMap's scripts.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type * as k8s from "@kubernetes/client-node";
import { EngineProject } from "../helpers/engine";
import { kubectl, testCluster, tierPods, waitForReadyPods, type TestCluster } from "../helpers/cluster";
import { BaseTools, ShSandbox } from "../helpers/sh-run";

const ns = "e2e-zones";
const name = "zeta";
const ZoneLabel = "topology.kubernetes.io/zone";

describe("engine, local cluster: zone-aware stores and health gates", () => {
    let c: TestCluster;
    let p: EngineProject;
    let sb: ShSandbox;

    before(async () => {
        c = testCluster();
        const quick = { minReadySeconds: 0 };
        // Required spread: 3 stores over 3 zones, one each, so the zones a store reports are all different.
        p = new EngineProject(
            "zones",
            { name, namespace: ns, pd: quick, store: { ...quick, zoneSpread: "required" } },
            { kubeconfig: c.kubeconfig },
        );
        await p.init();
        sb = new ShSandbox(BaseTools);
        sb.fake("getent", "exit 0");
        sb.fake("cell", 'for a in "$@"; do echo "$a"; done');
    });
    after(async () => {
        sb.dispose();
        await p.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
    });

    const nodeZone = async (pod: k8s.V1Pod) =>
        (await c.core.readNode({ name: pod.spec?.nodeName ?? "" })).metadata?.labels?.[ZoneLabel];
    const storeScript = async () =>
        (await c.core.readNamespacedConfigMap({ namespace: ns, name: `${name}-store` })).data?.[
            "store_start_script.sh"
        ] ?? "";
    const podEnv = { PEER_SERVICE_NAME: `${name}-store-peer`, NAMESPACE: ns };

    /** The `--zone`/`--rack` the start script gives `cell`, run with the env the pod would have. */
    async function flags(script: string, env: Record<string, string>): Promise<string[]> {
        const r = await sb.run(script, env);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.split("\n").filter((l) => l.startsWith("--zone=") || l.startsWith("--rack="));
    }

    it("podLabels (default): every store pod holds its node's zone, and its start script reports it", async () => {
        const up = await p.up();
        assert.equal(up.code, 0, up.output);
        const stores = await waitForReadyPods(c, ns, name, "store", 3);
        const script = await storeScript();
        const seen = new Set<string>();
        for (const pod of stores) {
            const zone = await nodeZone(pod);
            assert.ok(zone !== undefined, `node ${pod.spec?.nodeName} has a zone`);
            assert.equal(
                pod.metadata?.labels?.[ZoneLabel],
                zone,
                `${pod.metadata?.name}: the API server copied the node's zone`,
            );
            // The downward API field the env names, resolved as the kubelet would, from the live pod.
            const env = pod.spec?.containers[0]?.env?.find((e) => e.name === "ELASTICELL_ZONE");
            const path = env?.valueFrom?.fieldRef?.fieldPath ?? "";
            const key = /^metadata\.labels\['(.+)'\]$/.exec(path)?.[1];
            assert.equal(key, ZoneLabel, path);
            const value = pod.metadata?.labels?.[key] ?? "";
            assert.deepEqual(
                await flags(script, { ...podEnv, HOSTNAME: pod.metadata?.name ?? "", ELASTICELL_ZONE: value }),
                [`--zone=${zone}`, `--rack=${zone}`],
            );
            seen.add(zone);
        }
        assert.equal(seen.size, 3, "one store per zone");
    });

    it("health gates: PD readiness is httpGet /health; the store's readiness and preStop are the ConfigMap's scripts", async () => {
        const [pd] = await tierPods(c, ns, name, "pd");
        const pdc = pd?.spec?.containers[0];
        assert.deepEqual(pdc?.readinessProbe?.httpGet?.path, "/health");
        assert.equal(pdc?.readinessProbe?.httpGet?.port, "client");
        assert.equal(pdc?.readinessProbe?.timeoutSeconds, 2);
        assert.equal(pdc?.livenessProbe, undefined);
        assert.equal(pdc?.env?.find((e) => e.name === "POD_IP")?.valueFrom?.fieldRef?.fieldPath, "status.podIP");
        const [store] = await tierPods(c, ns, name, "store");
        const sc = store?.spec?.containers[0];
        assert.deepEqual(sc?.readinessProbe?.exec?.command, ["/bin/sh", "/usr/local/bin/startup/store_ready.sh"]);
        assert.deepEqual(sc?.lifecycle?.preStop?.exec?.command, ["/bin/sh", "/usr/local/bin/startup/store_prestop.sh"]);
        assert.ok((store?.spec?.terminationGracePeriodSeconds ?? 0) >= 30);
        const data = (await c.core.readNamespacedConfigMap({ namespace: ns, name: `${name}-store` })).data ?? {};
        assert.ok(data["store_ready.sh"]?.includes("/pd/api/v1/stores"));
        assert.ok(data["store_prestop.sh"]?.includes("/leader"));
        assert.equal(sc?.env?.find((e) => e.name === "PD_URL")?.value, `http://${name}-pd.${ns}.svc:2379`);
    });

    it("nodeApi: the store's ServiceAccount may get nodes (not list), and its init container's command yields the node's zone", async () => {
        await p.setConfig("store.topology.source", "nodeApi");
        const up = await p.up();
        assert.equal(up.code, 0, up.output);
        const account = `system:serviceaccount:${ns}:${name}-store`;
        const get = await kubectl(c, ["auth", "can-i", "get", "nodes", "--as", account]);
        assert.equal(get.output.split("\n")[0], "yes", get.output);
        const list = await kubectl(c, ["auth", "can-i", "list", "nodes", "--as", account]);
        assert.equal(list.output.split("\n")[0], "no", list.output);

        const stores = await waitForReadyPods(c, ns, name, "store", 3, 180_000);
        const script = await storeScript();
        for (const pod of stores) {
            assert.equal(pod.spec?.serviceAccountName, `${name}-store`);
            const init = pod.spec?.initContainers?.[0];
            assert.equal(init?.name, "node-topology");
            // go-runner only redirects stdout: run the kubectl part as the ServiceAccount, for this pod's node.
            const command = init?.command ?? [];
            const kubectlArgs = command
                .slice(command.indexOf("/bin/kubectl") + 1)
                .map((a) => a.replace("$(NODE_NAME)", pod.spec?.nodeName ?? ""));
            const got = await kubectl(c, [...kubectlArgs.filter((a) => !a.startsWith("--cache-dir")), "--as", account]);
            assert.equal(got.code, 0, got.output);
            const file = join(sb.dir, `${pod.metadata?.name}.topology`);
            writeFileSync(file, got.output);
            const zone = await nodeZone(pod);
            assert.deepEqual(
                await flags(script, { ...podEnv, HOSTNAME: pod.metadata?.name ?? "", TOPOLOGY_FILE: file }),
                [`--zone=${zone}`, `--rack=${zone}`],
            );
        }
    });

    it("destroys cleanly, ClusterRole and binding included", async () => {
        const down = await p.destroy();
        assert.equal(down.code, 0, down.output);
        const role = await kubectl(c, ["get", "clusterrole", `elasticell-${ns}-${name}-store-nodes`]);
        assert.notEqual(role.code, 0, role.output);
    });
});
