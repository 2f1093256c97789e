/**
 * PD's view of a cluster for `npm run status`: the system summary (`GET /pd/api/v1/system`) and
 * the stores with their state and leader counts (`GET /pd/api/v1/stores`), read through the
 * Kubernetes API server's service proxy with the provider's credentials, or from config
 * `pd.apiUrl` (see docs/pd-api-and-real-binary-facts.md). Member health is `GET /health` of each
 * PD pod through the API server's pod proxy. Reuses the pack's PD paths, envelope and store parsing
 * and HTTP GET (policies/baseline/pd.ts) and its API client (one kubeconfig resolution for
 * everything).
 */
import { ApiClient } from "../../policies/baseline/api-client";
import { envelopeValue, getUrl, parseStores, pdProxyPath, stateName } from "../../policies/baseline/pd";
import type { StackInfo } from "./stack";

/** Deadline of one PD read: status must stay quick when PD does not answer. */
export const PdTimeoutMs = 3000;

/** One store as PD reports it, with the fields status shows. */
export interface PdStoreStatus {
    readonly id: number;
    readonly address: string;
    /** Store StatefulSet ordinal of this cluster; undefined for another address. */
    readonly ordinal?: number;
    readonly state: string;
    readonly leaderCount?: number;
}

/** PD's answer, or why there is none. */
export type PdView =
    | {
          readonly reachable: true;
          readonly source: string;
          readonly replicasNotFullCellCount?: number;
          readonly cellCount?: number;
          /** `cluster not bootstrapped`: no store has joined yet. */
          readonly bootstrapped: boolean;
          readonly stores: readonly PdStoreStatus[];
      }
    | { readonly reachable: false; readonly source: string; readonly reason: string };

type Get = (apiPath: string) => Promise<{ status: number; body: string }>;

/** Leader counts by store ID from a `GET /stores` body (status.leaderCount; missing = 0). */
export function leaderCounts(body: string): Map<number, number> {
    const out = new Map<number, number>();
    const value = envelopeValue(body);
    for (const s of Array.isArray(value) ? value : []) {
        const x = s as { meta?: { id?: unknown }; status?: { leaderCount?: unknown } };
        if (typeof x.meta?.id === "number") {
            out.set(x.meta.id, typeof x.status?.leaderCount === "number" ? x.status.leaderCount : 0);
        }
    }
    return out;
}

async function readWith(get: Get, source: string, info: StackInfo): Promise<PdView> {
    const call = async (api: string) => {
        const r = await get(api);
        if (r.status !== 200) {
            throw new Error(`GET ${api} answered HTTP ${r.status}: ${r.body.slice(0, 120).trim()}`);
        }
        return r.body;
    };
    const system = envelopeValue(await call("system")) as {
        replicasNotFullCellCount?: unknown;
        cellCount?: unknown;
        alreadyBootstrapped?: unknown;
    };
    const storesBody = await call("stores");
    let stores: PdStoreStatus[] = [];
    let bootstrapped = system.alreadyBootstrapped !== false;
    try {
        const leaders = leaderCounts(storesBody);
        stores = parseStores(storesBody, info.cluster, info.namespace).map((s) => ({
            id: s.id,
            address: s.address,
            ...(s.ordinal === undefined ? {} : { ordinal: s.ordinal }),
            state: stateName(s.state),
            ...(leaders.has(s.id) ? { leaderCount: leaders.get(s.id)! } : {}),
        }));
    } catch (err) {
        if (!/not bootstrapped/.test((err as Error).message)) {
            throw err;
        }
        bootstrapped = false;
    }
    return {
        reachable: true,
        source,
        bootstrapped,
        stores,
        ...(typeof system.replicasNotFullCellCount === "number"
            ? { replicasNotFullCellCount: system.replicasNotFullCellCount }
            : {}),
        ...(typeof system.cellCount === "number" ? { cellCount: system.cellCount } : {}),
    };
}

/** An API client for PD reads (its own, so a PD that does not answer never blocks the Kubernetes reads). */
export function pdApiClient(info: StackInfo): ApiClient {
    return new ApiClient(info.kube, `PD of cluster "${info.cluster}"`, PdTimeoutMs, {
        projectDir: () => info.projectDir,
    });
}

/** Reads PD; never throws: an unreachable PD is a `reachable: false` view with the reason. */
export async function readPd(info: StackInfo): Promise<PdView> {
    let source = "";
    try {
        if (info.pdApiUrl !== undefined) {
            const base = info.pdApiUrl.replace(/\/+$/, "");
            source = `${base} (config pd.apiUrl)`;
            return await readWith((api) => getUrl(new URL(`${base}/pd/api/v1/${api}`), PdTimeoutMs), source, info);
        }
        const client = pdApiClient(info);
        const conn = await client.connect();
        source = `the service proxy of ${conn.server} (service ${info.namespace}/${info.cluster}-pd:2379)`;
        return await readWith(
            (api) => client.get(conn, pdProxyPath(info.namespace, info.cluster, api), `PD's ${api}`),
            source,
            info,
        );
    } catch (err) {
        const e = err as { reason?: unknown; message?: string; code?: string };
        const reason = typeof e.reason === "string" ? e.reason : (e.code ?? e.message ?? String(err));
        return { reachable: false, source, reason };
    }
}

/**
 * `GET /health` of each PD pod through the API server's pod proxy: "true", "false" (503, quorum
 * lost) or "unknown: <why>" (the proxy cannot reach the pod). Skipped ("unknown") with `pd.apiUrl`,
 * which names one URL, not the members.
 */
export async function readMemberHealth(info: StackInfo, pods: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    if (info.pdApiUrl !== undefined) {
        for (const p of pods) {
            out[p] = "unknown: pd.apiUrl is set (members are not read one by one)";
        }
        return out;
    }
    const client = pdApiClient(info);
    await Promise.all(
        pods.map(async (pod) => {
            try {
                const conn = await client.connect();
                const path = `/api/v1/namespaces/${encodeURIComponent(info.namespace)}/pods/${encodeURIComponent(pod)}:2379/proxy/health`;
                const r = await client.get(conn, path, `${pod} /health`);
                const health = /"health"\s*:\s*"(true|false)"/.exec(r.body)?.[1];
                out[pod] = health ?? `unknown: HTTP ${r.status} ${r.body.slice(0, 60).trim()}`;
            } catch (err) {
                const e = err as { reason?: unknown; message?: string };
                out[pod] = `unknown: ${typeof e.reason === "string" ? e.reason : (e.message ?? String(err))}`;
            }
        }),
    );
    return out;
}
