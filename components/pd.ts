/**
 * PD, the placement driver: embeds etcd with a static member list, so its
 * size is fixed at the first deployment (`--initial-cluster` is computed
 * from the ordinal DNS names, with no discovery service).
 */
import { pdClientServiceName, podFqdn, podName, serviceHost } from "./labels";
import { clientServiceOf, peerPortsOf } from "./tier/profile";
import type { ClusterContext, ContainerPort, TierProfile } from "./tier/profile";
import { configuredFlags } from "./tier/binary-flags";
import { execCommand, scriptHeader, waitForOwnDns } from "./tier/script";

export const PdPorts = { client: 2379, peer: 2380, rpc: 20800 } as const;

/**
 * The env var holding PD's `--initial-cluster`. It lives on the StatefulSet (not only in the
 * script's ConfigMap) so the member list a live tier was created with is read back atomically with
 * it: the policy pack judges PD's size by it, and the admission policy keeps it fixed.
 */
export const PdMembersEnv = "PD_INITIAL_CLUSTER";

/** `--initial-cluster`: `<cluster>-pd-0=http://<cluster>-pd-0.<cluster>-pd-peer.<ns>.svc:2380,...` */
export function pdInitialCluster(ctx: ClusterContext): string {
    return Array.from({ length: ctx.pdReplicas }, (_, i) => {
        const member = podName(ctx.cluster, "pd", i);
        return `${member}=http://${podFqdn(ctx.cluster, "pd", i, ctx.namespace)}:${PdPorts.peer}`;
    }).join(",");
}

/** The PD gRPC addresses stores and proxies connect to: `<pd-fqdn>:20800`, one per member. */
export function pdRpcAddresses(ctx: ClusterContext): string[] {
    return Array.from(
        { length: ctx.pdReplicas },
        (_, i) => `${podFqdn(ctx.cluster, "pd", i, ctx.namespace)}:${PdPorts.rpc}`,
    );
}

/** PD's client URL (etcd client and the HTTP API under /pd/api/v1/). */
export function pdClientUrl(ctx: Pick<ClusterContext, "cluster" | "namespace">): string {
    return `http://${serviceHost(pdClientServiceName(ctx.cluster), ctx.namespace)}:${PdPorts.client}`;
}

const pdPorts: readonly ContainerPort[] = [
    // etcd client and the HTTP API: PD itself, the stores' readiness and preStop scripts (store-health.ts),
    // and the callers the config names (operators, the API server's service proxy).
    { name: "client", port: PdPorts.client, from: { tiers: ["pd", "store"], clients: true } },
    { name: "peer", port: PdPorts.peer, from: { tiers: ["pd"] } },
    { name: "rpc", port: PdPorts.rpc, from: { tiers: ["store", "proxy"] } },
];

export const pdProfile: TierProfile = {
    kind: "pd",
    ports: pdPorts,
    peerPorts: peerPortsOf(pdPorts, ["peer", "rpc"]),
    clientService: clientServiceOf(pdClientServiceName, { name: "client", port: PdPorts.client }, "client"),
    storage: { template: "pd", mountPath: "/var/lib/pd" },
    readinessPort: "client",
    // etcd's health: answers 200 only inside a healthy cluster, nothing while waiting for peers, 503
    // without quorum (measured). An open port is not a member that rejoined. Never a liveness probe:
    // losing quorum would restart every member.
    readiness: { kind: "http", port: "client", path: "/health", timeoutSeconds: 2 },
    env: (ctx) => [{ name: PdMembersEnv, value: pdInitialCluster(ctx) }],
    // The client URL is the pod IP: PD records it as the leader's address, and with 0.0.0.0 the
    // non-leaders answered every API call with 500 "redirect to not leader" (measured).
    needsPodIP: true,
    startScript: (_ctx, binary) =>
        [
            scriptHeader("pd"),
            waitForOwnDns(60),
            execCommand("pd", [
                "--data=/var/lib/pd/data",
                '--name="${HOSTNAME}"',
                `--addr-rpc="\${domain}:${PdPorts.rpc}"`,
                `--urls-client="http://\${POD_IP}:${PdPorts.client}"`,
                `--urls-advertise-client="http://\${POD_IP}:${PdPorts.client}"`,
                `--urls-peer=http://0.0.0.0:${PdPorts.peer}`,
                `--urls-advertise-peer="http://\${domain}:${PdPorts.peer}"`,
                `--initial-cluster="\${${PdMembersEnv}}"`,
                ...configuredFlags(binary),
            ]),
            "",
        ].join("\n"),
    // Keep etcd quorum through voluntary disruptions (drains, evictions).
    disruption: (replicas) => ({ minAvailable: Math.floor(replicas / 2) + 1 }),
};
