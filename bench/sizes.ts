/**
 * Section 1: program cost against size. The same benchmark program
 * (bench/program) is evaluated (a) under Pulumi mocks, one child process per
 * size (bench/mocks.ts), and (b) by the real engine: `pulumi preview` of a
 * stack after an initial `pulumi up` (the everyday case: nothing to change),
 * render target, temporary file backend. Previews of all sizes are taken
 * round-robin, so a change of machine load hits every size alike.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import groupBy from "lodash/groupBy";
import mapValues from "lodash/mapValues";
import maxBy from "lodash/maxBy";
import uniqBy from "lodash/uniqBy";
import { ProjectRoot } from "../test/helpers/stacks";
import { BenchProject } from "./lib/project";
import { measure, median, progress } from "./lib/measure";
import type { MocksResult } from "./mocks";
import type { BenchSize } from "./program/clusters";

/** The sizes: Store replicas 3, 30, 300 (one cluster) and 1, 5, 20 clusters (3 stores each). */
export const ReplicaSeries: readonly BenchSize[] = [3, 30, 300].map((storeReplicas) => ({
    clusters: 1,
    storeReplicas,
}));
/** The clusters series: 1, 5 and 20 clusters of 3 stores. */
export const ClusterSeries: readonly BenchSize[] = [1, 5, 20].map((clusters) => ({ clusters, storeReplicas: 3 }));

const key = (s: BenchSize) => `${s.clusters}x${s.storeReplicas}`;
const label = (s: BenchSize) => `clusters=${s.clusters} storeReplicas=${s.storeReplicas}`;

/** Every distinct size, smallest first. */
export function allSizes(): BenchSize[] {
    return uniqBy([...ReplicaSeries, ...ClusterSeries], key);
}

/** One size under mocks, over its processes. */
export interface MocksFigures {
    readonly resources: number;
    /** First build in a process, median over processes. */
    readonly coldMs: number;
    readonly warmMs: readonly number[];
    /** GC pauses during the warm builds, ms each. */
    readonly warmGcMs: readonly number[];
}

/** One size through the real engine (render target). */
export interface EngineFigures {
    /** Resources in the stack after the initial up. */
    readonly resources: number;
    /** The initial `pulumi up`. */
    readonly upMs: number;
    /** Checkpoint size after the initial up, bytes. */
    readonly stateBytes: number;
    /** Initial up of a second stack with PULUMI_SKIP_CHECKPOINTS=true (cluster series only). */
    readonly upNoCheckpointsMs?: number;
    /** Previews without and with `--policy-pack policies`, interleaved (largest size only). */
    readonly packCost?: { readonly withoutMs: readonly number[]; readonly withMs: readonly number[] };
    readonly previewMs: readonly number[];
}

/** One size: its mocks figures and, when the engine ran, its engine figures. */
export interface SizeFigures {
    readonly size: BenchSize;
    readonly mocks: MocksFigures;
    readonly engine?: EngineFigures;
}

function runMocksChild(size: BenchSize, reps: number): Promise<MocksResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            [
                "--import",
                "tsx",
                join(ProjectRoot, "bench", "mocks.ts"),
                String(size.clusters),
                String(size.storeReplicas),
                String(reps),
            ],
            {
                cwd: ProjectRoot,
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code !== 0) {
                reject(new Error(`bench/mocks.ts ${label(size)} exited ${code}:\n${err}`));
                return;
            }
            resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as MocksResult);
        });
    });
}

/**
 * (a) Mocks: `rounds` child processes per size, taken round-robin; each builds
 * the program once cold and `reps` times warm (fewer for the largest size).
 */
export async function measureMocks(sizes: readonly BenchSize[], rounds = 2): Promise<Map<string, MocksFigures>> {
    const runs: MocksResult[] = [];
    for (let round = 1; round <= rounds; round++) {
        for (const size of sizes) {
            const reps = size.clusters >= 20 ? 3 : 5;
            const r = await measure(
                `mocks ${label(size)} (process ${round}/${rounds}, 1 cold + ${reps} warm builds)`,
                () => runMocksChild(size, reps),
            );
            progress(
                `  cold ${r.value.coldMs.toFixed(0)} ms, warm ${r.value.warmMs.map((m) => m.toFixed(0)).join(" ")} ms, ${r.value.resources} resources`,
            );
            runs.push(r.value);
        }
    }
    // Each result names its size: group the processes of one size into its figures.
    const bySize = mapValues(groupBy(runs, key), (rs): MocksFigures => ({
        resources: rs[0].resources,
        coldMs: median(rs.map((r) => r.coldMs)),
        warmMs: rs.flatMap((r) => r.warmMs),
        warmGcMs: rs.flatMap((r) => r.warmGcMs),
    }));
    return new Map(Object.entries(bySize));
}

/**
 * (b) Engine: one stack per size (init, `up` once), then `reps` previews per
 * size round-robin (`largeReps` for 20 clusters). Then the largest stack is
 * previewed `packReps` times without and with the policy pack, interleaved,
 * for the pack cost per resource, and the cluster series gets a second
 * `up` on fresh stacks with PULUMI_SKIP_CHECKPOINTS=true.
 */
export async function measureEngine(
    sizes: readonly BenchSize[],
    reps = 3,
    largeReps = 2,
    packReps = 3,
): Promise<Map<string, EngineFigures>> {
    const projects = new Map<
        string,
        {
            project: BenchProject;
            upMs: number;
            resources: number;
            stateBytes: number;
            previews: number[];
            packWithout: number[];
            packWith: number[];
        }
    >();
    try {
        for (const size of sizes) {
            const project = new BenchProject(size);
            await project.init();
            const up = await measure(`pulumi up ${label(size)} (initial, render target)`, () => project.up());
            const resources = await project.resourceCount();
            const stateBytes = project.stateBytes();
            progress(`  ${resources} resources in the state, checkpoint ${(stateBytes / 1024).toFixed(0)} KiB`);
            projects.set(key(size), {
                project,
                upMs: up.ms,
                resources,
                stateBytes,
                previews: [],
                packWithout: [],
                packWith: [],
            });
        }
        for (let rep = 1; rep <= reps; rep++) {
            for (const size of sizes) {
                if (size.clusters >= 20 && rep > largeReps) {
                    continue;
                }
                const p = projects.get(key(size))!;
                const r = await measure(
                    `pulumi preview ${label(size)} (${rep}/${size.clusters >= 20 ? largeReps : reps})`,
                    () => p.project.preview(),
                );
                p.previews.push(r.ms);
            }
        }
        // The most resources: the most clusters (Store replicas add none).
        const largest = maxBy(sizes, (s) => s.clusters)!;
        const p = projects.get(key(largest))!;
        for (let rep = 1; rep <= packReps; rep++) {
            for (const withPack of [false, true]) {
                const r = await measure(
                    `pulumi preview ${label(largest)} ${withPack ? "with --policy-pack policies" : "without policy pack"} (${rep}/${packReps})`,
                    () => p.project.preview(withPack ? ["--policy-pack", "policies"] : []),
                );
                if (withPack && !/elasticell@/.test(r.value.output)) {
                    throw new Error(`the preview output does not show the elasticell policy pack:\n${r.value.output}`);
                }
                (withPack ? p.packWith : p.packWithout).push(r.ms);
            }
        }
    } finally {
        for (const p of projects.values()) {
            p.project.dispose();
        }
    }
    // The file backend rewrites the whole checkpoint after every step of an update; without it:
    const noCheckpoints = new Map<string, number>();
    for (const size of ClusterSeries) {
        const project = new BenchProject(size, { PULUMI_SKIP_CHECKPOINTS: "true" });
        try {
            await project.init();
            noCheckpoints.set(
                key(size),
                (
                    await measure(`pulumi up ${label(size)} with PULUMI_SKIP_CHECKPOINTS=true (fresh stack)`, () =>
                        project.up(),
                    )
                ).ms,
            );
        } finally {
            project.dispose();
        }
    }
    const out = new Map<string, EngineFigures>();
    for (const [k, p] of projects) {
        const skip = noCheckpoints.get(k);
        out.set(k, {
            resources: p.resources,
            upMs: p.upMs,
            stateBytes: p.stateBytes,
            previewMs: p.previews,
            ...(skip === undefined ? {} : { upNoCheckpointsMs: skip }),
            ...(p.packWith.length === 0 ? {} : { packCost: { withoutMs: p.packWithout, withMs: p.packWith } }),
        });
    }
    return out;
}

/** The figures of one size from both measurements. */
export function figuresOf(
    size: BenchSize,
    mocks: Map<string, MocksFigures>,
    engine: Map<string, EngineFigures> | undefined,
): SizeFigures {
    const m = mocks.get(key(size));
    if (m === undefined) {
        throw new Error(`no mocks figures for ${label(size)}`);
    }
    const e = engine?.get(key(size));
    return { size, mocks: m, ...(e === undefined ? {} : { engine: e }) };
}
