import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { MockClusters, type MockDeployment } from "../helpers/mock-cluster";
import { ofType, resolve, Types, type Recorded } from "../helpers/mocks";
import { stackConfig } from "../helpers/stacks";

let mocks: MockClusters;

before(async () => {
    mocks = await MockClusters.install();
});

/** Builds a cluster from raw config and returns only what it registered. */
async function deploy(raw: unknown): Promise<MockDeployment> {
    return mocks.deploy(raw);
}

/** `protect` of every resource a deployment registered, by `<kind>/<name>` (e.g. `StatefulSet/x-store`). */
const protectedNames = (d: MockDeployment) =>
    new Map([...d.options].map(([typeAndName, o]) => [typeAndName.split(":").pop()!, o.protect === true] as const));

const names = (rs: Recorded[], type: string) =>
    ofType(rs, type)
        .map((r) => r.inputs.metadata.name)
        .sort();

describe("CellCluster under mocks: the dev stack", () => {
    it("registers the namespace, three tiers and their objects", async () => {
        const { resources } = await deploy(stackConfig("dev"));
        assert.deepEqual(names(resources, Types.statefulSet), ["dev-pd", "dev-proxy", "dev-store"]);
        assert.deepEqual(names(resources, Types.service), [
            "dev-cell",
            "dev-pd",
            "dev-pd-peer",
            "dev-proxy-peer",
            "dev-store-peer",
        ]);
        assert.deepEqual(
            names(resources, Types.networkPolicy),
            ["dev-pd", "dev-proxy", "dev-store"],
            "NetworkPolicies are on by default",
        );
        assert.deepEqual(names(resources, Types.configMap), ["dev-pd", "dev-proxy", "dev-store"]);
        assert.deepEqual(names(resources, Types.pdb), ["dev-pd", "dev-proxy", "dev-store"]);
        assert.deepEqual(names(resources, Types.namespace), ["elasticell-dev"]);
        assert.equal(ofType(resources, Types.tier).length, 3);
        assert.equal(ofType(resources, Types.cluster).length, 1);
        assert.equal(ofType(resources, Types.vap).length, 1, "the admission guard is on by default");
        assert.equal(ofType(resources, Types.vapBinding).length, 1);
        assert.deepEqual(
            ofType(resources, Types.guardRelease).map((r) => r.name),
            ["dev-guard-release"],
            "the guard's destroy step",
        );
        const clusterScoped: string[] = [Types.namespace, Types.vap, Types.vapBinding];
        for (const r of resources.filter((x) => x.type.startsWith("kubernetes:") && !clusterScoped.includes(x.type))) {
            assert.equal(r.inputs.metadata.namespace, "elasticell-dev", `${r.type} ${r.name}`);
        }
    });

    it("exports the Redis endpoint, PD client URL and per-tier facts", async () => {
        const { cluster } = await deploy(stackConfig("dev"));
        assert.equal(await resolve(cluster.redisEndpoint), "dev-cell.elasticell-dev.svc:6379");
        assert.equal(await resolve(cluster.pdClientUrl), "http://dev-pd.elasticell-dev.svc:2379");
        assert.equal(await resolve(cluster.namespace), "elasticell-dev");
        assert.equal(await resolve(cluster.store.statefulSet), "dev-store");
        assert.equal(await resolve(cluster.store.replicas), 3);
        assert.equal(await resolve(cluster.proxy.image), "deepfabric/proxy:v1.0.0", "Pulumi.dev.yaml pins the images");
    });

    it("stamps the owning stack on every object, for the policy pack", async () => {
        const { resources } = await deploy(stackConfig("dev"));
        for (const sts of ofType(resources, Types.statefulSet)) {
            assert.equal(sts.inputs.metadata.annotations["elasticell.io/pulumi-stack"], "elasticell/dev");
        }
    });
});

describe("CellCluster under mocks: secure by default", () => {
    it("registers a NetworkPolicy per tier selecting that tier's pods, and none when disabled", async () => {
        const { resources } = await deploy(stackConfig("dev"));
        for (const policy of ofType(resources, Types.networkPolicy)) {
            const tier = policy.inputs.metadata.name.replace("dev-", "");
            assert.deepEqual(policy.inputs.spec.podSelector.matchLabels, {
                "app.kubernetes.io/name": "elasticell",
                "app.kubernetes.io/instance": "dev",
                "app.kubernetes.io/component": tier,
            });
            assert.deepEqual(policy.inputs.spec.policyTypes, ["Ingress", "Egress"]);
        }
        const off = await deploy({ name: "open", networkPolicy: { enabled: false } });
        assert.equal(ofType(off.resources, Types.networkPolicy).length, 0);
    });

    it("hardens every tier's containers", async () => {
        const { resources } = await deploy(stackConfig("dev"));
        for (const sts of ofType(resources, Types.statefulSet)) {
            const pod = sts.inputs.spec.template.spec;
            assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault", sts.inputs.metadata.name);
            assert.equal(pod.containers[0].securityContext.allowPrivilegeEscalation, false);
            assert.deepEqual(pod.containers[0].securityContext.capabilities.drop, ["ALL"]);
        }
    });

    it("the proxy StatefulSet names its own headless Service", async () => {
        const { resources } = await deploy(stackConfig("dev"));
        const proxy = ofType(resources, Types.statefulSet).find((r) => r.inputs.metadata.name === "dev-proxy");
        const svc = ofType(resources, Types.service).find(
            (r) => r.inputs.metadata.name === proxy?.inputs.spec.serviceName,
        );
        assert.equal(svc?.inputs.spec.clusterIP, "None");
    });
});

describe("CellCluster under mocks: the prod stack", () => {
    it("sizes, pins and spreads as configured, with the admission guard", async () => {
        const { resources } = await deploy(stackConfig("prod"));
        const sts = Object.fromEntries(
            ofType(resources, Types.statefulSet).map((r) => [r.inputs.metadata.name, r.inputs]),
        );
        assert.deepEqual(
            ["cell-pd", "cell-store", "cell-proxy"].map((n) => sts[n].spec.replicas),
            [3, 5, 3],
        );
        assert.equal(sts["cell-store"].spec.template.spec.containers[0].image, "deepfabric/cell:v1.0.0");
        assert.equal(sts["cell-store"].metadata.labels["app.kubernetes.io/version"], "v1.0.0");
        assert.equal(sts["cell-store"].spec.volumeClaimTemplates[0].spec.storageClassName, "fast-ssd");
        assert.equal(sts["cell-store"].spec.volumeClaimTemplates[0].spec.resources.requests.storage, "500Gi");
        assert.ok(
            sts["cell-pd"].spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution,
        );
        assert.equal(sts["cell-proxy"].spec.template.spec.containers[0].resources.limits.cpu, "2");
        const redis = ofType(resources, Types.service).find((r) => r.inputs.metadata.name === "cell-cell");
        assert.equal(redis?.inputs.spec.type, "LoadBalancer");
        assert.equal(ofType(resources, Types.vap).length, 1);
        assert.equal(ofType(resources, Types.vapBinding).length, 1);
        assert.equal(sts["cell-pd"].metadata.labels.team, "platform");
    });
});

describe("two clusters in one namespace", () => {
    it("have disjoint object names and selectors", async () => {
        const a = await deploy({ name: "alpha", namespace: "shared", createNamespace: false });
        const b = await deploy({ name: "beta", namespace: "shared", createNamespace: false });
        const objects = (rs: Recorded[]) =>
            rs.filter((r) => r.type.startsWith("kubernetes:")).map((r) => `${r.type}/${r.inputs.metadata.name}`);
        const shared = objects(a.resources).filter((o) => objects(b.resources).includes(o));
        assert.deepEqual(shared, []);
        const selectors = (rs: Recorded[]) =>
            ofType(rs, Types.statefulSet).map((r) => JSON.stringify(r.inputs.spec.selector.matchLabels));
        for (const sel of selectors(a.resources)) {
            assert.ok(!selectors(b.resources).includes(sel), sel);
            assert.ok(sel.includes('"app.kubernetes.io/instance":"alpha"'), sel);
        }
        const services = ofType(b.resources, Types.service).map(
            (r) => r.inputs.spec.selector["app.kubernetes.io/instance"],
        );
        assert.deepEqual([...new Set(services)], ["beta"]);
    });
});

describe("the engine never replaces or deletes a stateful tier", () => {
    it("protects the PD and Store StatefulSets, and nothing else, by default", async () => {
        const isProtected = [...protectedNames(await deploy({ name: "prot" }))]
            .filter(([, p]) => p)
            .map(([n]) => n)
            .sort();
        assert.deepEqual(isProtected, ["StatefulSet/prot-pd", "StatefulSet/prot-store"]);
    });

    it("`protect: false` leaves them unprotected", async () => {
        const loose = protectedNames(await deploy({ name: "loose", protect: false }));
        assert.deepEqual(
            [...loose].filter(([, p]) => p),
            [],
        );
        assert.ok(loose.has("StatefulSet/loose-store"));
    });

    it("sets minReadySeconds on every StatefulSet from the config", async () => {
        const { resources } = await deploy({ name: "mrs", store: { minReadySeconds: 30 } });
        const sts = Object.fromEntries(
            ofType(resources, Types.statefulSet).map((r) => [r.inputs.metadata.name, r.inputs.spec.minReadySeconds]),
        );
        assert.deepEqual(sts, { "mrs-pd": 10, "mrs-store": 30, "mrs-proxy": 0 });
    });
});
