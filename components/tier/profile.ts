/**
 * What makes one tier different from another. PD, Store and Proxy are
 * profiles of the one shared tier builder (`spec.ts`); nothing else differs.
 */
import pick from "lodash/pick";
import type { TierKind } from "../labels";
import type { BinaryOptions } from "./binary-flags";

/** A named container port. */
export interface TierPort {
    readonly name: string;
    readonly port: number;
}

/**
 * Who may open connections to a container port. The tiers' NetworkPolicies
 * (`network/policy.ts`) are derived from it, so a port and its callers are declared once, together.
 */
export interface PortAccess {
    /** Tiers of the same cluster that connect to the port. */
    readonly tiers: readonly TierKind[];
    /** Also the clients the stack config names for this tier (`networkPolicy.pdClients`, `proxyClients`). */
    readonly clients?: boolean;
}

/** A container port (TCP) and who may reach it. */
export interface ContainerPort extends TierPort {
    readonly from: PortAccess;
}

/** The ports of a tier's headless Service: those of its container ports named, in their order. */
export function peerPortsOf(ports: readonly ContainerPort[], names: readonly string[]): TierPort[] {
    return ports.filter((p) => names.includes(p.name)).map((p) => pick(p, ["name", "port"]));
}

/** Everything a profile needs to know about the cluster it belongs to. */
export interface ClusterContext {
    /** Cluster name. */
    readonly cluster: string;
    readonly namespace: string;
    /** PD member count: the stores' and proxies' PD lists and PD's `--initial-cluster` derive from it. */
    readonly pdReplicas: number;
}

/** The persistent volume of a stateful tier. */
export interface TierStorage {
    /** volumeClaimTemplate name; PVCs are `<template>-<statefulset>-<ordinal>`. */
    readonly template: string;
    readonly mountPath: string;
}

/** A client-facing Service of a tier (PD's client Service, the proxies' Redis Service). */
export interface TierClientService {
    readonly name: (ctx: ClusterContext) => string;
    readonly ports: readonly (TierPort & { readonly targetPort: string })[];
}

/** A client Service named `name(<cluster>)` with one port, forwarded to the container port `targetPort`. */
export function clientServiceOf(
    name: (cluster: string) => string,
    port: TierPort,
    targetPort: string,
): TierClientService {
    return { name: (ctx) => name(ctx.cluster), ports: [{ ...port, targetPort }] };
}

/** The disruption budget of a tier, from its replica count. */
export type Disruption = { readonly minAvailable: number } | { readonly maxUnavailable: number };

/**
 * How the kubelet decides a pod is Ready (absent on a profile: a TCP connection to `readinessPort`).
 * `http`: a GET on a container port; `script`: `/bin/sh <file>` from the tier's ConfigMap (exit 0: Ready).
 */
export type TierReadiness =
    | { readonly kind: "http"; readonly port: string; readonly path: string; readonly timeoutSeconds: number }
    | { readonly kind: "script"; readonly file: string; readonly timeoutSeconds: number };

/** A preStop hook: `/bin/sh <file>` from the tier's ConfigMap, which gives up after `budgetSeconds`. */
export interface TierPreStop {
    readonly file: string;
    readonly budgetSeconds: number;
}

/** One tier's shape: ports, storage, start script, probe and disruption budget. */
export interface TierProfile {
    readonly kind: TierKind;
    /** Ports declared on the container, each with who may reach it. */
    readonly ports: readonly ContainerPort[];
    /** Ports of the tier's headless Service (the StatefulSet's `serviceName`, `<cluster>-<tier>-peer`). */
    readonly peerPorts?: readonly TierPort[];
    /** Client Service, if the tier has one. */
    readonly clientService?: TierClientService;
    /** Persistent volume; absent: stateless (Proxy). */
    readonly storage?: TierStorage;
    /** Scratch directory on an emptyDir (the proxy writes its config there). */
    readonly scratchPath?: string;
    /** Port name the readiness probe opens a TCP connection to (unless `readiness` says otherwise). */
    readonly readinessPort: string;
    /** A readiness check that means more than an open port. @default TCP on `readinessPort` */
    readonly readiness?: TierReadiness;
    /** Runs before the container is stopped (a rolling update, a drain). @default none */
    readonly preStop?: TierPreStop;
    /** The pod learns its node's zone and rack (settings `topology`; see `tier/zone.ts`). @default false */
    readonly zoneAware?: boolean;
    /** The start script (POSIX sh), rendered for this cluster and the tier's binary options (log level, extra flags). */
    readonly startScript: (ctx: ClusterContext, binary?: BinaryOptions) => string;
    /** Further ConfigMap entries mounted beside the script. */
    readonly configFiles?: (ctx: ClusterContext, binary?: BinaryOptions) => Record<string, string>;
    /** Plain env vars the start script reads (PD's member list, which the policy pack reads back live). */
    readonly env?: (ctx: ClusterContext) => readonly { readonly name: string; readonly value: string }[];
    /** Expose the pod IP as `POD_IP` (the proxy registers it with PD). */
    readonly needsPodIP?: boolean;
    readonly disruption: (replicas: number) => Disruption;
}
