/**
 * Renders the benchmark's figures as Markdown: machine and versions, then
 * one table per section, then what grows faster than it should.
 */
import type { ClusterReadFigures, ReadFigures } from "./baseline";
import type { DeployCostFigures } from "./deploy-cost";
import { deployCostSection } from "./deploy-cost-report";
import type { ClusterGuardFigures, GuardFigures } from "./guard";
import type { KubectlFigures } from "./kubectl";
import type { LoadLog, Machine } from "./lib/machine";
import { spread, verdict } from "./lib/growth";
import { formatMs, formatRatio, median } from "./lib/measure";
import type { BenchSize } from "./program/clusters";
import type { SizeFigures } from "./sizes";

export interface Results {
    readonly machine: Machine;
    readonly load: LoadLog;
    readonly replicaSeries: readonly SizeFigures[];
    readonly clusterSeries: readonly SizeFigures[];
    /** Why the engine part did not run, when it did not. */
    readonly engineSkipped?: string;
    readonly guard?: GuardFigures;
    /** Type-checking and the pack's start-up, side by side (issue 11, point 7). */
    readonly deployCost?: DeployCostFigures;
    /** The same comparison against the local cluster (when it is up). */
    readonly clusterGuard?: ClusterGuardFigures;
    /** `import("@kubernetes/client-node")` in a fresh process: once per pack process on a cluster target. */
    readonly clientNodeImport?: { readonly medianMs: number; readonly samplesMs: readonly number[] };
    readonly fakeApi?: ReadFigures;
    readonly cluster?: ClusterReadFigures;
    readonly kubectl?: KubectlFigures;
    readonly totalMs: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;
const samples = (xs: readonly number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(", ");
const sizeName = (s: BenchSize) => `${s.clusters} cluster${s.clusters === 1 ? "" : "s"} × ${s.storeReplicas} stores`;

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
        const base = median(series[0]!.mocks.warmMs);
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
        const base = median(series[0]!.engine!.previewMs);
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

function growth(r: Results): string[] {
    const mocksPts = (series: readonly SizeFigures[], x: (s: BenchSize) => number) =>
        series.map((f) => ({ x: x(f.size), samples: f.mocks.warmMs }));
    const lines = [
        `- mocks, Store replicas: ${verdict(
            mocksPts(r.replicaSeries, (s) => s.storeReplicas),
            "flat",
            "replicas",
        )}`,
        `- mocks, clusters: ${verdict(
            mocksPts(r.clusterSeries, (s) => s.clusters),
            "linear",
            "clusters",
        )}`,
    ];
    if (r.engineSkipped !== undefined) {
        return lines;
    }
    const enginePts = (series: readonly SizeFigures[], x: (s: BenchSize) => number) =>
        series.map((f) => ({ x: x(f.size), samples: f.engine!.previewMs }));
    lines.push(
        `- preview, Store replicas: ${verdict(
            enginePts(r.replicaSeries, (s) => s.storeReplicas),
            "flat",
            "replicas",
        )}`,
        `- preview, clusters: ${verdict(
            enginePts(r.clusterSeries, (s) => s.clusters),
            "linear",
            "clusters",
        )}`,
    );
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
    lines.push(
        `- initial up (1 run each), clusters: ${verdict(
            r.clusterSeries.map((f) => ({ x: f.size.clusters, samples: [f.engine!.upMs] })),
            "linear",
            "clusters",
        )}`,
    );
    if (r.clusterSeries.every((f) => f.engine?.upNoCheckpointsMs !== undefined)) {
        lines.push(
            `- initial up with PULUMI_SKIP_CHECKPOINTS=true, clusters: ${verdict(
                r.clusterSeries.map((f) => ({ x: f.size.clusters, samples: [f.engine!.upNoCheckpointsMs!] })),
                "linear",
                "clusters",
            )}`,
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

function readRows(label: string, f: ReadFigures): string[] {
    return [
        row([`${label}: first read (kubeconfig load, connection, one GET)`, formatMs(f.firstMs)]),
        row([`${label}: new reader per read (median of ${f.samples})`, formatMs(f.newReaderMs)]),
        row([`${label}: one more object, same reader (median of ${f.samples})`, formatMs(f.getMs)]),
        row([`${label}: list by label, all namespaces (median of ${f.samples})`, formatMs(f.listMs)]),
        row([`${label}: object read`, f.found]),
    ];
}

function previewPair(label: string, withoutMs: readonly number[], withMs: readonly number[]): string[] {
    const without = median(withoutMs);
    const withPack = median(withMs);
    return [
        row([
            `${label}: preview without / with \`--policy-pack policies\` (median of ${withMs.length} each)`,
            `${formatMs(without)} / ${formatMs(withPack)} = ${formatRatio(withPack / without)}; with − without: ${formatMs(withPack - without)} (samples ${samples(withoutMs)} / ${samples(withMs)} s)`,
        ]),
    ];
}

function guardTable(r: Results): string[] {
    const lines = [row(["measure", "value"]), row(["---", "---"])];
    const g = r.guard;
    if (g === undefined) {
        lines.push(row(["preview with/without the pack", r.engineSkipped ?? "not measured"]));
    } else {
        const delta = median(g.withMs) - median(g.withoutMs);
        lines.push(
            row([
                `dev-like stack, render target: preview without the pack (median of ${g.withoutMs.length})`,
                `${formatMs(median(g.withoutMs))} (samples ${samples(g.withoutMs)} s)`,
            ]),
            row([
                `dev-like stack, render target: preview with \`--policy-pack policies\` (median of ${g.withMs.length})`,
                `${formatMs(median(g.withMs))} (samples ${samples(g.withMs)} s)`,
            ]),
            row(["ratio with / without", formatRatio(median(g.withMs) / median(g.withoutMs))]),
            row(["guard cost per preview (with − without)", formatMs(delta)]),
            row([
                "resources validated",
                `${g.resources} (every resource in the state: stack, provider and components included; ${g.statefulSets} StatefulSets, whose baseline is read)`,
            ]),
            row(["per resource validated ((with − without) / resources)", formatMs(delta / g.resources)]),
        );
        const large = r.clusterSeries[r.clusterSeries.length - 1];
        const lg = large?.engine?.guard;
        if (large?.engine !== undefined && lg !== undefined) {
            const largeDelta = median(lg.withMs) - median(lg.withoutMs);
            const extra = large.engine.resources - g.resources;
            const marginal = (largeDelta - delta) / extra;
            const noise = (spread(lg.withMs) + spread(lg.withoutMs) + spread(g.withMs) + spread(g.withoutMs)) / extra;
            const within =
                Math.abs(marginal) <= noise
                    ? "within the noise of the samples, not distinguishable from 0: the guard costs a fixed time per preview (starting the pack), not time per resource"
                    : "the pack's work per resource beyond its fixed start-up";
            lines.push(
                ...previewPair(
                    `${sizeName(large.size)} (bench program, ${large.engine.resources} resources)`,
                    lg.withoutMs,
                    lg.withMs,
                ),
                row([
                    `marginal validation cost per resource ((Δ at ${large.engine.resources} − Δ at ${g.resources} resources) / ${extra})`,
                    `${formatMs(marginal)} ± ${formatMs(noise)}: ${within}`,
                ]),
            );
        }
    }
    if (r.clusterGuard !== undefined) {
        const c = r.clusterGuard;
        lines.push(
            ...previewPair(
                `local cluster target, fresh stack (namespace ${c.namespace}, ${c.resources} planned steps, every baseline read a 404)`,
                c.withoutMs,
                c.withMs,
            ),
        );
    } else if (r.cluster !== undefined && !r.cluster.running) {
        lines.push(row(["local cluster target: preview without / with the pack", `local cluster: ${r.cluster.why}`]));
    }
    if (r.clientNodeImport !== undefined) {
        const c = r.clientNodeImport;
        lines.push(
            row([
                `baseline reader: \`import("@kubernetes/client-node")\`, once per pack process, cluster targets only (median of ${c.samplesMs.length} fresh processes)`,
                `${formatMs(c.medianMs)} (samples ${samples(c.samplesMs)} s)`,
            ]),
        );
    }
    if (r.fakeApi !== undefined) {
        lines.push(...readRows("baseline reader, loopback fake API (HTTP)", r.fakeApi));
    }
    if (r.cluster !== undefined) {
        if (r.cluster.running) {
            lines.push(...readRows("baseline reader, local cluster (HTTPS, client certificate)", r.cluster.reads));
        } else {
            lines.push(row(["baseline reader, local cluster", `local cluster: ${r.cluster.why}`]));
        }
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
    if (r.guard !== undefined) {
        lines.push(
            row([
                "for comparison: `pulumi preview` of the same stack, render target, no pack",
                formatMs(median(r.guard.withoutMs)),
            ]),
        );
        lines.push(
            row([
                "for comparison: `pulumi preview` of the same stack, render target, with the pack",
                formatMs(median(r.guard.withMs)),
            ]),
        );
    }
    return lines;
}

export function renderReport(r: Results): string {
    return [
        "# Benchmarks: what the program and the guard cost as work grows",
        "",
        "Generated by `npm run bench` (scripts/bench.sh). Figures, not assertions: compare ratios within one run; absolute times depend on the machine and its load.",
        "",
        "## Machine",
        "",
        ...machineTable(r),
        "",
        "## Preview overhead: type-checking and the policy pack's start-up (issue 11, point 7)",
        "",
        "No-change `pulumi preview` of the dev-like stack (render target, after an initial `pulumi up`), each variant interleaved with the others in one run.",
        "",
        ...deployCostSection(r.deployCost, r.engineSkipped),
        "",
        "## 1. Program cost against size",
        "",
        "The benchmark program `bench/program` builds `clusters` CellClusters (distinct names and namespaces) with `storeReplicas` stores each.",
        "",
        ...mocksTable(r),
        "",
        ...engineTable(r),
        "",
        "Growth (expected: flat in Store replicas, linear in clusters):",
        "",
        ...growth(r),
        "",
        "## 2. Guard cost",
        "",
        "`pulumi preview` of the dev-like stack (Pulumi.dev.yaml's cluster, render target) after an initial `pulumi up`, with and without the policy pack, interleaved in one run. The engine starts the pack's process and waits for its analyzer server before it runs the program, so the pack's start-up (broken down in *Preview overhead* above) adds to the preview in full; *with − without* is what a user waits for. The reader is `policies/baseline/kubernetes.ts`, imported directly.",
        "",
        ...guardTable(r),
        "",
        "## 3. Comparison point: server-side dry run",
        "",
        ...kubectlTable(r),
        "",
    ].join("\n");
}
