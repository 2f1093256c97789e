/**
 * `npm run bench` (scripts/bench.sh runs this with the toolchain on PATH):
 * program cost against size (mocks and `pulumi preview`), what every preview
 * pays (type-checking, the pack's start-up), the pack cost, and
 * `kubectl apply --dry-run=server` as the floor. Progress goes to stderr;
 * the Markdown report goes to stdout and to bench/results.md.
 *
 * Env: ELASTICELL_BENCH_KUBECTL (kubectl of the cluster toolchain; unset: no
 * dry-run), ELASTICELL_BENCH_QUICK=1 (fewer repetitions, to try the script),
 * ELASTICELL_BENCH_MOCKS_ONLY=1 (no engine runs, e.g. while the toolchain builds).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { requireToolchain } from "../test/helpers/engine";
import { ProjectRoot } from "../test/helpers/stacks";
import { localKubeconfig, measureClientNodeImport, measureClusterReads, measureFakeApiReads } from "./baseline";
import { measureDeployCost } from "./deploy-cost";
import { deployDevLike, measurePackCost, measurePackCostOnCluster, type ClusterPackCostFigures } from "./pack-cost";
import { measureKubectl } from "./kubectl";
import { describeMachine, LoadLog } from "./lib/machine";
import { progress } from "./lib/measure";
import { renderReport, type Results } from "./report";
import {
    allSizes,
    ClusterSeries,
    figuresOf,
    measureEngine,
    measureMocks,
    ReplicaSeries,
    type EngineFigures,
} from "./sizes";

function engineUnavailable(): string | undefined {
    if (process.env["ELASTICELL_BENCH_MOCKS_ONLY"] === "1") {
        return "ELASTICELL_BENCH_MOCKS_ONLY=1";
    }
    try {
        requireToolchain();
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

async function main(): Promise<void> {
    const t0 = performance.now();
    const quick = process.env["ELASTICELL_BENCH_QUICK"] === "1";
    const load = new LoadLog();
    load.sample("start");
    const machine = await describeMachine(ProjectRoot);
    progress(
        `${machine.cpuModel}, ${machine.cores} cores; pulumi ${machine.pulumi}; load ${load.points[0].load.map((l) => l.toFixed(2)).join("/")}`,
    );

    const sizes = allSizes();
    const mocks = await measureMocks(sizes, quick ? 1 : 2);
    load.sample("after mocks");
    const clientNodeImport = await measureClientNodeImport(quick ? 1 : 3);
    const fakeApi = await measureFakeApiReads(quick ? 10 : 50);

    const engineSkipped = engineUnavailable();
    let engine: Map<string, EngineFigures> | undefined;
    let results: Omit<Results, "totalMs" | "replicaSeries" | "clusterSeries"> = {
        machine,
        load,
        clientNodeImport,
        fakeApi,
    };
    if (engineSkipped === undefined) {
        engine = await measureEngine(sizes, quick ? 1 : 3, quick ? 1 : 2, quick ? 1 : 3);
        load.sample("after previews");
        const project = await deployDevLike();
        try {
            const packCost = await measurePackCost(project, quick ? 2 : 5);
            load.sample("after pack cost");
            const deployCost = await measureDeployCost(project, quick ? 2 : 7);
            load.sample("after deploy cost");
            const kubeconfig = localKubeconfig(ProjectRoot);
            const cluster = await measureClusterReads(kubeconfig, quick ? 5 : 20);
            let clusterPackCost: ClusterPackCostFigures | undefined;
            if (cluster.running) {
                clusterPackCost = await measurePackCostOnCluster(kubeconfig, quick ? 1 : 3);
                load.sample("after cluster pack cost");
            }
            const kubectl = await measureKubectl({
                kubectl: process.env["ELASTICELL_BENCH_KUBECTL"] || undefined,
                kubeconfig,
                clusterRunning: cluster.running,
                manifests: project.renderedObjects(),
                reps: quick ? 1 : 3,
            });
            results = {
                ...results,
                packCost,
                deployCost,
                cluster,
                kubectl,
                ...(clusterPackCost === undefined ? {} : { clusterPackCost }),
            };
        } finally {
            await project.dispose();
        }
    } else {
        progress(`engine runs skipped: ${engineSkipped}`);
        const cluster = await measureClusterReads(localKubeconfig(ProjectRoot), quick ? 5 : 20);
        results = { ...results, engineSkipped, cluster };
    }
    load.sample("end");

    const report = renderReport({
        ...results,
        replicaSeries: ReplicaSeries.map((s) => figuresOf(s, mocks, engine)),
        clusterSeries: ClusterSeries.map((s) => figuresOf(s, mocks, engine)),
        totalMs: performance.now() - t0,
    });
    const file = join(ProjectRoot, "bench", "results.md");
    writeFileSync(file, report);
    process.stdout.write(report);
    progress(`results written to ${file}`);
}

main().catch((err: unknown) => {
    process.stderr.write(
        `[elasticell] error: bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
});
