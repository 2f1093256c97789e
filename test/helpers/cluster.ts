/**
 * Access to the local test cluster (npm run cluster:up): the kubeconfig and
 * kubectl that scripts/test.sh exports, a client for reading objects, and a
 * pod watch that records the order of pod events during a rollout.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";

const run = promisify(execFile);

export interface TestCluster {
    readonly kubeconfig: string;
    readonly kubectl: string;
    readonly core: k8s.CoreV1Api;
    readonly apps: k8s.AppsV1Api;
    readonly policy: k8s.PolicyV1Api;
    readonly config: k8s.KubeConfig;
}

/** The local cluster, or an error that says how to start it. */
export function testCluster(): TestCluster {
    const kubeconfig = process.env.ELASTICELL_TEST_KUBECONFIG ?? "";
    const kubectl = process.env.ELASTICELL_TEST_KUBECTL ?? "";
    if (!existsSync(kubeconfig) || !existsSync(kubectl)) {
        throw new Error("the local cluster is not up: run the tests with `npm test` (it runs `npm run cluster:up`)");
    }
    const config = new k8s.KubeConfig();
    config.loadFromFile(kubeconfig);
    return {
        kubeconfig,
        kubectl,
        config,
        core: config.makeApiClient(k8s.CoreV1Api),
        apps: config.makeApiClient(k8s.AppsV1Api),
        policy: config.makeApiClient(k8s.PolicyV1Api),
    };
}

/** Runs kubectl; resolves with its output whatever the exit code. */
export async function kubectl(c: TestCluster, args: readonly string[]): Promise<{ code: number; output: string }> {
    try {
        const { stdout, stderr } = await run(c.kubectl, ["--kubeconfig", c.kubeconfig, ...args]);
        return { code: 0, output: stdout + stderr };
    } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

const isReady = (pod: k8s.V1Pod) =>
    pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

/** Pods of one tier of one cluster. */
export async function tierPods(c: TestCluster, namespace: string, cluster: string, tier: string): Promise<k8s.V1Pod[]> {
    const list = await c.core.listNamespacedPod({
        namespace,
        labelSelector: `app.kubernetes.io/instance=${cluster},app.kubernetes.io/component=${tier}`,
    });
    return list.items;
}

/** Waits until a tier has exactly `count` Running and Ready pods. */
export async function waitForReadyPods(
    c: TestCluster,
    namespace: string,
    cluster: string,
    tier: string,
    count: number,
    timeoutMs = 120_000,
): Promise<k8s.V1Pod[]> {
    const deadline = Date.now() + timeoutMs;
    let pods: k8s.V1Pod[] = [];
    while (Date.now() < deadline) {
        pods = await tierPods(c, namespace, cluster, tier);
        const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
        if (live.length === count && live.every((p) => p.status?.phase === "Running" && isReady(p))) {
            return live;
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(
        `${tier} of ${cluster}: expected ${count} Ready pods, have ${pods.map((p) => `${p.metadata?.name}:${p.status?.phase}`).join(", ")}`,
    );
}

/** One pod event as recorded by `watchPods`. */
export interface PodEvent {
    readonly seq: number;
    readonly type: string;
    readonly name: string;
    readonly tier: string;
    readonly revision: string;
    readonly ready: boolean;
    readonly deleting: boolean;
}

/** Records every pod event of a namespace, in the order the API server sends them. */
export async function watchPods(c: TestCluster, namespace: string): Promise<{ events: PodEvent[]; stop: () => void }> {
    const events: PodEvent[] = [];
    const watch = new k8s.Watch(c.config);
    const controller = await watch.watch(
        `/api/v1/namespaces/${namespace}/pods`,
        {},
        (type, pod: k8s.V1Pod) =>
            events.push({
                seq: events.length,
                type,
                name: pod.metadata?.name ?? "",
                tier: pod.metadata?.labels?.["app.kubernetes.io/component"] ?? "",
                revision: pod.metadata?.labels?.["controller-revision-hash"] ?? "",
                ready: isReady(pod),
                deleting: pod.metadata?.deletionTimestamp !== undefined,
            }),
        () => undefined,
    );
    return { events, stop: () => controller.abort() };
}

/**
 * For each pod of a tier that moved to `revision`: the sequence number at
 * which its old incarnation started going away, and the one at which the
 * new incarnation became Ready.
 */
export function podUpdates(
    events: readonly PodEvent[],
    tier: string,
    revision: string,
): { name: string; begin: number; done: number }[] {
    const names = [...new Set(events.filter((e) => e.tier === tier).map((e) => e.name))];
    return names.map((name) => {
        const own = events.filter((e) => e.name === name);
        const begin = own.find((e) => e.revision !== revision && (e.deleting || e.type === "DELETED"))?.seq ?? -1;
        const done = own.find((e) => e.revision === revision && e.ready && !e.deleting)?.seq ?? -1;
        return { name, begin, done };
    });
}
