/**
 * One mocks measurement, in its own process (node --import tsx bench/mocks.ts
 * <clusters> <storeReplicas> <reps>): installs Pulumi mocks, builds the
 * benchmark program's clusters `reps + 1` times (the first, cold, includes JIT
 * warm-up) and prints one JSON line: milliseconds per build and the number of
 * resources registered per build. A build counts as done when the SDK's RPC
 * queue is drained, i.e. every registration (and registerOutputs) reached the mock.
 */
import { performance, PerformanceObserver } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import sumBy from "lodash/sumBy";
import { buildClusters } from "./program/clusters";

/** The SDK drains its RPC queue with this before disconnecting; exported, though not in the typings. */
const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

/** What a mocks run prints. */
export interface MocksResult {
    readonly clusters: number;
    readonly storeReplicas: number;
    /** Time from `import` of the SDK to mocks installed, ms (process start-up excluded). */
    readonly setupMs: number;
    /** First build in the process, ms. */
    readonly coldMs: number;
    /** Later builds, ms each. */
    readonly warmMs: number[];
    /** Garbage-collection pauses during each later build, ms. */
    readonly warmGcMs: number[];
    /** Resources registered per build (components included). */
    readonly resources: number;
}

/** A registration's inputs as the mock reads them: a record with an optional `metadata.name`. */
type MockInputs = Record<string, unknown> & { metadata?: Record<string, unknown> & { name?: string } };

async function main(): Promise<void> {
    const [clusters, storeReplicas, reps] = process.argv.slice(2).map(Number);
    if (
        clusters === undefined ||
        storeReplicas === undefined ||
        reps === undefined ||
        [clusters, storeReplicas, reps].some(Number.isNaN)
    ) {
        throw new Error("usage: node --import tsx bench/mocks.ts <clusters> <storeReplicas> <reps>");
    }
    const t0 = performance.now();
    let registered = 0;
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registered++;
                // The SDK types inputs as `any`; every object the program registers is a plain record.
                const inputs = args.inputs as MockInputs;
                const metadata = { ...inputs.metadata, name: inputs.metadata?.name ?? args.name };
                return { id: `${args.name}-id`, state: { ...inputs, metadata } };
            },
            call(args) {
                return args.inputs as MockInputs;
            },
        },
        "elasticell-bench",
        "bench",
        false,
    );
    const setupMs = performance.now() - t0;
    // GC pauses, attributed to builds by their start time once every entry has arrived.
    const pauses: { start: number; duration: number }[] = [];
    const gc = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
            pauses.push({ start: e.startTime, duration: e.duration });
        }
    });
    gc.observe({ entryTypes: ["gc"] });
    const windows: { start: number; end: number }[] = [];
    const times: number[] = [];
    const counts: number[] = [];
    for (let rep = 0; rep <= reps; rep++) {
        const before = registered;
        const start = performance.now();
        // A distinct prefix per build: every build registers new URNs, as a fresh program would.
        const built = buildClusters({ clusters, storeReplicas }, `r${rep}`);
        await Promise.all(built.map((c) => new Promise((done) => c.redisEndpoint.apply(done))));
        await runtime.waitForRPCs();
        const end = performance.now();
        times.push(end - start);
        windows.push({ start, end });
        counts.push(registered - before);
    }
    if (new Set(counts).size !== 1) {
        throw new Error(`builds registered different resource counts: ${counts.join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    gc.disconnect();
    const gcs = windows.map((w) =>
        sumBy(
            pauses.filter((p) => p.start >= w.start && p.start < w.end),
            (p) => p.duration,
        ),
    );
    const result: MocksResult = {
        clusters,
        storeReplicas,
        setupMs,
        coldMs: times[0],
        warmMs: times.slice(1),
        warmGcMs: gcs.slice(1),
        resources: counts[0],
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
