/**
 * The tiers' NetworkPolicies admit exactly the flows elasticell needs, and
 * nothing else: the rendered policies are run through a NetworkPolicy
 * evaluator (test/helpers/netpol.ts) for every source, tier and port.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig, type StackConfigInput } from "../../../components/config";
import { tierSelector, type TierKind } from "../../../components/labels";
import { buildNetworkPolicies } from "../../../components/network/policy";
import { pdProfile } from "../../../components/pd";
import { proxyProfile } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import type { TierProfile } from "../../../components/tier/profile";
import { inCidr, mayConnect, type Endpoint } from "../../helpers/netpol";

const ns = "cell";
const profiles = [pdProfile, storeProfile, proxyProfile];

function policiesFor(
    cluster: string,
    raw: StackConfigInput["networkPolicy"],
    tiers: readonly TierProfile[] = profiles,
) {
    const cfg = parseStackConfig({ networkPolicy: raw });
    const built = buildNetworkPolicies({
        ctx: { cluster, namespace: ns, pdReplicas: 3 },
        profiles: tiers,
        config: cfg.networkPolicy,
        labels: {},
        annotations: {},
    });
    return Object.values(built);
}

const pod = (name: string, namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
    name,
    namespace,
    labels,
    ip,
});
const tierPod = (cluster: string, tier: TierKind, ip: string) =>
    pod(`${cluster}-${tier}`, ns, tierSelector(cluster, tier), ip);
const address = (name: string, ip: string): Endpoint => ({ name, ip });

/** The config under test: clients named every way the schema allows. */
const named: StackConfigInput["networkPolicy"] = {
    proxyClients: {
        namespaces: ["app"],
        podSelectors: [{ matchLabels: { role: "cache-user" } }, { matchLabels: { job: "report" }, namespace: "jobs" }],
        cidrs: ["10.20.0.0/16"],
    },
    // The API server's service proxy: its address (kubeadm, EKS) or the konnectivity agents (GKE, AKS).
    pdClients: {
        cidrs: ["192.168.10.0/24"],
        podSelectors: [{ matchLabels: { "k8s-app": "konnectivity-agent" }, namespace: "kube-system" }],
    },
};

const sources: Endpoint[] = [
    tierPod("demo", "pd", "10.1.0.1"),
    tierPod("demo", "store", "10.1.0.2"),
    tierPod("demo", "proxy", "10.1.0.3"),
    { ...tierPod("other", "pd", "10.1.0.11"), name: "other-cluster-pd" },
    { ...tierPod("other", "proxy", "10.1.0.13"), name: "other-cluster-proxy" },
    pod("same-namespace-pod", ns, { app: "web" }, "10.1.0.20"),
    pod("app-namespace-pod", "app", { app: "api" }, "10.1.0.21"),
    pod("labeled-pod", ns, { role: "cache-user" }, "10.1.0.22"),
    pod("labeled-pod-elsewhere", "web", { role: "cache-user" }, "10.1.0.23"),
    pod("jobs-report-pod", "jobs", { job: "report" }, "10.1.0.24"),
    pod("jobs-other-pod", "jobs", { job: "backup" }, "10.1.0.25"),
    pod("konnectivity-agent", "kube-system", { "k8s-app": "konnectivity-agent" }, "10.1.0.26"),
    pod("kube-system-other", "kube-system", { "k8s-app": "metrics-server" }, "10.1.0.27"),
    address("api-server", "192.168.10.5"),
    address("lan-client", "10.20.3.4"),
    address("internet", "203.0.113.9"),
];
const targets: Endpoint[] = (["pd", "store", "proxy"] as const).map((t, i) => tierPod("demo", t, `10.1.0.${i + 1}`));
/** Every port of every tier, and one no tier declares. */
const ports = [2379, 2380, 20800, 10800, 6370, 6379, 9998, 22];

/** The table: the only flows that may exist ("from -> to:port"). */
const expected = new Set([
    "demo-pd -> demo-pd:2379",
    "api-server -> demo-pd:2379",
    "konnectivity-agent -> demo-pd:2379",
    "demo-store -> demo-pd:2379",
    "demo-pd -> demo-pd:2380",
    "demo-store -> demo-pd:20800",
    "demo-proxy -> demo-pd:20800",
    "demo-store -> demo-store:10800",
    "demo-proxy -> demo-store:6370",
    "demo-pd -> demo-proxy:9998",
    "app-namespace-pod -> demo-proxy:6379",
    "labeled-pod -> demo-proxy:6379",
    "jobs-report-pod -> demo-proxy:6379",
    "lan-client -> demo-proxy:6379",
]);

describe("NetworkPolicies: exactly the flows of the table, nothing else", () => {
    // Two clusters share the namespace, each with its policies.
    const policies = [...policiesFor("demo", named), ...policiesFor("other", named)];

    for (const from of sources) {
        for (const to of targets) {
            const want = ports.filter((p) => expected.has(`${from.name} -> ${to.name}:${p}`));
            it(`${from.name} -> ${to.name}: ${want.length === 0 ? "nothing" : want.join(", ")}`, () => {
                assert.deepEqual(
                    ports.filter((p) => mayConnect(policies, from, to, p)),
                    want,
                );
            });
        }
    }

    it("every expected flow is a real row of the table (no typo hides a flow)", () => {
        const rows = new Set(
            sources.flatMap((f) => targets.flatMap((t) => ports.map((p) => `${f.name} -> ${t.name}:${p}`))),
        );
        for (const flow of expected) {
            assert.ok(rows.has(flow), flow);
        }
    });
});

describe("NetworkPolicies: egress", () => {
    const policies = policiesFor("demo", named);
    const [pd, store, proxy] = targets;
    const kubeDns = pod("coredns", "kube-system", { "k8s-app": "kube-dns" }, "10.1.0.53");
    const nodeLocalDns = address("node-local-dns", "169.254.20.10");

    const rows: [string, Endpoint, Endpoint, number, "TCP" | "UDP", boolean][] = [
        ["pd resolves names through kube-dns (UDP)", pd, kubeDns, 53, "UDP", true],
        ["store resolves names through kube-dns (TCP)", store, kubeDns, 53, "TCP", true],
        ["proxy resolves names through NodeLocal DNSCache", proxy, nodeLocalDns, 53, "UDP", true],
        ["store cannot open other ports of kube-dns", store, kubeDns, 443, "TCP", false],
        ["pd cannot reach the internet", pd, address("internet", "203.0.113.9"), 443, "TCP", false],
        ["proxy cannot reach an unrelated pod", proxy, pod("web", ns, { app: "web" }, "10.1.0.20"), 8080, "TCP", false],
        ["store cannot reach the API server", store, address("api-server", "192.168.10.5"), 6443, "TCP", false],
    ];
    for (const [what, from, to, port, protocol, allowed] of rows) {
        it(what, () => assert.equal(mayConnect(policies, from, to, port, protocol), allowed));
    }

    it("restrictEgress: false keeps ingress and lifts egress", () => {
        const open = policiesFor("demo", { ...named, restrictEgress: false });
        assert.deepEqual(
            open.map((p) => p.spec.policyTypes),
            [["Ingress"], ["Ingress"], ["Ingress"]],
        );
        assert.equal(mayConnect(open, pd, address("internet", "203.0.113.9"), 443), true);
        assert.equal(mayConnect(open, sources[5], store, 6370), false, "ingress still denies");
    });
});

describe("NetworkPolicies: config switches", () => {
    const [pd, store, proxy] = targets;
    const anyPod = pod("any", "far-away", { x: "y" }, "10.1.0.99");

    it("by default nothing outside the tiers reaches Redis or PD's API", () => {
        const policies = policiesFor("demo", {});
        for (const from of sources.slice(5)) {
            assert.equal(mayConnect(policies, from, proxy, 6379), false, from.name);
            assert.equal(mayConnect(policies, from, pd, 2379), false, from.name);
        }
        assert.equal(mayConnect(policies, targets[0], pd, 2379), true, "PD keeps its own client port");
    });

    it("proxyClients.allowAll opens 6379 to every pod of the cluster, and nothing more", () => {
        const policies = policiesFor("demo", { proxyClients: { allowAll: true } });
        assert.equal(mayConnect(policies, anyPod, proxy, 6379), true);
        assert.equal(
            mayConnect(policies, address("internet", "203.0.113.9"), proxy, 6379),
            false,
            "external addresses need cidrs",
        );
        assert.equal(mayConnect(policies, anyPod, proxy, 9998), false);
        assert.equal(mayConnect(policies, anyPod, pd, 2379), false);
    });

    it("pdClients.allowAll opens 2379 to every pod, not the peer or rpc ports", () => {
        const policies = policiesFor("demo", { pdClients: { allowAll: true } });
        assert.equal(mayConnect(policies, anyPod, pd, 2379), true);
        assert.equal(mayConnect(policies, anyPod, pd, 2380), false);
        assert.equal(mayConnect(policies, anyPod, pd, 20800), false);
    });

    it("enabled: false creates no policy: every flow is open again", () => {
        const policies = policiesFor("demo", { enabled: false, proxyClients: { allowAll: true } });
        assert.deepEqual(policies, []);
        assert.equal(mayConnect(policies, anyPod, store, 6370), true);
    });
});

describe("NetworkPolicies are derived from the profiles", () => {
    it("a port added to a profile is admitted from exactly the tiers it names", () => {
        const metrics = { name: "metrics", port: 9100, from: { tiers: ["pd"] as const } };
        const store2: TierProfile = { ...storeProfile, ports: [...storeProfile.ports, metrics] };
        const policies = policiesFor("demo", {}, [pdProfile, store2, proxyProfile]);
        const [pd, store, proxy] = targets;
        assert.equal(mayConnect(policies, pd, store, 9100), true);
        assert.equal(mayConnect(policies, proxy, store, 9100), false);
        assert.equal(mayConnect(policiesFor("demo", {}), pd, store, 9100), false);
    });

    it("the Store policy, rendered", () => {
        const store = policiesFor("demo", {})[1];
        const sel = (tier: TierKind) => ({ podSelector: { matchLabels: tierSelector("demo", tier) } });
        assert.equal(store.metadata.name, "demo-store");
        assert.deepEqual(store.spec, {
            podSelector: { matchLabels: tierSelector("demo", "store") },
            policyTypes: ["Ingress", "Egress"],
            ingress: [
                { from: [sel("store")], ports: [{ protocol: "TCP", port: 10800 }] },
                { from: [sel("proxy")], ports: [{ protocol: "TCP", port: 6370 }] },
            ],
            egress: [
                {
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
                { to: [sel("pd")], ports: [{ protocol: "TCP", port: 2379 }] },
                { to: [sel("pd")], ports: [{ protocol: "TCP", port: 20800 }] },
                { to: [sel("store")], ports: [{ protocol: "TCP", port: 10800 }] },
            ],
        });
    });
});

describe("the evaluator itself", () => {
    const [pd, store] = targets;
    it("with no policy every flow is allowed; a selecting policy without rules denies", () => {
        assert.equal(mayConnect([], pd, store, 1), true);
        const denyAll = { metadata: { namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress"] } };
        assert.equal(mayConnect([denyAll], pd, store, 1), false);
        assert.equal(mayConnect([denyAll], store, address("x", "1.2.3.4"), 1), true, "egress is not restricted");
    });
    it("CIDR membership", () => {
        assert.equal(inCidr("10.20.255.1", "10.20.0.0/16"), true);
        assert.equal(inCidr("10.21.0.1", "10.20.0.0/16"), false);
        assert.equal(inCidr("1.2.3.4", "0.0.0.0/0"), true);
    });
    it("refuses what it does not implement", () => {
        const expr = {
            metadata: { namespace: ns },
            spec: { podSelector: { matchExpressions: [] }, policyTypes: ["Ingress"] },
        };
        assert.throws(() => mayConnect([expr], pd, store, 1), /matchExpressions/);
    });
});
