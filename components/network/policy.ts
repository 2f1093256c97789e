/**
 * The tiers' NetworkPolicies, derived from the tier profiles: each container
 * port declares who may reach it (`ContainerPort.from`), and this builder
 * turns that into one NetworkPolicy per tier. Pure: no resources, no config reads.
 *
 * elasticell has no authentication, so the network is the only access
 * control. Once a policy selects a tier's pods, everything not listed is
 * denied: ingress always, egress too when `restrictEgress` is on (then the
 * tier may open only the tier-to-tier flows the other profiles admit, plus DNS).
 */
import type * as k8s from "@pulumi/kubernetes";
import keyBy from "lodash/keyBy";
import mapValues from "lodash/mapValues";
import type { ClientSources, NetworkPolicyConfig } from "../config-security";
import { WellKnownLabels, statefulSetName, tierLabels, tierSelector, type TierKind } from "../labels";
import type { ClusterContext, ContainerPort, TierProfile } from "../tier/profile";
import type { Manifest } from "../tier/manifest";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** A tier's NetworkPolicy. */
export type NetworkPolicyManifest = Manifest<k8s.types.input.networking.v1.NetworkPolicySpec>;

/** Label every namespace carries with its own name (Kubernetes 1.22+). */
export const NamespaceNameLabel = WellKnownLabels.namespaceName;

/** DNS: UDP and TCP 53, to any address (kube-dns, NodeLocal DNSCache on a link-local address, or a custom resolver). */
export const DnsPort = 53;

/** Everything the builder needs. */
export interface NetworkPolicyArgs {
    readonly ctx: ClusterContext;
    /** Every tier of the cluster: a tier's egress is what the others' ports admit from it. */
    readonly profiles: readonly TierProfile[];
    readonly config: NetworkPolicyConfig;
    /** Extra labels for every object (never in selectors). */
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /**
     * Tiers whose pods call the Kubernetes API (the stores with `store.topology.source: nodeApi`):
     * with `restrictEgress` they may open `ApiServerPorts` on any address (the API server's
     * endpoint addresses are not known at deploy time). @default none
     */
    readonly apiServerEgress?: readonly TierKind[];
}

/** Ports the Kubernetes API server listens on: the `kubernetes` Service's 443 and the common endpoint port 6443. */
export const ApiServerPorts = [443, 6443] as const;

/** The client sources the config names for a tier's `clients: true` ports (PD: `pdClients`, Proxy: `proxyClients`). */
export function clientsOf(config: NetworkPolicyConfig, tier: TierKind): ClientSources | undefined {
    switch (tier) {
        case "pd":
            return config.pdClients;
        case "proxy":
            return config.proxyClients;
        case "store":
            return undefined;
    }
}

const byName = (namespace: string) => ({ matchLabels: { [NamespaceNameLabel]: namespace } });

/** The NetworkPolicy peers of the named clients. */
export function clientPeers(clients: ClientSources | undefined): Peer[] {
    if (clients === undefined) {
        return [];
    }
    return [
        // `{}` selects every namespace: every pod of the cluster.
        ...(clients.allowAll ? [{ namespaceSelector: {} }] : []),
        ...clients.namespaces.map((ns) => ({ namespaceSelector: byName(ns) })),
        ...clients.podSelectors.map((s) => ({
            podSelector: { matchLabels: { ...s.matchLabels } },
            ...(s.namespace === undefined ? {} : { namespaceSelector: byName(s.namespace) }),
        })),
        ...clients.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
}

function tierPeer(ctx: ClusterContext, tier: TierKind): Peer {
    // A podSelector alone means the policy's own namespace: the cluster's.
    return { podSelector: { matchLabels: tierSelector(ctx.cluster, tier) } };
}

function tcp(port: ContainerPort) {
    return [{ protocol: "TCP", port: port.port }];
}

function ingress(args: NetworkPolicyArgs, profile: TierProfile): IngressRule[] {
    const rules: IngressRule[] = [];
    for (const port of profile.ports) {
        const from = [
            ...port.from.tiers.map((t) => tierPeer(args.ctx, t)),
            ...(port.from.clients === true ? clientPeers(clientsOf(args.config, profile.kind)) : []),
        ];
        // No rule at all, not a rule with an empty `from` (which would admit everyone).
        if (from.length > 0) {
            rules.push({ from, ports: tcp(port) });
        }
    }
    return rules;
}

function egress(args: NetworkPolicyArgs, profile: TierProfile): EgressRule[] {
    const rules: EgressRule[] = [
        {
            ports: [
                { protocol: "UDP", port: DnsPort },
                { protocol: "TCP", port: DnsPort },
            ],
        },
    ];
    for (const target of args.profiles) {
        for (const port of target.ports) {
            if (port.from.tiers.includes(profile.kind)) {
                rules.push({ to: [tierPeer(args.ctx, target.kind)], ports: tcp(port) });
            }
        }
    }
    if (args.apiServerEgress?.includes(profile.kind) === true) {
        rules.push({ ports: ApiServerPorts.map((port) => ({ protocol: "TCP", port })) });
    }
    return rules;
}

/** One NetworkPolicy per tier (named like its StatefulSet), by tier; none when `config.enabled` is false. */
export function buildNetworkPolicies(args: NetworkPolicyArgs): Partial<Record<TierKind, NetworkPolicyManifest>> {
    if (!args.config.enabled) {
        return {};
    }
    return mapValues(keyBy(args.profiles, "kind"), (profile) => policyOf(args, profile));
}

function policyOf(args: NetworkPolicyArgs, profile: TierProfile): NetworkPolicyManifest {
    return {
        metadata: {
            name: statefulSetName(args.ctx.cluster, profile.kind),
            namespace: args.ctx.namespace,
            labels: tierLabels(args.ctx.cluster, profile.kind, undefined, args.labels),
            annotations: { ...args.annotations },
        },
        spec: {
            podSelector: { matchLabels: tierSelector(args.ctx.cluster, profile.kind) },
            policyTypes: args.config.restrictEgress ? ["Ingress", "Egress"] : ["Ingress"],
            ingress: ingress(args, profile),
            ...(args.config.restrictEgress ? { egress: egress(args, profile) } : {}),
        },
    };
}
