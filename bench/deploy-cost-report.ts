/**
 * Renders bench/deploy-cost.ts's figures: the two ratios of issue 11, point 7 against their
 * targets, then where the pack's start-up goes.
 */
import type { DeployCostFigures } from "./deploy-cost";
import type { StartupSample } from "./lib/pack-startup";
import { row, samples } from "./lib/markdown";
import { formatMs, formatRatio, median } from "./lib/measure";

/** Targets of issue 11, point 7. */
export const ProgramTarget = 1.05;
export const PackTarget = 1.1;

const timed = (xs: readonly number[]) => `${formatMs(median(xs))} (samples ${samples(xs)} s)`;
/** Median of the per-round ratios: rounds are interleaved, so this cancels load that drifts between rounds. */
const paired = (xs: readonly number[], base: readonly number[]) => median(xs.map((x, i) => x / base[i]));
const against = (ratio: number, target: number) =>
    `${formatRatio(ratio)} (target ≤ ${formatRatio(target)}: ${ratio <= target ? "**met**" : "**missed**"})`;

const Stages: readonly [keyof StartupSample, string][] = [
    ["node", "Node.js start, until the first script runs"],
    ["bootstrap", "run-policy-pack's own imports (source maps, gRPC, SDK settings)"],
    ["typescript", "`typescript` + `ts-node`, loaded and registered by run-policy-pack for any pack"],
    ["entry", "the pack's entry: deferred imports, bin/ freshness check (policies/main.js)"],
    ["sdk", "`@pulumi/policy` and the `@pulumi/pulumi` it loads"],
    ["rulesAndServer", "the pack's rules, PolicyPack, gRPC server until the port is printed"],
    ["total", "total, process start to port (the engine waits for it before it runs the program)"],
];

/** The preview-overhead section: (a) the program, (b) the pack, then the start-up breakdown. */
export function deployCostSection(d: DeployCostFigures | undefined, skipped: string | undefined): string[] {
    if (d === undefined) {
        return [`Not measured (${skipped ?? "engine runs skipped"}).`];
    }
    const def = median(d.program.defaultMs);
    const to = median(d.program.transpileOnlyMs);
    const tc = median(d.program.typeCheckedMs);
    const without = median(d.pack.withoutMs);
    const withPack = median(d.pack.withMs);
    const fresh = median(d.pack.freshCloneMs);
    const s = d.startup;
    const startTotal = median(s.samples.map((x) => x.total));
    const lines = [
        `(a) The program, ${d.program.defaultMs.length} interleaved rounds:`,
        "",
        row(["preview", "median", "ratio of medians", "median of per-round ratios"]),
        row(["---", "---", "---", "---"]),
        row([
            'project default (tsconfig.json `"ts-node": {"transpileOnly": true}`, no environment variable)',
            timed(d.program.defaultMs),
            `${against(def / to, ProgramTarget)} over transpile-only`,
            against(paired(d.program.defaultMs, d.program.transpileOnlyMs), ProgramTarget),
        ]),
        row(["`PULUMI_NODEJS_TRANSPILE_ONLY=true`", timed(d.program.transpileOnlyMs), "1.00×", "1.00×"]),
        row([
            "`PULUMI_NODEJS_TRANSPILE_ONLY=false` (type-checked: the default before this change)",
            timed(d.program.typeCheckedMs),
            `${formatRatio(tc / to)}; type-checking costs ${formatMs(tc - to)} per preview`,
            formatRatio(paired(d.program.typeCheckedMs, d.program.transpileOnlyMs)),
        ]),
        "",
        `(b) The policy pack, default program, ${d.pack.withMs.length} interleaved rounds:`,
        "",
        row(["preview", "median", "ratio of medians over without", "median of per-round ratios"]),
        row(["---", "---", "---", "---"]),
        row(["without the pack", timed(d.pack.withoutMs), "1.00×", "1.00×"]),
        row([
            "with `--policy-pack` (bin/ current)",
            timed(d.pack.withMs),
            `${against(withPack / without, PackTarget)}; +${formatMs(withPack - without)}`,
            against(paired(d.pack.withMs, d.pack.withoutMs), PackTarget),
        ]),
        row([
            "with `--policy-pack` on a fresh clone (no bin/: the pack's entry transpiles it first, once)",
            timed(d.pack.freshCloneMs),
            `${formatRatio(fresh / without)}; +${formatMs(fresh - without)}, on the first preview only`,
            formatRatio(paired(d.pack.freshCloneMs, d.pack.withoutMs)),
        ]),
        "",
        `Where the pack's start-up goes (${s.samples.length} fresh processes started as the language host starts them; medians, ms since the process started):`,
        "",
        row(["stage", "median"]),
        row(["---", "---:"]),
        ...Stages.map(([key, label]) => row([label, formatMs(median(s.samples.map((x) => x[key])))])),
        row([
            "same, wall time from spawn to the port line, measured outside (no hook)",
            formatMs(median(s.viaRunPolicyPackMs)),
        ]),
        row([
            "the pack started by `node policies` without run-policy-pack (what a host change could give: no TypeScript, no SDK bootstrap)",
            formatMs(median(s.directMs)),
        ]),
        row([
            '`require("@pulumi/policy")` without / with policies/loader/defer.js (`@npmcli/arborist` deferred)',
            `${formatMs(median(s.sdkImportEagerMs))} / ${formatMs(median(s.sdkImportDeferredMs))}: −${formatMs(median(s.sdkImportEagerMs) - median(s.sdkImportDeferredMs))}`,
        ]),
        "",
        `The engine starts the pack and waits for its port before it runs the program, so the start-up (${formatMs(startTotal)}) adds to the preview in full; ` +
            (withPack - without - startTotal > 50
                ? `the rest of *with − without* (${formatMs(withPack - without - startTotal)}) is the engine's calls into the pack while the plan runs (Analyze and Remediate for each resource, AnalyzeStack at the end). `
                : `*with − without* is no larger than the start-up in this run (the engine's calls into the pack while the plan runs are within the noise). `) +
            `At most ${formatRatio(PackTarget)} leaves ${formatMs((PackTarget - 1) * without)} for all of it, less than Node.js, run-policy-pack's bootstrap and TypeScript take before the pack's first line runs. ` +
            "Only a language host that starts a compiled pack with plain `node <pack>` removes the last two (the *without run-policy-pack* row). " +
            'First API read (cluster targets only): `import("@kubernetes/client-node")` and the reads in section 2.',
    ];
    return lines;
}
