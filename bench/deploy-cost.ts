/**
 * What every `pulumi preview` pays besides the plan (issue 11, point 7), measured side by side in
 * one run on the dev-like stack (render target, after an initial `pulumi up`, so no changes):
 *   (a) the program: the project's default (tsconfig.json's "ts-node" block) against
 *       PULUMI_NODEJS_TRANSPILE_ONLY=true, and =false (type-checked, the former default), interleaved;
 *   (b) the policy pack: preview without it, with it (bin/ current), and with a pack whose bin/
 *       is absent (a fresh clone that never ran the scripts), interleaved;
 *   plus where the pack's start-up goes (bench/lib/pack-startup.ts).
 * Each round runs the variants in a rotated order, so no variant always follows the same one.
 * The packs are copies of policies/ taken at the start (test/helpers/pack-copy.ts): edits made to
 * the working tree while the benchmark runs cannot make a "current" pack transpile mid-measure.
 */
import { EngineProject } from "../test/helpers/engine";
import { PackCopy } from "../test/helpers/pack-copy";
import { measure } from "./lib/measure";
import { measurePackStartup, type PackStartupFigures } from "./lib/pack-startup";

/** The samples (ms) of each variant of one interleaved comparison, by variant. */
export type Variants<K extends string> = Readonly<Record<K, readonly number[]>>;

/** What every preview pays besides the plan: the program's variants, the pack's, the start-up. */
export interface DeployCostFigures {
    /** (a) default (no PULUMI_NODEJS_TRANSPILE_ONLY), =true, =false. */
    readonly program: Variants<"defaultMs" | "transpileOnlyMs" | "typeCheckedMs">;
    /** (b) default program; without the pack, with it, with a fresh clone's pack (bin/ absent). */
    readonly pack: Variants<"withoutMs" | "withMs" | "freshCloneMs">;
    readonly startup: PackStartupFigures;
}

type Mode = {
    readonly name: string;
    readonly env: NodeJS.ProcessEnv;
    readonly args?: readonly string[];
    readonly before?: () => void;
};

/** `@pulumi/pulumi/cmd/run` treats an empty PULUMI_NODEJS_TRANSPILE_ONLY as unset: the project decides. */
const ProjectDefault = { PULUMI_NODEJS_TRANSPILE_ONLY: "" };

async function interleave(
    project: EngineProject,
    what: string,
    modes: readonly Mode[],
    reps: number,
): Promise<number[][]> {
    const out = modes.map(() => [] as number[]);
    for (let rep = 1; rep <= reps; rep++) {
        for (let k = 0; k < modes.length; k++) {
            const i = (k + rep - 1) % modes.length;
            const mode = modes[i];
            mode.before?.();
            const name = `pulumi preview ${what}, ${mode.name} (${rep}/${reps})`;
            const r = await measure(name, () =>
                project.run(["preview", "--stack", project.stack, ...(mode.args ?? [])], mode.env),
            );
            if (r.value.code !== 0) {
                throw new Error(`${name} failed:\n${r.value.output}`);
            }
            // The pack's name in the summary proves it ran (a preview without it would be timed as "with").
            if (mode.args?.includes("--policy-pack") === true && !/elasticell@/.test(r.value.output)) {
                throw new Error(`${name}: the output does not show the elasticell policy pack:\n${r.value.output}`);
            }
            out[i].push(r.ms);
        }
    }
    return out;
}

/** (a), (b) and the start-up breakdown on a deployed dev-like project. */
export async function measureDeployCost(project: EngineProject, reps: number): Promise<DeployCostFigures> {
    const [defaultMs, transpileOnlyMs, typeCheckedMs] = await interleave(
        project,
        "dev-like (program)",
        [
            { name: "project default", env: ProjectDefault },
            { name: "PULUMI_NODEJS_TRANSPILE_ONLY=true", env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } },
            {
                name: "PULUMI_NODEJS_TRANSPILE_ONLY=false (type-checked)",
                env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
            },
        ],
        reps,
    );
    const current = new PackCopy("none");
    const fresh = new PackCopy("none");
    try {
        // bin/ as the scripts or an earlier preview leave it: current (transpile and tsc emit the same files).
        current.build.ensureCurrent(current.dir);
        const [withoutMs, withMs, freshCloneMs] = await interleave(
            project,
            "dev-like (pack)",
            [
                { name: "without the pack", env: ProjectDefault },
                { name: "with the pack (bin/ current)", env: ProjectDefault, args: ["--policy-pack", current.dir] },
                {
                    name: "with a fresh clone's pack (no bin/)",
                    env: ProjectDefault,
                    args: ["--policy-pack", fresh.dir],
                    before: () => fresh.removeBin(),
                },
            ],
            reps,
        );
        const startup = await measurePackStartup(current.dir, reps);
        return {
            program: { defaultMs, transpileOnlyMs, typeCheckedMs },
            pack: { withoutMs, withMs, freshCloneMs },
            startup,
        };
    } finally {
        current.dispose();
        fresh.dispose();
    }
}
