/**
 * Section 2, continued: the baseline read of the pack's Kubernetes reader
 * (policies/baseline/kubernetes.ts, imported as the pack runs it) against a
 * loopback fake API server and against the local cluster when it is up.
 * The fake server is a minimal apps/v1 StatefulSet API of its own (the tests'
 * richer one is test/policies/fake-api.ts).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { KubernetesBaseline } from "../policies/baseline/kubernetes";
import { BaselineUnreadableError } from "../policies/baseline/types";
import { measure, median, progress } from "./lib/measure";

/** Timings of one API endpoint, ms. */
export interface ReadFigures {
    /** First read with this kubeconfig (client-node already imported): kubeconfig load, connection, one GET. */
    readonly firstMs: number;
    /** A new reader per read (kubeconfig load + one GET), as each preview's pack process does. */
    readonly newReaderMs: number;
    /** Further reads of one reader (one GET each, objects not cached yet). */
    readonly getMs: number;
    /** One label-selector list across all namespaces (the stack rule's read). */
    readonly listMs: number;
    /** What the reads found, e.g. "StatefulSet, 3 replicas" or "404 (not deployed)". */
    readonly found: string;
    readonly samples: number;
}

/** The reader against the local cluster: its figures, or why it was not measured. */
export type ClusterReadFigures =
    { readonly running: true; readonly reads: ReadFigures } | { readonly running: false; readonly why: string };

/** A StatefulSet as the API returns it, for any name asked. */
function statefulSet(namespace: string, name: string): unknown {
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: {
            name,
            namespace,
            labels: {
                "app.kubernetes.io/name": "elasticell",
                "app.kubernetes.io/instance": "dev",
                "app.kubernetes.io/component": "store",
            },
            annotations: { "elasticell.io/pulumi-stack": "elasticell/dev" },
        },
        spec: { replicas: 3, template: { spec: { containers: [{ name: "store", image: "deepfabric/cell:latest" }] } } },
    };
}

/** Loopback fake of the apps/v1 StatefulSet read and list API. */
async function startFakeApi(): Promise<{ url: string; stop: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const one = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets\/([^/]+)$/.exec(url.pathname);
        let body: unknown;
        if (one !== null) {
            body = statefulSet(decodeURIComponent(one[1]), decodeURIComponent(one[2]));
        } else if (url.pathname === "/apis/apps/v1/statefulsets") {
            body = {
                kind: "StatefulSetList",
                apiVersion: "apps/v1",
                items: [statefulSet("elasticell-dev", "dev-store"), statefulSet("elasticell-dev", "dev-pd")],
            };
        } else {
            res.writeHead(404, { "Content-Type": "application/json" });
            res.end(
                JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }),
            );
            return;
        }
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        stop: () => {
            server.closeAllConnections();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}

function tokenKubeconfig(server: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: fake",
        "  cluster:",
        `    server: ${server}`,
        "users:",
        "- name: bench",
        "  user:",
        "    token: bench-token",
        "contexts:",
        "- name: fake",
        "  context:",
        "    cluster: fake",
        "    user: bench",
        "current-context: fake",
        "",
    ].join("\n");
}

async function ms(fn: () => Promise<unknown>): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
}

/** Times the reader against one kubeconfig; `firstMs` is the first read of this kubeconfig in the process. */
async function timeReads(kubeconfig: string, namespace: string, name: string, samples: number): Promise<ReadFigures> {
    const reader = () => new KubernetesBaseline({ kubeconfig, origin: "bench" });
    const described = async (): Promise<string> => {
        const sts = await reader().getStatefulSet(namespace, name);
        return sts === undefined
            ? `${namespace}/${name}: 404 (not deployed)`
            : `${namespace}/${name}: StatefulSet, ${sts.replicas} replicas`;
    };
    const firstMs = await ms(() => reader().getStatefulSet(namespace, name));
    const found = await described();
    const newReader: number[] = [];
    const get: number[] = [];
    const list: number[] = [];
    const shared = reader();
    await shared.getStatefulSet(namespace, name); // connection loaded: later reads are GETs only
    for (let i = 0; i < samples; i++) {
        newReader.push(await ms(() => reader().getStatefulSet(namespace, name)));
        // A distinct object each time: the reader caches per object.
        get.push(await ms(() => shared.getStatefulSet(namespace, `${name}-bench-${i}`)));
        list.push(await ms(() => reader().listStatefulSets({ "app.kubernetes.io/name": "elasticell" }, [namespace])));
    }
    return { firstMs, newReaderMs: median(newReader), getMs: median(get), listMs: median(list), found, samples };
}

const run = promisify(execFile);

/** Where the reader's `await import("@kubernetes/client-node")` lands: the pack's own node_modules. */
function clientNodeUrl(): string {
    const reader = path.join(__dirname, "..", "policies", "baseline", "kubeconfig.ts");
    return pathToFileURL(createRequire(reader).resolve("@kubernetes/client-node")).href;
}

/**
 * The reader imports @kubernetes/client-node (ESM) on its first read, once per
 * pack process, i.e. once per preview of a cluster target. Timed in fresh
 * plain-Node processes, as in the pack (no tsx loader); median of `samples`.
 * Then imported here, so the read timings below exclude it.
 */
export async function measureClientNodeImport(samples = 3): Promise<{ medianMs: number; samplesMs: number[] }> {
    const url = clientNodeUrl();
    const script = `const t0 = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t0);`;
    const samplesMs: number[] = [];
    for (let i = 1; i <= samples; i++) {
        const r = await measure(`import @kubernetes/client-node in a fresh node process (${i}/${samples})`, () =>
            run(process.execPath, ["--input-type=module", "-e", script]),
        );
        samplesMs.push(Number(r.value.stdout.trim()));
    }
    await import(url);
    return { medianMs: median(samplesMs), samplesMs };
}

/** Against the loopback fake API. */
export async function measureFakeApiReads(samples = 50): Promise<ReadFigures> {
    const api = await startFakeApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-bench-kube-"));
    try {
        const file = path.join(dir, "kubeconfig");
        fs.writeFileSync(file, tokenKubeconfig(api.url));
        const r = await measure(`baseline reads, loopback fake API (${samples} samples each)`, () =>
            timeReads(file, "elasticell-dev", "dev-store", samples),
        );
        return r.value;
    } finally {
        await api.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The local cluster's kubeconfig (npm run cluster:up writes it). */
export function localKubeconfig(root: string): string {
    return path.join(root, ".elasticell", "cluster", "kubeconfig");
}

/** Is the local cluster answering? Reads one StatefulSet through the pack's reader. */
export async function localClusterStatus(
    kubeconfig: string,
): Promise<{ running: true } | { running: false; why: string }> {
    const notRunning = "not running (start it with npm run cluster:up)";
    if (!fs.existsSync(kubeconfig)) {
        return { running: false, why: notRunning };
    }
    try {
        await new KubernetesBaseline({ kubeconfig, origin: "bench" }, { timeoutMs: 3000 }).getStatefulSet(
            "elasticell-dev",
            "dev-store",
        );
        return { running: true };
    } catch (err) {
        if (err instanceof BaselineUnreadableError && /cannot reach|did not answer/.test(err.reason)) {
            return { running: false, why: notRunning };
        }
        return {
            running: false,
            why: `unreadable: ${err instanceof BaselineUnreadableError ? err.reason : String(err)}`,
        };
    }
}

/** Against the local cluster, or why not. */
export async function measureClusterReads(kubeconfig: string, samples = 20): Promise<ClusterReadFigures> {
    const status = await localClusterStatus(kubeconfig);
    if (!status.running) {
        progress(`local cluster: ${status.why}`);
        return status;
    }
    const r = await measure(`baseline reads, local cluster (${samples} samples each)`, () =>
        timeReads(kubeconfig, "elasticell-dev", "dev-store", samples),
    );
    return { running: true, reads: r.value };
}
