/**
 * PD's stores, read live for the Store scale-in rule (DESIGN.md, "Defense in depth": PD is reached
 * through the Kubernetes API server's service proxy with the provider's credentials, with an
 * override URL). The path is
 * `/api/v1/namespaces/<ns>/services/<cluster>-pd:2379/proxy/pd/api/v1/stores`, read with the same
 * kubeconfig, context and deadline as the baseline (its own client, so a PD that does not answer
 * never makes the Kubernetes baseline "unreachable"). PD answers HTTP 200 with an envelope
 * `{code, error, value}` (code 1 is an error, e.g. `cluster not bootstrapped`). A store maps to a
 * StatefulSet ordinal by the address it registered with:
 * `<cluster>-store-<i>.<cluster>-store-peer.<ns>.svc:10800`. Every failure is a
 * `BaselineUnreadableError`: callers fail closed.
 */
import * as http from "node:http";
import * as https from "node:https";
import { pdClientServiceName, PdPorts, storeAddressPattern } from "../core/naming";
import { ApiClient, gatherResponse, type ApiResponse } from "./api-client";
import { DefaultTimeoutMs, KubernetesBaseline } from "./kubernetes";
import { BaselineUnreadableError, type Baseline } from "./types";

/** PD's store states (metapb.StoreState). */
export const PdStoreState = { Up: 0, Offline: 1, Tombstone: 2 } as const;

/** Name of a store state, for messages. */
export function stateName(state: number): string {
    return state === PdStoreState.Up
        ? "Up"
        : state === PdStoreState.Offline
          ? "Offline"
          : state === PdStoreState.Tombstone
            ? "Tombstone"
            : `state ${state}`;
}

/** One store as PD reports it. */
export interface PdStore {
    readonly id: number;
    readonly address: string;
    readonly state: number;
    /** The Store StatefulSet ordinal of this cluster the address names; undefined for other addresses. */
    readonly ordinal?: number;
}

/** PD's stores of one cluster, and where they were read. */
export interface PdStores {
    /** Where PD was read, for messages. */
    readonly source: string;
    readonly stores: readonly PdStore[];
}

/** How to reach PD. */
export interface PdAccess {
    /** Override: PD's client URL (e.g. `http://127.0.0.1:2379`), used instead of the service proxy. */
    readonly apiUrl?: string;
    /** Deadline of the read in ms. @default DefaultTimeoutMs */
    readonly timeoutMs?: number;
}

/** The API server path of PD's API call `apiPath` (e.g. `stores`) through the service proxy. */
export function pdProxyPath(namespace: string, cluster: string, apiPath: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(pdClientServiceName(cluster))}:${PdPorts.client}/proxy/pd/api/v1/${apiPath}`;
}

/** The Store ordinal a store's address names, for this cluster and namespace. */
export function storeOrdinal(address: string, cluster: string, namespace: string): number | undefined {
    const m = storeAddressPattern(cluster, namespace).exec(address);
    return m === null ? undefined : Number(m[1]);
}

/** PD's error answer (envelope code other than 0); the message is PD's error text, or `code <n>`. */
export class PdErrorAnswer extends Error {}

/**
 * The value of one PD answer's envelope `{code, error, value}`. Throws `PdErrorAnswer` for an error
 * envelope (e.g. `cluster not bootstrapped`) and a plain Error for a body that is not JSON.
 */
export function envelopeValue(body: string): unknown {
    let env: { code?: unknown; error?: unknown; value?: unknown };
    try {
        env = JSON.parse(body) as typeof env;
    } catch {
        throw new Error(`PD answered with something that is not JSON (${body.slice(0, 80).trim()})`);
    }
    if (env.code !== 0) {
        throw new PdErrorAnswer(
            typeof env.error === "string" && env.error !== "" ? env.error : `code ${String(env.code)}`,
        );
    }
    return env.value;
}

/** Reads PD's `GET /stores` envelope; throws a plain Error with what was wrong. */
export function parseStores(body: string, cluster: string, namespace: string): PdStore[] {
    let value: unknown;
    try {
        value = envelopeValue(body);
    } catch (err) {
        throw err instanceof PdErrorAnswer ? new Error(`PD answered with an error: ${err.message}`) : err;
    }
    if (!Array.isArray(value)) {
        throw new Error("PD's store list is not a list");
    }
    return value.flatMap((s: unknown) => {
        const meta = (s as { meta?: { id?: unknown; address?: unknown; state?: unknown } } | null)?.meta;
        if (typeof meta?.id !== "number" || typeof meta.address !== "string") {
            return [];
        }
        const ordinal = storeOrdinal(meta.address, cluster, namespace);
        // Protobuf JSON omits a zero enum: a missing state is Up.
        const state = typeof meta.state === "number" ? meta.state : PdStoreState.Up;
        return [{ id: meta.id, address: meta.address, state, ...(ordinal === undefined ? {} : { ordinal }) }];
    });
}

/**
 * The API server's own refusal (RBAC: a `Status` object), as opposed to a 403 from beyond the proxy
 * (PD, or a network policy of the API server's host), which is passed through as it came.
 */
function rbacDenial(res: { status: number; body: string }): string | undefined {
    if (res.status !== 403) {
        return undefined;
    }
    try {
        const s = JSON.parse(res.body) as { kind?: unknown; message?: unknown };
        return s.kind === "Status" ? (typeof s.message === "string" ? s.message : "forbidden") : undefined;
    } catch {
        return undefined;
    }
}

/** GET `url` (plain HTTP or HTTPS, accepting JSON) with a deadline: PD's override URL, not the API server. */
export function getUrl(url: URL, timeoutMs: number): Promise<ApiResponse> {
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = client.request(
            url,
            { method: "GET", headers: { Accept: "application/json" }, timeout: timeoutMs },
            gatherResponse(resolve, reject),
        );
        req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
        req.on("error", reject);
        req.end();
    });
}

/**
 * PD's stores of cluster `cluster` in `namespace`, through the service proxy of the cluster that
 * `baseline` reads (or `access.apiUrl`). Throws `BaselineUnreadableError` when PD cannot be read:
 * a render directory, an API server or PD that does not answer, refused credentials, an error envelope.
 */
export async function readPdStores(
    baseline: Baseline,
    namespace: string,
    cluster: string,
    access: PdAccess = {},
): Promise<PdStores> {
    const timeoutMs = access.timeoutMs ?? DefaultTimeoutMs;
    const target = `PD of cluster "${cluster}"`;
    let source: string;
    let res: { status: number; body: string };
    if (access.apiUrl !== undefined && access.apiUrl !== "") {
        const url = new URL(`${access.apiUrl.replace(/\/+$/, "")}/pd/api/v1/stores`);
        source = `${url.origin} (pdApiUrl)`;
        try {
            res = await getUrl(url, timeoutMs);
        } catch (err) {
            throw new BaselineUnreadableError(
                target,
                `reading ${url.href} failed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
            );
        }
    } else if (baseline instanceof KubernetesBaseline) {
        const client = new ApiClient(baseline.settings, target, timeoutMs);
        const conn = await client.connect();
        const path = pdProxyPath(namespace, cluster, "stores");
        source = `the service proxy of ${conn.server} (${path})`;
        res = await client.get(conn, path, `PD's stores through the service proxy (${path})`);
        const denied = rbacDenial(res);
        if (denied !== undefined) {
            throw new BaselineUnreadableError(
                target,
                `the credentials of context "${conn.context}" may not proxy to services in namespace ${namespace} (403 Forbidden: ${denied}): ` +
                    `grant get on services/proxy there, or set the rule's pdApiUrl to a URL that reaches PD`,
            );
        }
    } else {
        throw new BaselineUnreadableError(target, `${baseline.target} has no PD to read (only a live cluster has one)`);
    }
    if (res.status !== 200) {
        throw new BaselineUnreadableError(
            target,
            `reading PD's stores from ${source} failed with HTTP ${res.status}: ${res.body.slice(0, 120).trim()}`,
        );
    }
    try {
        return { source, stores: parseStores(res.body, cluster, namespace) };
    } catch (err) {
        throw new BaselineUnreadableError(target, `${(err as Error).message} (read from ${source})`);
    }
}
