/**
 * Stack-config pieces of "secure by default": the NetworkPolicies drawn
 * around the tiers (on by default) and each tier's pod/container security
 * context (hardened by default). Hooked into `config.ts`; the builders are
 * `network/policy.ts` and `tier/security.ts`.
 */
import { z } from "zod";
import { bool, dnsLabel } from "./config-fields";

const labelMap = z.record(z.string().min(1), z.string());

/** Pods chosen by labels: in the cluster's own namespace, or in `namespace`. */
const podSelectorPeer = z.strictObject({
    /** Labels the client pods carry (all must match); `{}` selects every pod of the namespace. */
    matchLabels: labelMap,
    /** Namespace of the client pods; unset: the cluster's own namespace. */
    namespace: dnsLabel.optional(),
});

/** An IPv4 or IPv6 CIDR such as `10.20.0.0/16` or `fd00::/64`. */
const cidr = z.union([z.cidrv4(), z.cidrv6()], { error: "must be a CIDR such as 10.20.0.0/16 or fd00::/64" });

/**
 * Who may reach a client-facing port (the proxies' Redis 6379, PD's 2379):
 * every entry adds sources; nothing named means nobody outside the cluster's tiers.
 */
export const clientSources = z
    .strictObject({
        /** Every pod of these namespaces (matched by the `kubernetes.io/metadata.name` label). */
        namespaces: z.array(dnsLabel).default([]),
        /** Pods with these labels, in the cluster's namespace or the one named. */
        podSelectors: z.array(podSelectorPeer).default([]),
        /** Addresses outside the pod network: nodes, load balancers, the API server, VPC ranges. */
        cidrs: z.array(cidr).default([]),
        /** Every pod of every namespace of the cluster (not host-network or external addresses: list those in `cidrs`). */
        allowAll: bool(false),
    })
    .prefault({});

/** NetworkPolicies per tier: default deny for the tier's pods, then exactly the flows elasticell needs. */
export const networkPolicySchema = z
    .strictObject({
        /** Create one NetworkPolicy per tier. `false`: every pod that can route to a tier reaches every port. */
        enabled: bool(true),
        /** Also restrict the tiers' egress to the tier-to-tier flows and DNS (port 53). */
        restrictEgress: bool(true),
        /** Who may use Redis on the proxies' port 6379 (the `<name>-cell` Service). */
        proxyClients: clientSources,
        /** Who, besides PD itself, may reach PD's client port 2379 (etcd client, `/pd/api/v1/`, `/health`, `/metrics`). */
        pdClients: clientSources,
    })
    .prefault({});

/** Parsed NetworkPolicy settings. */
export type NetworkPolicyConfig = z.infer<typeof networkPolicySchema>;
/** Parsed client sources of one port. */
export type ClientSources = z.infer<typeof clientSources>;

const userId = z.preprocess(
    (v) => (typeof v === "string" && /^[0-9]+$/.test(v.trim()) ? Number(v) : v),
    z.number().int().min(0).max(2147483647),
);

const capabilityName = z.string().regex(/^[A-Z_]+$/, "must be a capability name such as NET_BIND_SERVICE or ALL");

/**
 * Pod and container security context of one tier. The defaults harden what
 * the images still run with: the operator ran them as root with no security
 * context and their user is not known here, so `runAsNonRoot` is off by
 * default (set it with `runAsUser`/`fsGroup` for images that run as a user).
 */
export const securityContextSchema = z
    .strictObject({
        /** Refuse to start a container whose user is root. @default false (the images run as root) */
        runAsNonRoot: bool(false),
        /** UID of the container process; unset: the image's user. */
        runAsUser: userId.optional(),
        /** GID of the container process; unset: the image's group. */
        runAsGroup: userId.optional(),
        /** Group that owns mounted volumes (the PVC), so a non-root user can write its data dir. */
        fsGroup: userId.optional(),
        /** `no_new_privs`: setuid binaries cannot gain privileges. @default false */
        allowPrivilegeEscalation: bool(false),
        /** Mount the image's filesystem read-only (data, scratch and script live on volumes). @default false */
        readOnlyRootFilesystem: bool(false),
        /** Linux capabilities: `drop` @default ["ALL"] (no port below 1024, no chown), `add` @default []. */
        capabilities: z
            .strictObject({ drop: z.array(capabilityName).default(["ALL"]), add: z.array(capabilityName).default([]) })
            .prefault({}),
        /** Seccomp profile of the pod: `RuntimeDefault` @default, `Localhost` (with `localhostProfile`) or `Unconfined`. */
        seccompProfile: z
            .strictObject({
                type: z.enum(["RuntimeDefault", "Localhost", "Unconfined"]).default("RuntimeDefault"),
                localhostProfile: z.string().min(1).optional(),
            })
            .superRefine((p, ctx) => {
                if ((p.type === "Localhost") !== (p.localhostProfile !== undefined)) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["localhostProfile"],
                        input: p.localhostProfile,
                        message: "is required with type Localhost and refused with any other type",
                        params: { fix: p.type === "Localhost" ? "profiles/elasticell.json" : "rm" },
                    });
                }
            })
            .prefault({}),
    })
    .superRefine((s, ctx) => {
        if (s.runAsNonRoot && s.runAsUser === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["runAsUser"],
                input: s.runAsUser,
                message: "is root while runAsNonRoot is true: the kubelet would refuse to start the container",
                params: { fix: "1000" },
            });
        }
    })
    .prefault({});

/** Parsed security context settings of one tier. */
export type SecurityContextConfig = z.infer<typeof securityContextSchema>;
