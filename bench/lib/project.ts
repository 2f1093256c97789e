/**
 * A temporary copy of the benchmark program (bench/program) with its own file
 * backend, run with the real `pulumi` CLI against the render target, as
 * test/helpers/engine.ts does for the main program. Layout of the copy, so
 * that `../../components` resolves as in the repository and the project's
 * node_modules and policy pack are reused through symlinks:
 *   <tmp>/components/              copy of components/
 *   <tmp>/node_modules -> <root>/node_modules
 *   <tmp>/bench/program/           Pulumi.yaml, index.ts, clusters.ts, tsconfig.json,
 *                                  Pulumi.<stack>.yaml, node_modules ->, policies ->
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";
import type { RunResult } from "../../test/helpers/engine";
import { ProjectRoot } from "../../test/helpers/stacks";
import type { BenchSize } from "../program/clusters";
import { pulumiEnv, runPulumi } from "../../test/helpers/engine";

const ProgramFiles = ["Pulumi.yaml", "index.ts", "clusters.ts"];

export class BenchProject {
    readonly root: string;
    readonly dir: string;
    readonly renderDir: string;
    readonly stack = "bench";
    private readonly env: NodeJS.ProcessEnv;

    /** `extraEnv` is added to every `pulumi` run, e.g. `PULUMI_SKIP_CHECKPOINTS`. */
    constructor(
        readonly size: BenchSize,
        extraEnv: NodeJS.ProcessEnv = {},
    ) {
        this.root = mkdtempSync(join(tmpdir(), "elasticell-bench-"));
        this.dir = join(this.root, "bench", "program");
        this.renderDir = join(this.root, "rendered");
        mkdirSync(this.dir, { recursive: true });
        // The file backend does not create its directory.
        mkdirSync(join(this.root, ".state"));
        cpSync(join(ProjectRoot, "components"), join(this.root, "components"), { recursive: true });
        symlinkSync(join(ProjectRoot, "node_modules"), join(this.root, "node_modules"));
        for (const f of ProgramFiles) {
            cpSync(join(ProjectRoot, "bench", "program", f), join(this.dir, f));
        }
        // The program's compiler options, so the transpiled code is the real program's.
        cpSync(join(ProjectRoot, "tsconfig.json"), join(this.dir, "tsconfig.json"));
        writeFileSync(
            join(this.dir, "package.json"),
            JSON.stringify({ name: "elasticell-bench", private: true, main: "index.ts" }),
        );
        symlinkSync(join(ProjectRoot, "node_modules"), join(this.dir, "node_modules"));
        symlinkSync(join(ProjectRoot, "policies"), join(this.dir, "policies"));
        writeFileSync(
            join(this.dir, `Pulumi.${this.stack}.yaml`),
            dump({
                config: {
                    "kubernetes:renderYamlToDirectory": this.renderDir,
                    "elasticell-bench:clusters": size.clusters,
                    "elasticell-bench:storeReplicas": size.storeReplicas,
                },
            }),
        );
        this.env = { ...pulumiEnv(this.root, "bench"), ...extraEnv };
    }

    /** Runs `pulumi <args>` in the copy; throws with the output when it fails. */
    async ok(args: readonly string[]): Promise<RunResult> {
        const r = await runPulumi(this.dir, this.env, args);
        if (r.code !== 0) {
            throw new Error(
                `pulumi ${args.join(" ")} (${this.size.clusters} clusters, ${this.size.storeReplicas} stores) exited ${r.code}:\n${r.output}`,
            );
        }
        return r;
    }

    async init(): Promise<void> {
        await this.ok(["stack", "init", this.stack, "--secrets-provider", "passphrase"]);
    }

    up(): Promise<RunResult> {
        return this.ok(["up", "--yes", "--skip-preview", "--stack", this.stack]);
    }

    preview(extra: readonly string[] = []): Promise<RunResult> {
        return this.ok(["preview", "--stack", this.stack, ...extra]);
    }

    /** Number of resources in the stack's state (stack, provider and components included). */
    async resourceCount(): Promise<number> {
        const state = JSON.parse((await this.ok(["stack", "export", "--stack", this.stack])).stdout) as {
            deployment: { resources?: unknown[] };
        };
        return state.deployment.resources?.length ?? 0;
    }

    /** Size in bytes of the stack's checkpoint in the file backend (0 when there is none). */
    stateBytes(): number {
        const file = join(this.root, ".state", ".pulumi", "stacks", "elasticell-bench", `${this.stack}.json`);
        return existsSync(file) ? statSync(file).size : 0;
    }

    /** Destroys nothing (the render target and the backend are temporary): deletes the copy. */
    dispose(): void {
        rmSync(this.root, { recursive: true, force: true });
    }
}
