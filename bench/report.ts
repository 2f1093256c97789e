/**
 * Renders the benchmark's figures as Markdown: machine and versions, then
 * one table per section, then what grows faster than it should.
 */
import type { ClusterReadFigures, ReadFigures } from "./baseline";
import type { DeployCostFigures } from "./deploy-cost";
import { deployCostSection } from "./deploy-cost-report";
import type { ClusterPackCostFigures, PackCostFigures } from "./pack-cost";
import { packCostTable } from "./pack-cost-report";
import type { KubectlFigures } from "./kubectl";
import sum from "lodash/sum";
import type { LoadLog, Machine } from "./lib/machine";
import { verdict } from "./lib/growth";
import { row, samples, sizeName } from "./lib/markdown";
import { formatMs, formatRatio, median } from "./lib/measure";
import type { BenchSize } from "./program/clusters";
import type { SizeFigures } from "./sizes";

/** Every figure of one benchmark run, as the report renders it. */
export interface Results {
    readonly machine: Machine;
    readonly load: LoadLog;
    /** One cluster at growing Store replica counts. */
    readonly replicaSeries: readonly SizeFigures[];
    /** A growing number of clusters, each of the default size. */
    readonly clusterSeries: readonly SizeFigures[];
    /** Why the engine part did not run, when it did not. */
    readonly engineSkipped?: string;
    /** Previews with and without `--policy-pack policies` (section 2). */
    readonly packCost?: PackCostFigures;
    /** Type-checking and the pack's start-up, side by side (issue 11, point 7). */
    readonly deployCost?: DeployCostFigures;
    /** The same comparison against the local cluster (when it is up). */
    readonly clusterPackCost?: ClusterPackCostFigures;
    /** `import("@kubernetes/client-node")` in a fresh process: once per pack process on a cluster target. */
    readonly clientNodeImport?: { readonly medianMs: number; readonly samplesMs: readonly number[] };
    readonly fakeApi?: ReadFigures;
    readonly cluster?: ClusterReadFigures;
    readonly kubectl?: KubectlFigures;
    readonly totalMs: number;
}

function machineTable(r: Results): string[] {
    const m = r.machine;
    const loads = r.load.points.map((p) => `${p.at} ${p.load.map((l) => l.toFixed(2)).join("/")}`).join("; ");
    const lines = [
        "| | |",
        "|---|---|",
        row(["date", m.date]),
        row(["CPU", `${m.cpuModel}, ${m.cores} cores`]),
        row(["memory", `${m.memoryGiB.toFixed(1)} GiB`]),
        row([
            "load average (1/5/15 min; includes this benchmark's own processes, about 2–3 while `pulumi` runs)",
            loads,
        ]),
        row(["Node.js", m.node]),
        row(["pulumi", m.pulumi]),
        row(["pulumi-resource-kubernetes", m.provider]),
        row(["npm packages", m.npmPackages]),
        row(["toolchain/versions.env", m.versionsEnv.replace(/\|/g, "\\|")]),
        row(["whole run", formatMs(r.totalMs)]),
    ];
    const start = r.load.points[0]?.load[0] ?? 0;
    if (start > 0.75 * m.cores || r.load.max() > 2 * m.cores) {
        lines.push(
            "",
            `**Load warning:** the 1-minute load average was ${start.toFixed(2)} at the start and reached ${r.load.max().toFixed(2)} on ${m.cores} cores: other work shared the CPU, so absolute times are inflated and noisy; compare ratios taken in the same run, or re-run on a quiet machine.`,
        );
    }
    return lines;
}

function mocksTable(r: Results): string[] {
    const lines = [
        "Mocks (`pulumi.runtime.setMocks`, in-process; time from constructing the CellClusters until every registration reached the mock; warm = later builds in the same process, cold = the first, median over 2 processes):",
        "",
        row([
            "series",
            "size",
            "resources",
            "cold",
            "warm (median)",
            "warm × smallest",
            "warm per resource",
            "GC share (warm)",
            "warm samples (s)",
        ]),
        row(["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---"]),
    ];
    for (const [name, series] of [
        ["Store replicas", r.replicaSeries],
        ["clusters", r.clusterSeries],
    ] as const) {
        const base = median(series[0].mocks.warmMs);
        for (const f of series) {
            const warm = median(f.mocks.warmMs);
            lines.push(
                row([
                    name,
                    sizeName(f.size),
                    f.mocks.resources,
                    formatMs(f.mocks.coldMs),
                    formatMs(warm),
                    formatRatio(warm / base),
                    formatMs(warm / f.mocks.resources),
                    `${((100 * sum(f.mocks.warmGcMs)) / sum(f.mocks.warmMs)).toFixed(0)}%`,
                    samples(f.mocks.warmMs),
                ]),
            );
        }
    }
    return lines;
}

function engineTable(r: Results): string[] {
    if (r.engineSkipped !== undefined) {
        return [`Engine: not measured (${r.engineSkipped}).`];
    }
    const lines = [
        "Engine (`pulumi preview`, real CLI, render target, temp file backend; each stack previewed **after an initial `pulumi up`**, so the plan has no changes; sizes previewed round-robin):",
        "",
        row([
            "series",
            "size",
            "resources in state",
            "preview (median)",
            "preview × smallest",
            "preview per resource",
            "preview samples (s)",
            "initial up (1 run)",
            "up, PULUMI_SKIP_CHECKPOINTS (1 run)",
            "checkpoint size",
        ]),
        row(["---", "---", "---:", "---:", "---:", "---:", "---", "---:", "---:", "---:"]),
    ];
    for (const [name, series] of [
        ["Store replicas", r.replicaSeries],
        ["clusters", r.clusterSeries],
    ] as const) {
        const base = median(series[0].engine!.previewMs);
        for (const f of series) {
            const e = f.engine!;
            const p = median(e.previewMs);
            lines.push(
                row([
                    name,
                    sizeName(f.size),
                    e.resources,
                    formatMs(p),
                    formatRatio(p / base),
                    formatMs(p / e.resources),
                    samples(e.previewMs),
                    formatMs(e.upMs),
                    e.upNoCheckpointsMs === undefined ? "–" : formatMs(e.upNoCheckpointsMs),
                    `${(e.stateBytes / 1024).toFixed(0)} KiB`,
                ]),
            );
        }
    }
    return lines;
}

/** The growth lines of one measure: linear in Store replicas (a PVC resource per store) and in clusters. */
function seriesVerdicts(r: Results, what: string, samplesOf: (f: SizeFigures) => readonly number[]): string[] {
    const points = (series: readonly SizeFigures[], x: (s: BenchSize) => number) =>
        series.map((f) => ({ x: x(f.size), samples: samplesOf(f) }));
    return [
        `- ${what}, Store replicas: ${verdict(
            points(r.replicaSeries, (s) => s.storeReplicas),
            "linear",
            "replicas",
        )}`,
        `- ${what}, clusters: ${verdict(
            points(r.clusterSeries, (s) => s.clusters),
            "linear",
            "clusters",
        )}`,
    ];
}

/** The growth line of a measure taken on the clusters series only (one run each). */
function clustersVerdict(r: Results, what: string, msOf: (f: SizeFigures) => number): string {
    const points = r.clusterSeries.map((f) => ({ x: f.size.clusters, samples: [msOf(f)] }));
    return `- ${what}, clusters: ${verdict(points, "linear", "clusters")}`;
}

function growth(r: Results): string[] {
    const lines = seriesVerdicts(r, "mocks", (f) => f.mocks.warmMs);
    if (r.engineSkipped !== undefined) {
        return lines;
    }
    lines.push(...seriesVerdicts(r, "preview", (f) => f.engine!.previewMs));
    const [one, , many] = r.clusterSeries;
    if (one?.engine !== undefined && many?.engine !== undefined) {
        const perRes =
            (median(many.engine.previewMs) - median(one.engine.previewMs)) /
            (many.engine.resources - one.engine.resources);
        const fixed = median(one.engine.previewMs) - perRes * one.engine.resources;
        lines.push(
            `- preview ≈ ${formatMs(fixed)} fixed (CLI, plugins, language host, program start) + ${formatMs(perRes)} per resource (line through 1 and 20 clusters)`,
        );
    }
    lines.push(clustersVerdict(r, "initial up (1 run each)", (f) => f.engine!.upMs));
    if (r.clusterSeries.every((f) => f.engine?.upNoCheckpointsMs !== undefined)) {
        lines.push(
            clustersVerdict(r, "initial up with PULUMI_SKIP_CHECKPOINTS=true", (f) => f.engine!.upNoCheckpointsMs!),
            `- checkpoint writes in the initial up ((up − up without checkpoints) / resources): ${r.clusterSeries
                .map((f) => {
                    const perResource = (f.engine!.upMs - f.engine!.upNoCheckpointsMs!) / f.engine!.resources;
                    const cost =
                        perResource > 0 ? `${formatMs(perResource)} per resource` : "≈ 0 (below run-to-run noise)";
                    return `${f.size.clusters} cluster${f.size.clusters === 1 ? "" : "s"}: ${cost} (checkpoint ${(f.engine!.stateBytes / 1024).toFixed(0)} KiB)`;
                })
                .join("; ")}`,
        );
    }
    return lines;
}

function kubectlTable(r: Results): string[] {
    const lines = [row(["measure", "value"]), row(["---", "---"])];
    const k = r.kubectl;
    if (k === undefined || !k.ran) {
        lines.push(
            row([
                "`kubectl apply --dry-run=server` of the dev-like manifests",
                k === undefined ? "not measured" : k.why,
            ]),
        );
    } else {
        lines.push(
            row([
                `\`kubectl apply --dry-run=server\`, ${k.objects} objects (median of ${k.samplesMs.length})`,
                `${formatMs(median(k.samplesMs))} (samples ${samples(k.samplesMs)} s)`,
            ]),
            row(["manifests", k.note]),
        );
    }
    if (r.packCost !== undefined) {
        lines.push(
            row([
                "for comparison: `pulumi preview` of the same stack, render target, no pack",
                formatMs(median(r.packCost.withoutMs)),
            ]),
        );
        lines.push(
            row([
                "for comparison: `pulumi preview` of the same stack, render target, with the pack",
                formatMs(median(r.packCost.withMs)),
            ]),
        );
    }
    return lines;
}

/** A `## title` section: its intro paragraphs, then its lines, then a blank line. */
function section(title: string, intro: readonly string[], body: readonly string[]): string[] {
    return [`## ${title}`, "", ...intro.flatMap((p) => [p, ""]), ...body, ""];
}

/** The whole report: machine, preview overhead, then sections 1 to 3. */
export function renderReport(r: Results): string {
    return [
        "# Benchmarks: what the program and the policy pack cost as work grows",
        "",
        "Generated by `npm run bench` (scripts/bench.sh). Figures, not assertions: compare ratios within one run; absolute times depend on the machine and its load.",
        "",
        ...section("Machine", [], machineTable(r)),
        ...section(
            "Preview overhead: type-checking and the policy pack's start-up (issue 11, point 7)",
            [
                "No-change `pulumi preview` of the dev-like stack (render target, after an initial `pulumi up`), each variant interleaved with the others in one run.",
            ],
            deployCostSection(r.deployCost, r.engineSkipped),
        ),
        ...section(
            "1. Program cost against size",
            [
                "The benchmark program `bench/program` builds `clusters` CellClusters (distinct names and namespaces) with `storeReplicas` stores each.",
            ],
            [
                ...mocksTable(r),
                "",
                ...engineTable(r),
                "",
                "Growth (expected: linear in Store replicas, one PVC resource per store; linear in clusters):",
                "",
                ...growth(r),
            ],
        ),
        ...section(
            "2. Pack cost",
            [
                "`pulumi preview` of the dev-like stack (Pulumi.dev.yaml's cluster, render target) after an initial `pulumi up`, with and without the policy pack, interleaved in one run. The engine starts the pack's process and waits for its analyzer server before it runs the program, so the pack's start-up (broken down in *Preview overhead* above) adds to the preview in full; *with − without* is what a user waits for. The reader is `policies/baseline/kubernetes.ts`, imported directly.",
            ],
            packCostTable(r),
        ),
        ...section("3. Comparison point: server-side dry run", [], kubectlTable(r)),
    ].join("\n");
}
