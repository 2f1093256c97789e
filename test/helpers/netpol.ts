/**
 * A NetworkPolicy evaluator for tests: given rendered NetworkPolicies, may
 * endpoint A open a connection to port P of endpoint B? Implements the
 * Kubernetes semantics for the subset the program uses (podSelector and
 * namespaceSelector with matchLabels, ipBlock over IPv4, numeric ports,
 * policyTypes): a pod selected by a policy of a direction is denied in that
 * direction unless some rule of a selecting policy admits the flow; a flow
 * needs both the source's egress and the destination's ingress. Anything
 * outside that subset throws, so a test never passes on an unsupported field.
 */

/** A pod (namespace and labels) or an address outside the pod network (no namespace). */
export interface Endpoint {
    readonly name: string;
    readonly ip: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
}

/** The fields of a label selector the evaluator reads (`matchExpressions` only to refuse it). */
interface Selector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: unknown;
}

/** A NetworkPolicy peer, as plain data. */
interface Peer {
    readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
    readonly podSelector?: Selector;
    readonly namespaceSelector?: Selector;
}

/** A NetworkPolicy port, as plain data (named ports and ranges only to refuse them). */
interface PolicyPort {
    readonly protocol?: string;
    readonly port?: number | string;
    readonly endPort?: number;
}

/** One ingress (`from`) or egress (`to`) rule. */
interface Rule {
    readonly from?: readonly Peer[];
    readonly to?: readonly Peer[];
    readonly ports?: readonly PolicyPort[];
}

/** A rendered NetworkPolicy, as plain data: the fields the evaluator reads. */
interface Policy {
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: {
        readonly podSelector: Selector;
        readonly policyTypes?: readonly string[];
        readonly ingress?: readonly Rule[];
        readonly egress?: readonly Rule[];
    };
}

/** Labels of a namespace: its name label, plus any extra the test declares. */
export type NamespaceLabels = (namespace: string) => Record<string, string>;

const byNameOnly: NamespaceLabels = (ns) => ({ "kubernetes.io/metadata.name": ns });

function matches(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
    if (selector.matchExpressions !== undefined) {
        throw new Error("evaluator: matchExpressions are not supported");
    }
    return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function ipv4(ip: string): number {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
        throw new Error(`evaluator: not an IPv4 address: ${ip}`);
    }
    return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** Whether an IPv4 address lies in a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
    const [base, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint, nsLabels: NamespaceLabels): boolean {
    if (peer.ipBlock !== undefined) {
        if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) {
            throw new Error("evaluator: ipBlock may not be combined with selectors");
        }
        const except = peer.ipBlock.except ?? [];
        return inCidr(other.ip, peer.ipBlock.cidr) && !except.some((c) => inCidr(other.ip, c));
    }
    if (peer.podSelector === undefined && peer.namespaceSelector === undefined) {
        throw new Error("evaluator: an empty peer is invalid");
    }
    if (other.namespace === undefined) {
        return false; // selectors match pods only
    }
    const nsOk =
        peer.namespaceSelector === undefined
            ? other.namespace === policyNamespace
            : matches(peer.namespaceSelector, nsLabels(other.namespace));
    return nsOk && (peer.podSelector === undefined || matches(peer.podSelector, other.labels ?? {}));
}

function portMatches(ports: readonly PolicyPort[] | undefined, port: number, protocol: string): boolean {
    if (ports === undefined || ports.length === 0) {
        return true;
    }
    return ports.some((p) => {
        if (typeof p.port === "string" || p.endPort !== undefined) {
            throw new Error("evaluator: named ports and ranges are not supported");
        }
        return (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port);
    });
}

function types(policy: Policy): readonly string[] {
    return policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress !== undefined ? ["Egress"] : [])];
}

function selects(policy: Policy, pod: Endpoint): boolean {
    return pod.namespace === policy.metadata.namespace && matches(policy.spec.podSelector, pod.labels ?? {});
}

function directionAllows(
    policies: readonly Policy[],
    direction: "Ingress" | "Egress",
    self: Endpoint,
    other: Endpoint,
    port: number,
    protocol: string,
    nsLabels: NamespaceLabels,
): boolean {
    if (self.namespace === undefined) {
        return true; // not a pod: no NetworkPolicy applies to it
    }
    const selecting = policies.filter((p) => types(p).includes(direction) && selects(p, self));
    if (selecting.length === 0) {
        return true;
    }
    return selecting.some((p) =>
        ((direction === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []).some((rule) => {
            const peers = direction === "Ingress" ? rule.from : rule.to;
            return (
                portMatches(rule.ports, port, protocol) &&
                (peers === undefined ||
                    peers.length === 0 ||
                    peers.some((peer) => peerMatches(peer, p.metadata.namespace, other, nsLabels)))
            );
        }),
    );
}

/**
 * May `from` open a connection to `port`/`protocol` of `to`, under `policies`? The policies are
 * the builder's manifests: plain data typed as `pulumi.Input`s, read here as `Policy`.
 */
export function mayConnect(
    rendered: readonly object[],
    from: Endpoint,
    to: Endpoint,
    port: number,
    protocol: "TCP" | "UDP" = "TCP",
    nsLabels: NamespaceLabels = byNameOnly,
): boolean {
    const policies = rendered as readonly Policy[];
    return (
        directionAllows(policies, "Egress", from, to, port, protocol, nsLabels) &&
        directionAllows(policies, "Ingress", to, from, port, protocol, nsLabels)
    );
}
