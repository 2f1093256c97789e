/**
 * Baseline read live from the Kubernetes API, with the settings the resource's provider uses:
 * its `kubeconfig` (a path or the contents, as the provider accepts), `context` and `cluster`,
 * else the ambient kubeconfig (KUBECONFIG, then ~/.kube/config, then in-cluster), as the provider
 * does. Each request has a short deadline. 404 means "not deployed" (first deployment);
 * 401/403, refused connections, timeouts and bad kubeconfigs make the baseline unreadable.
 * Results (and failures) are cached for the life of the process: one read per object per run.
 */
import * as http from "node:http";
import * as https from "node:https";
import { KubeconfigError, loadKubeconfig, type Connection } from "./kubeconfig";
import { BaselineUnreadableError, deployedFromManifest, type Baseline, type DeployedStatefulSet } from "./types";

/** Default deadline of one API read, kubeconfig auth (exec plugins) included. */
export const DefaultTimeoutMs = 5000;

/** Where to find the API: the provider's settings, or none for the ambient kubeconfig. */
export interface KubernetesTarget {
    /** kubeconfig path or contents (provider `kubeconfig`); undefined = ambient kubeconfig. */
    readonly kubeconfig?: string;
    /** kubeconfig context to use (provider `context`). */
    readonly context?: string;
    /** kubeconfig cluster to use instead of the context's (provider `cluster`). */
    readonly cluster?: string;
    /** Where these settings came from, for messages, e.g. `provider "k8s"`. */
    readonly origin: string;
}

/** Tuning for tests. */
export interface KubernetesBaselineOptions {
    /** Deadline per read in ms; default `DefaultTimeoutMs`. */
    readonly timeoutMs?: number;
}

interface Response {
    readonly status: number;
    readonly body: string;
}

/** Network-level failures: the API is down for this process, later reads fail fast. */
const unreachableCodes = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EPIPE",
]);

class Timeout extends Error {}

function statusMessage(body: string): string {
    try {
        const m = (JSON.parse(body) as { message?: unknown }).message;
        return typeof m === "string" && m !== "" ? `: ${m}` : "";
    } catch {
        return "";
    }
}

/** `Baseline` over the Kubernetes API. */
export class KubernetesBaseline implements Baseline {
    readonly target: string;
    private readonly timeoutMs: number;
    private connection: Promise<Connection> | undefined;
    private unreachable: BaselineUnreadableError | undefined;
    private readonly gets = new Map<string, Promise<DeployedStatefulSet | undefined>>();
    private readonly lists = new Map<string, Promise<readonly DeployedStatefulSet[]>>();

    constructor(
        readonly settings: KubernetesTarget,
        options: KubernetesBaselineOptions = {},
    ) {
        this.timeoutMs = options.timeoutMs ?? DefaultTimeoutMs;
        const context = settings.context === undefined ? "" : `, context "${settings.context}"`;
        this.target = `the Kubernetes API (kubeconfig of ${settings.origin}${context})`;
    }

    getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        const key = `${namespace}/${name}`;
        let p = this.gets.get(key);
        if (p === undefined) {
            p = this.readStatefulSet(namespace, name);
            this.gets.set(key, p);
        }
        return p;
    }

    listStatefulSets(
        selector: Readonly<Record<string, string>>,
        namespaces: readonly string[],
    ): Promise<readonly DeployedStatefulSet[]> {
        const labelSelector = Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .sort()
            .join(",");
        const key = `${labelSelector}|${[...namespaces].sort().join(",")}`;
        let p = this.lists.get(key);
        if (p === undefined) {
            p = this.readList(labelSelector, namespaces);
            this.lists.set(key, p);
        }
        return p;
    }

    private async readStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        const conn = await this.connect();
        const where = `statefulset ${namespace}/${name}`;
        const res = await this.get(
            conn,
            `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/statefulsets/${encodeURIComponent(name)}`,
            where,
        );
        if (res.status === 404) {
            return undefined;
        }
        this.expectOk(conn, res, where, namespace);
        const sts = deployedFromManifest({ apiVersion: "apps/v1", kind: "StatefulSet", ...this.parse(res, where) }, namespace);
        if (sts === undefined) {
            throw new BaselineUnreadableError(this.target, `the API answered for ${where} with something that is not a StatefulSet`);
        }
        return sts;
    }

    private async readList(labelSelector: string, namespaces: readonly string[]): Promise<readonly DeployedStatefulSet[]> {
        const conn = await this.connect();
        const query = `?labelSelector=${encodeURIComponent(labelSelector)}`;
        const all = await this.get(conn, `/apis/apps/v1/statefulsets${query}`, "statefulsets in all namespaces");
        if (all.status === 200) {
            return this.items(all, "statefulsets in all namespaces");
        }
        if (all.status !== 403 || namespaces.length === 0) {
            this.expectOk(conn, all, "statefulsets in all namespaces", undefined);
        }
        // Not allowed to list cluster-wide: list the namespaces we know of instead.
        const out: DeployedStatefulSet[] = [];
        for (const ns of [...new Set(namespaces)].sort()) {
            const where = `statefulsets in namespace ${ns}`;
            const res = await this.get(conn, `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets${query}`, where);
            if (res.status === 404) {
                continue;
            }
            this.expectOk(conn, res, where, ns);
            out.push(...this.items(res, where));
        }
        return out;
    }

    private items(res: Response, where: string): DeployedStatefulSet[] {
        const list = this.parse(res, where) as { items?: unknown };
        const items = Array.isArray(list.items) ? list.items : [];
        const out: DeployedStatefulSet[] = [];
        for (const item of items) {
            const sts = deployedFromManifest({ apiVersion: "apps/v1", kind: "StatefulSet", ...(item as object) });
            if (sts !== undefined) {
                out.push(sts);
            }
        }
        return out;
    }

    private parse(res: Response, where: string): Record<string, unknown> {
        try {
            const v = JSON.parse(res.body) as unknown;
            if (v !== null && typeof v === "object") {
                return v as Record<string, unknown>;
            }
        } catch {
            // fall through
        }
        throw new BaselineUnreadableError(this.target, `the API answered for ${where} with something that is not JSON`);
    }

    private expectOk(conn: Connection, res: Response, where: string, namespace: string | undefined): void {
        if (res.status === 200) {
            return;
        }
        const detail = statusMessage(res.body);
        if (res.status === 401) {
            throw new BaselineUnreadableError(
                this.target,
                `the API server ${conn.server} rejected the credentials of context "${conn.context}" ` +
                    `(401 Unauthorized${detail}); renew them (log in again, refresh the token) and retry`,
            );
        }
        if (res.status === 403) {
            const scope = namespace === undefined ? "across all namespaces" : `in namespace ${namespace}`;
            throw new BaselineUnreadableError(
                this.target,
                `the credentials of context "${conn.context}" may not read ${where} (403 Forbidden${detail}); ` +
                    `grant get and list on statefulsets.apps ${scope}`,
            );
        }
        throw new BaselineUnreadableError(this.target, `reading ${where} from ${conn.server} failed with HTTP ${res.status}${detail}`);
    }

    private connect(): Promise<Connection> {
        this.connection ??= this.loadConnection();
        return this.connection;
    }

    private async loadConnection(): Promise<Connection> {
        try {
            return await loadKubeconfig(this.settings);
        } catch (err) {
            if (err instanceof KubeconfigError) {
                throw new BaselineUnreadableError(this.target, err.message);
            }
            throw err;
        }
    }

    private async get(conn: Connection, apiPath: string, where: string): Promise<Response> {
        if (this.unreachable !== undefined) {
            throw this.unreachable;
        }
        const url = new URL(conn.server.replace(/\/+$/, "") + apiPath);
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                controller.abort();
                reject(new Timeout());
            }, this.timeoutMs);
        });
        try {
            return await Promise.race([this.send(conn, url, controller.signal), deadline]);
        } catch (err) {
            if (err instanceof BaselineUnreadableError) {
                throw err;
            }
            const seconds = `${this.timeoutMs / 1000} s`;
            if (err instanceof Timeout) {
                this.unreachable = new BaselineUnreadableError(
                    this.target,
                    `the API server ${conn.server} did not answer within ${seconds} (reading ${where})`,
                );
                throw this.unreachable;
            }
            const code = (err as NodeJS.ErrnoException).code;
            if (code !== undefined && unreachableCodes.has(code)) {
                this.unreachable = new BaselineUnreadableError(
                    this.target,
                    `cannot reach the API server ${conn.server} (${code})`,
                );
                throw this.unreachable;
            }
            throw new BaselineUnreadableError(
                this.target,
                `reading ${where} from ${conn.server} failed (${code ?? (err as Error).message})`,
            );
        } finally {
            clearTimeout(timer);
        }
    }

    private async send(conn: Connection, url: URL, signal: AbortSignal): Promise<Response> {
        const opts: https.RequestOptions = {};
        await conn.kc.applyToHTTPSOptions(opts);
        const headers = { ...(opts.headers as Record<string, string> | undefined), Accept: "application/json" };
        const client = url.protocol === "http:" ? http : https;
        return new Promise<Response>((resolve, reject) => {
            const req = client.request(
                url,
                { method: "GET", agent: opts.agent, headers, ...(opts.auth === undefined ? {} : { auth: opts.auth }), signal },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                    res.on("error", reject);
                },
            );
            req.on("error", reject);
            req.end();
        });
    }
}
