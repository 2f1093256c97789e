/**
 * Baseline read live from the Kubernetes API, with the settings the resource's provider uses:
 * its `kubeconfig` (a path or the contents, as the provider accepts), `context` and `cluster`,
 * else the ambient kubeconfig (KUBECONFIG, then ~/.kube/config, then in-cluster), as the provider
 * does (see `kubeconfig.ts`). An exec credential plugin has its own budget, then each request a
 * short deadline (see `api-client.ts`). 404 means "not deployed" (first deployment); 401/403,
 * refused connections, timeouts and bad kubeconfigs make the baseline unreadable: fail closed. A
 * cluster-wide list refused with 403 is unreadable too, never "nothing elsewhere". Results (and failures) are cached for the life of the process: one read per object
 * (or list) per run.
 */
import type { Connection } from "./kubeconfig";
import { objectRef } from "../core/subject";
import { ApiClient, type ApiClientOptions, type ApiResponse } from "./api-client";
import { podFromManifest } from "./pods";
import { BaselineUnreadableError, claimFromManifest, deployedFromManifest, storageClassFromManifest } from "./types";
import type { Baseline, DeployedClaim, DeployedPod, DeployedStatefulSet, DeployedStorageClass } from "./types";

/** Default deadline of one API read (an exec credential plugin has its own, `DefaultExecTimeoutMs`). */
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

/** Tuning, mostly for tests. */
export interface KubernetesBaselineOptions extends ApiClientOptions {
    /** Deadline per read in ms; default `DefaultTimeoutMs`. */
    readonly timeoutMs?: number;
}

/** RBAC resource names, for the 403 hint. */
const StatefulSets = "statefulsets.apps";
const Pods = "pods";
const Claims = "persistentvolumeclaims";
const StorageClasses = "storageclasses.storage.k8s.io";

function statusMessage(body: string): string {
    try {
        const m = (JSON.parse(body) as { message?: unknown }).message;
        return typeof m === "string" && m !== "" ? `: ${m}` : "";
    } catch {
        return "";
    }
}

/** `a=1,b=2`, sorted, for the `labelSelector` query and cache keys. */
function selectorText(selector: Readonly<Record<string, string>>): string {
    return Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(",");
}

/** The cached promise under `key`, created by `read` on first use. */
function memo<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    let p = cache.get(key);
    if (p === undefined) {
        p = read();
        cache.set(key, p);
    }
    return p;
}

function asStatefulSet(item: unknown): DeployedStatefulSet | undefined {
    return deployedFromManifest({ apiVersion: "apps/v1", kind: "StatefulSet", ...(item as object) });
}

/** `Baseline` over the Kubernetes API. */
export class KubernetesBaseline implements Baseline {
    readonly target: string;
    private readonly api: ApiClient;
    private readonly gets = new Map<string, Promise<DeployedStatefulSet | undefined>>();
    private readonly lists = new Map<string, Promise<readonly DeployedStatefulSet[]>>();
    private readonly pods = new Map<string, Promise<readonly DeployedPod[]>>();
    private readonly claims = new Map<string, Promise<readonly DeployedClaim[]>>();
    private readonly classes = new Map<string, Promise<DeployedStorageClass | undefined>>();

    constructor(
        readonly settings: KubernetesTarget,
        options: KubernetesBaselineOptions = {},
    ) {
        const context = settings.context === undefined ? "" : `, context "${settings.context}"`;
        this.target = `the Kubernetes API (kubeconfig of ${settings.origin}${context})`;
        this.api = new ApiClient(settings, this.target, options.timeoutMs ?? DefaultTimeoutMs, options);
    }

    getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        return memo(this.gets, `${namespace}/${name}`, () => this.readStatefulSet(namespace, name));
    }

    listStatefulSets(
        selector: Readonly<Record<string, string>>,
        namespaces: readonly string[],
    ): Promise<readonly DeployedStatefulSet[]> {
        const labelSelector = selectorText(selector);
        const key = `${labelSelector}|${[...namespaces].sort().join(",")}`;
        return memo(this.lists, key, () => this.readList(labelSelector));
    }

    /** Pods of one namespace by label (`GET /api/v1/namespaces/{ns}/pods?labelSelector=`). */
    listPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<readonly DeployedPod[]> {
        const labelSelector = selectorText(selector);
        return memo(this.pods, `${namespace}|${labelSelector}`, () => this.readPods(namespace, labelSelector));
    }

    /** Every PVC of one namespace (`GET /api/v1/namespaces/{ns}/persistentvolumeclaims`). */
    listClaims(namespace: string): Promise<readonly DeployedClaim[]> {
        return memo(this.claims, namespace, () => this.readClaims(namespace));
    }

    /**
     * A StorageClass (`GET /apis/storage.k8s.io/v1/storageclasses/{name}`), or the default class
     * (the list, first class annotated default) when `name` is undefined; undefined when none.
     */
    getStorageClass(name: string | undefined): Promise<DeployedStorageClass | undefined> {
        return memo(this.classes, name ?? "", () => this.readStorageClass(name));
    }

    private async readStorageClass(name: string | undefined): Promise<DeployedStorageClass | undefined> {
        const conn = await this.api.connect();
        const path = "/apis/storage.k8s.io/v1/storageclasses";
        const where = name === undefined ? "storageclasses" : `storageclass ${name}`;
        const res = await this.api.get(conn, name === undefined ? path : `${path}/${encodeURIComponent(name)}`, where);
        if (res.status === 404) {
            return undefined;
        }
        // Cluster-scoped: a 403 asks for a ClusterRole (the message of a cluster-wide read).
        this.expectOk(conn, res, where, undefined, StorageClasses);
        if (name !== undefined) {
            return storageClassFromManifest(this.parse(res, where));
        }
        return this.items(res, where, storageClassFromManifest).find((c) => c.isDefault);
    }

    private async readClaims(namespace: string): Promise<readonly DeployedClaim[]> {
        const conn = await this.api.connect();
        const where = `persistentvolumeclaims in namespace ${namespace}`;
        const res = await this.api.get(
            conn,
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims`,
            where,
        );
        if (res.status === 404) {
            return [];
        }
        this.expectOk(conn, res, where, namespace, Claims);
        return this.items(res, where, (item) => claimFromManifest(item, namespace));
    }

    private async readStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        const conn = await this.api.connect();
        const where = `statefulset ${objectRef(namespace, name)}`;
        const res = await this.api.get(
            conn,
            `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/statefulsets/${encodeURIComponent(name)}`,
            where,
        );
        if (res.status === 404) {
            return undefined;
        }
        this.expectOk(conn, res, where, namespace, StatefulSets);
        const sts = deployedFromManifest(
            { apiVersion: "apps/v1", kind: "StatefulSet", ...this.parse(res, where) },
            namespace,
        );
        if (sts === undefined) {
            throw new BaselineUnreadableError(
                this.target,
                `the API answered for ${where} with something that is not a StatefulSet`,
            );
        }
        return sts;
    }

    /**
     * The cluster-wide list. A 403 (namespace-scoped credentials) is unreadable: listing the
     * namespaces we know of would miss a tier elsewhere and read "nothing there" as "safe".
     */
    private async readList(labelSelector: string): Promise<readonly DeployedStatefulSet[]> {
        const conn = await this.api.connect();
        const where = "statefulsets in all namespaces";
        const all = await this.api.get(
            conn,
            `/apis/apps/v1/statefulsets?labelSelector=${encodeURIComponent(labelSelector)}`,
            where,
        );
        this.expectOk(conn, all, where, undefined, StatefulSets);
        return this.items(all, where, asStatefulSet);
    }

    private async readPods(namespace: string, labelSelector: string): Promise<readonly DeployedPod[]> {
        const conn = await this.api.connect();
        const where = `pods in namespace ${namespace}`;
        const query = `?labelSelector=${encodeURIComponent(labelSelector)}`;
        const res = await this.api.get(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods${query}`, where);
        if (res.status === 404) {
            return [];
        }
        this.expectOk(conn, res, where, namespace, Pods);
        return this.items(res, where, (item) => podFromManifest(item, namespace));
    }

    private items<T>(res: ApiResponse, where: string, read: (item: unknown) => T | undefined): T[] {
        const list = this.parse(res, where) as { items?: unknown };
        const items: unknown[] = Array.isArray(list.items) ? list.items : [];
        return items.flatMap((item) => {
            const v = item !== null && typeof item === "object" ? read(item) : undefined;
            return v === undefined ? [] : [v];
        });
    }

    private parse(res: ApiResponse, where: string): Record<string, unknown> {
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

    /** Throws the unreadable error of a non-200 answer; `resource` is the RBAC resource to grant. */
    private expectOk(
        conn: Connection,
        res: ApiResponse,
        where: string,
        namespace: string | undefined,
        resource: string,
    ): void {
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
            const denied = `the credentials of context "${conn.context}" may not read ${where} (403 Forbidden${detail})`;
            if (namespace !== undefined) {
                throw new BaselineUnreadableError(
                    this.target,
                    `${denied}; grant get and list on ${resource} in namespace ${namespace}`,
                );
            }
            throw new BaselineUnreadableError(
                this.target,
                `${denied}. The policy pack must see every elasticell tier of the cluster, whatever its namespace, so ` +
                    `namespace-scoped credentials are not enough: grant get and list on ${resource} across all namespaces ` +
                    `with a ClusterRole, e.g. \`kubectl create clusterrole elasticell-pack-read --verb=get,list ` +
                    `--resource=statefulsets.apps,pods,persistentvolumeclaims,storageclasses.storage.k8s.io\` and \`kubectl create clusterrolebinding ` +
                    `elasticell-pack-read --clusterrole=elasticell-pack-read --user=<user> (or --serviceaccount=<namespace>:<name>)\``,
            );
        }
        throw new BaselineUnreadableError(
            this.target,
            `reading ${where} from ${conn.server} failed with HTTP ${res.status}${detail}`,
        );
    }
}
