/**
 * Section 2: the pack cost, what the policy pack adds to a preview. `pulumi preview` of the
 * dev-like stack (Pulumi.dev.yaml's cluster, render target instead of the local cluster) after an
 * initial `pulumi up`, with and without `--policy-pack policies`, interleaved in one run so both
 * see the same machine load.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EngineProject } from "../test/helpers/engine";
import { stackConfig } from "../test/helpers/stacks";
import { measure, progress } from "./lib/measure";

/** Preview timings of the dev-like stack on the render target, without and with the pack. */
export interface PackCostFigures {
    /** Resources in the stack's state: what the pack is asked to validate (stack, provider and components included). */
    readonly resources: number;
    /** StatefulSets among them: the only resources whose baseline is read. */
    readonly statefulSets: number;
    readonly withoutMs: readonly number[];
    readonly withMs: readonly number[];
}

/** An EngineProject whose file backend directory exists (`pulumi stack init` does not create it). */
function engineProject(...args: ConstructorParameters<typeof EngineProject>): EngineProject {
    const project = new EngineProject(...args);
    mkdirSync(join(project.dir, ".state"), { recursive: true });
    return project;
}

/** The dev stack's `elasticell:` config with the render target (no cluster). */
export function devLikeConfig(): Record<string, unknown> {
    return stackConfig("dev");
}

/** A deployed (rendered) dev-like stack; the caller disposes it. */
export async function deployDevLike(): Promise<EngineProject> {
    const project = engineProject("dev", devLikeConfig());
    await project.init();
    const up = await measure("pulumi up of the dev-like stack (render target)", () => project.up());
    if (up.value.code !== 0) {
        throw new Error(`pulumi up of the dev-like stack failed:\n${up.value.output}`);
    }
    return project;
}

/** `reps` previews with and `reps` without the pack, alternating (without first). */
export async function measurePackCost(project: EngineProject, reps = 5): Promise<PackCostFigures> {
    const { withoutMs, withMs } = await interleavedPreviews(project, "dev-like", reps);
    const resources = await project.resourceCount();
    const statefulSets = project.renderedObjects().filter((o: { kind?: string }) => o.kind === "StatefulSet").length;
    progress(`dev-like stack: ${resources} resources, ${statefulSets} StatefulSets`);
    return { resources, statefulSets, withoutMs, withMs };
}

/** Preview timings of the dev-like program against the local cluster. */
export interface ClusterPackCostFigures {
    readonly withoutMs: readonly number[];
    readonly withMs: readonly number[];
    /** Resources the preview plans (all creates). */
    readonly resources: number;
    readonly namespace: string;
}

/**
 * The same comparison on a cluster target, where the pack reads the live
 * StatefulSets through the Kubernetes reader: a fresh stack (nothing
 * deployed, so the plan is all creates and every read is a 404) of the
 * dev-like cluster in its own namespace, previewed only: nothing is written
 * to the cluster.
 */
export async function measurePackCostOnCluster(kubeconfig: string, reps = 3): Promise<ClusterPackCostFigures> {
    const namespace = "elasticell-bench";
    const project = engineProject("benchcluster", { ...devLikeConfig(), name: "bench", namespace }, { kubeconfig });
    try {
        await project.init();
        const { withoutMs, withMs } = await interleavedPreviews(
            project,
            "dev-like on the local cluster (fresh stack)",
            reps,
        );
        const last = await project.preview(["--json"]);
        const plan = JSON.parse(last.stdout) as { steps?: unknown[] };
        return { withoutMs, withMs, resources: plan.steps?.length ?? 0, namespace };
    } finally {
        rmSync(project.dir, { recursive: true, force: true });
    }
}

async function interleavedPreviews(
    project: EngineProject,
    what: string,
    reps: number,
): Promise<{ withoutMs: number[]; withMs: number[] }> {
    const withoutMs: number[] = [];
    const withMs: number[] = [];
    for (let rep = 1; rep <= reps; rep++) {
        for (const withPack of [false, true]) {
            const name = `pulumi preview ${what} ${withPack ? "with --policy-pack policies" : "without policy pack"} (${rep}/${reps})`;
            const r = await measure(name, () => project.preview(withPack ? ["--policy-pack", "policies"] : []));
            if (r.value.code !== 0) {
                throw new Error(`${name} failed:\n${r.value.output}`);
            }
            // The pack's name in the summary proves it ran (a preview without it would be timed as "with").
            if (withPack && !/elasticell@/.test(r.value.output)) {
                throw new Error(`${name}: the output does not show the elasticell policy pack:\n${r.value.output}`);
            }
            (withPack ? withMs : withoutMs).push(r.ms);
        }
    }
    return { withoutMs, withMs };
}
