/**
 * What the builder renders for the health gates and the zone discovery:
 * probes, preStop hook, grace period, env, init container, volumes and RBAC.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig, StackConfigError } from "../../../components/config";
import { pdProfile } from "../../../components/pd";
import { proxyProfile } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import { PreStopBudgetSeconds, StorePreStopScript, StoreReadyScript } from "../../../components/store-health";
import { buildZoneAccess } from "../../../components/tier/zone";
import { buildNetworkPolicies } from "../../../components/network/policy";
import { tierSelector } from "../../../components/labels";
import { mayConnect, type Endpoint } from "../../helpers/netpol";
import {
    buildFromConfig as build,
    envNames,
    mainContainer as main,
    podSpec as pod,
    testCtx as ctx,
} from "../../helpers/tier-build";

describe("PD: readiness is etcd health, the client URL is the pod IP", () => {
    const m = build(pdProfile);
    it("httpGet /health on the client port, 2 s timeout, and no liveness probe", () => {
        assert.deepEqual(main(m).readinessProbe, {
            httpGet: { path: "/health", port: "client", scheme: "HTTP" },
            timeoutSeconds: 2,
            initialDelaySeconds: 5,
            periodSeconds: 10,
            failureThreshold: 3,
        });
        assert.equal(main(m).livenessProbe, undefined);
        assert.equal(main(m).lifecycle, undefined);
        assert.equal(pod(m).terminationGracePeriodSeconds, 30);
    });
    it("POD_IP comes from the downward API", () => {
        assert.deepEqual(
            main(m).env.find((e: { name: string }) => e.name === "POD_IP"),
            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        );
    });
    it("no zone discovery on PD", () => {
        assert.equal(pod(m).initContainers, undefined);
        assert.ok(!envNames(m).includes("ELASTICELL_ZONE"));
    });
});

describe("Store: readiness and preStop ask PD", () => {
    const m = build(storeProfile);
    it("readiness runs the ConfigMap's script (exec, 5 s)", () => {
        assert.deepEqual(main(m).readinessProbe.exec, {
            command: ["/bin/sh", `/usr/local/bin/startup/${StoreReadyScript}`],
        });
        assert.equal(main(m).readinessProbe.timeoutSeconds, 5);
        assert.equal(main(m).livenessProbe, undefined);
    });
    it("preStop runs the ConfigMap's script, within a grace period above its budget", () => {
        assert.deepEqual(main(m).lifecycle, {
            preStop: { exec: { command: ["/bin/sh", `/usr/local/bin/startup/${StorePreStopScript}`] } },
        });
        assert.ok(pod(m).terminationGracePeriodSeconds >= PreStopBudgetSeconds + 10);
    });
    it("both scripts sit in the ConfigMap beside the start script, and reach PD through PD_URL", () => {
        assert.deepEqual(
            Object.keys(m.configMap.data).sort(),
            [StorePreStopScript, StoreReadyScript, "store_start_script.sh"].sort(),
        );
        assert.deepEqual(
            main(m).env.find((e: { name: string }) => e.name === "PD_URL"),
            { name: "PD_URL", value: "http://demo-pd.ns1.svc:2379" },
        );
        for (const file of [StoreReadyScript, StorePreStopScript]) {
            assert.ok(m.configMap.data[file].startsWith("#!/bin/sh\n"));
            assert.ok(
                !/\bjq\b|\bcurl -X DELETE/.test(m.configMap.data[file]),
                "busybox tools only, and never a store deletion",
            );
        }
    });
    it("the proxy keeps its TCP probe and no hook", () => {
        const p = build(proxyProfile);
        assert.deepEqual(main(p).readinessProbe.tcpSocket, { port: proxyProfile.readinessPort });
        assert.equal(main(p).lifecycle, undefined);
    });
});

describe("Store: zone discovery per store.topology.source", () => {
    it("podLabels (default): env from the pod's zone label, nothing else", () => {
        const m = build(storeProfile);
        assert.deepEqual(
            main(m).env.find((e: { name: string }) => e.name === "ELASTICELL_ZONE"),
            {
                name: "ELASTICELL_ZONE",
                valueFrom: { fieldRef: { fieldPath: "metadata.labels['topology.kubernetes.io/zone']" } },
            },
        );
        assert.equal(pod(m).initContainers, undefined);
        assert.equal(pod(m).serviceAccountName, undefined);
    });

    it("nodeApi: init container writes the node's zone and rack to a shared emptyDir, as the store's ServiceAccount", () => {
        const m = build(storeProfile, { store: { topology: { source: "nodeApi", rackLabel: "example.com/rack" } } });
        const init = pod(m).initContainers;
        assert.equal(init.length, 1);
        assert.equal(init[0].image, "registry.k8s.io/kubectl:v1.36.3");
        assert.deepEqual(init[0].command.slice(0, 1), ["/go-runner"]);
        assert.ok(init[0].command.includes("-log-file=/etc/elasticell/topology/node"));
        assert.ok(init[0].command.includes("$(NODE_NAME)"));
        assert.equal(
            init[0].command.at(-1),
            'jsonpath=zone={.metadata.labels.topology\\.kubernetes\\.io/zone}{"\\n"}rack={.metadata.labels.example\\.com/rack}{"\\n"}',
        );
        assert.deepEqual(init[0].env, [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }]);
        assert.equal(pod(m).serviceAccountName, "demo-store");
        assert.ok(
            pod(m).volumes.some(
                (v: { name: string; emptyDir?: object }) => v.name === "topology" && v.emptyDir !== undefined,
            ),
        );
        assert.ok(
            main(m).volumeMounts.some(
                (v: { mountPath: string; readOnly?: boolean }) =>
                    v.mountPath === "/etc/elasticell/topology" && v.readOnly,
            ),
        );
        assert.ok(!envNames(m).includes("ELASTICELL_ZONE"));
    });

    it("none: no env, no init container", () => {
        const m = build(storeProfile, { store: { topology: { source: "none" } } });
        assert.equal(pod(m).initContainers, undefined);
        assert.ok(!envNames(m).some((n) => n === "ELASTICELL_ZONE" || n === "NODE_NAME"));
    });

    it("nodeApi access: a ClusterRole that may only get nodes, bound to the store's ServiceAccount", () => {
        const a = buildZoneAccess({ ctx, tier: "store", labels: {}, annotations: {} });
        assert.deepEqual(a.serviceAccount.metadata.name, "demo-store");
        assert.equal(a.serviceAccount.metadata.namespace, "ns1");
        assert.deepEqual(a.clusterRole.rules, [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]);
        assert.equal(a.clusterRole.metadata.name, "elasticell-ns1-demo-store-nodes");
        assert.equal(a.clusterRole.metadata.namespace, undefined);
        assert.deepEqual(a.binding.subjects, [{ kind: "ServiceAccount", name: "demo-store", namespace: "ns1" }]);
        assert.equal(a.binding.roleRef.name, a.clusterRole.metadata.name);
    });

    it("config: defaults, and bad values listed with their fix", () => {
        assert.deepEqual(parseStackConfig({}).store.topology, {
            source: "podLabels",
            rackLabel: "topology.elasticell.io/rack",
            nodeApiImage: "registry.k8s.io/kubectl:v1.36.3",
        });
        assert.throws(
            () => parseStackConfig({ store: { topology: { source: "nodeLabels", rackLabel: "bad key!" } } }),
            (e: unknown) =>
                e instanceof StackConfigError &&
                e.problems.some((p) => p.includes("store.topology.source")) &&
                e.problems.some((p) => p.includes("store.topology.rackLabel") && p.includes("not a valid label key")),
        );
    });
});

describe("NetworkPolicies for the gates and the zone discovery", () => {
    const tierPod = (tier: "pd" | "store" | "proxy", ip: string): Endpoint => ({
        name: tier,
        namespace: "ns1",
        labels: tierSelector("demo", tier),
        ip,
    });
    const [pd, store, proxy] = [tierPod("pd", "10.1.0.1"), tierPod("store", "10.1.0.2"), tierPod("proxy", "10.1.0.3")];
    const apiServer: Endpoint = { name: "api-server", ip: "192.168.10.5" };
    const policies = (source: "podLabels" | "nodeApi") =>
        Object.values(
            buildNetworkPolicies({
                ctx,
                profiles: [pdProfile, storeProfile, proxyProfile],
                config: parseStackConfig({}).networkPolicy,
                labels: {},
                annotations: {},
                apiServerEgress: source === "nodeApi" ? ["store"] : [],
            }),
        );

    it("stores reach PD's API (2379) for readiness and preStop; proxies do not", () => {
        assert.equal(mayConnect(policies("podLabels"), store, pd, 2379), true);
        assert.equal(mayConnect(policies("podLabels"), proxy, pd, 2379), false);
    });

    it("only nodeApi opens the API server's ports, to the stores only", () => {
        for (const port of [443, 6443]) {
            assert.equal(mayConnect(policies("podLabels"), store, apiServer, port), false, `podLabels ${port}`);
            assert.equal(mayConnect(policies("nodeApi"), store, apiServer, port), true, `nodeApi ${port}`);
            assert.equal(mayConnect(policies("nodeApi"), pd, apiServer, port), false, `pd ${port}`);
        }
        assert.equal(mayConnect(policies("nodeApi"), store, apiServer, 80), false);
    });
});
