/**
 * Runs the real `pulumi` CLI on a temporary copy of the project with a
 * temporary file backend, as a user would. The toolchain comes from PATH
 * (scripts/test.sh puts it there; `npm run toolchain` builds it).
 */
import { spawn } from "node:child_process";
import {
    cpSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, loadAll } from "js-yaml";
import { ProjectRoot } from "./stacks";

export interface RunResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** stdout and stderr together, for message assertions. */
    readonly output: string;
}

/** What the program needs to run: everything else stays out of the copy. */
const ProgramFiles = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "components"];

/** What a project copy runs: the stack program (the default), or another program (an example) using the library. */
export interface ProgramSource {
    /** Directory the files are copied from. */
    readonly root: string;
    readonly files: readonly string[];
    /** Link this repository as `node_modules/elasticell`, as `npm install` of a `file:` dependency does. */
    readonly linkLibrary: boolean;
}

/** Finds `pulumi` on PATH or fails with the command that provides it. */
export function requireToolchain(): string {
    const path = process.env.ELASTICELL_TEST_PATH ?? process.env.PATH ?? "";
    for (const dir of path.split(":")) {
        if (existsSync(join(dir, "pulumi")) && existsSync(join(dir, "pulumi-resource-kubernetes"))) {
            return path;
        }
    }
    throw new Error(
        "pulumi and pulumi-resource-kubernetes are not on PATH: run `npm test` (it runs `npm run toolchain`) or `source scripts/env.sh`",
    );
}

export class EngineProject {
    readonly dir: string;
    readonly renderDir: string;
    private readonly env: NodeJS.ProcessEnv;

    /**
     * A project copy with stack `stack` holding `config` (`elasticell:` keys
     * without the prefix; other namespaces with theirs). `target` "render"
     * writes manifests to `renderDir`; a kubeconfig path deploys to a cluster.
     */
    constructor(
        readonly stack: string,
        config: Record<string, unknown>,
        target: "render" | { kubeconfig: string } = "render",
        source: ProgramSource = { root: ProjectRoot, files: ProgramFiles, linkLibrary: false },
    ) {
        this.dir = mkdtempSync(join(tmpdir(), "elasticell-e2e-"));
        this.renderDir = join(this.dir, "rendered");
        for (const f of source.files) {
            cpSync(join(source.root, f), join(this.dir, f), { recursive: true });
        }
        if (source.linkLibrary) {
            // The project's packages one by one, plus the library itself under its package name.
            mkdirSync(join(this.dir, "node_modules"));
            for (const entry of readdirSync(join(ProjectRoot, "node_modules"))) {
                symlinkSync(join(ProjectRoot, "node_modules", entry), join(this.dir, "node_modules", entry));
            }
            symlinkSync(ProjectRoot, join(this.dir, "node_modules", "elasticell"));
        } else {
            symlinkSync(join(ProjectRoot, "node_modules"), join(this.dir, "node_modules"));
        }
        symlinkSync(join(ProjectRoot, "policies"), join(this.dir, "policies"));
        const stackConfig: Record<string, unknown> =
            target === "render"
                ? { "kubernetes:renderYamlToDirectory": this.renderDir }
                : { "kubernetes:kubeconfig": target.kubeconfig };
        for (const [key, value] of Object.entries(config)) {
            stackConfig[key.includes(":") ? key : `elasticell:${key}`] = value;
        }
        writeFileSync(join(this.dir, `Pulumi.${stack}.yaml`), dump({ config: stackConfig }));
        mkdirSync(join(this.dir, ".state"));
        this.env = pulumiEnv(this.dir, "e2e");
    }

    /** Runs `pulumi <args>` in the project copy. */
    run(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
        return runPulumi(this.dir, { ...this.env, ...extraEnv }, args);
    }

    /** Runs and throws with the output when the command fails. */
    async ok(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
        const r = await this.run(args, extraEnv);
        if (r.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.output}`);
        }
        return r;
    }

    /** `pulumi stack init` with the passphrase secrets provider. */
    async init(): Promise<void> {
        await this.ok(["stack", "init", this.stack, "--secrets-provider", "passphrase"]);
    }

    up(extra: readonly string[] = []): Promise<RunResult> {
        return this.run(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
    }

    preview(extra: readonly string[] = []): Promise<RunResult> {
        return this.run(["preview", "--stack", this.stack, ...extra]);
    }

    setConfig(path: string, value: string): Promise<RunResult> {
        return this.ok(["config", "set", "--path", path, value, "--stack", this.stack]);
    }

    async outputs(): Promise<Record<string, unknown>> {
        return JSON.parse((await this.ok(["stack", "output", "--json", "--stack", this.stack])).stdout) as Record<
            string,
            unknown
        >;
    }

    /** Number of resources in the stack's state. */
    async resourceCount(): Promise<number> {
        const state = JSON.parse((await this.ok(["stack", "export", "--stack", this.stack])).stdout) as {
            deployment: { resources?: unknown[] };
        };
        return state.deployment.resources?.length ?? 0;
    }

    /** Every YAML document the render target wrote. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    renderedObjects(): any[] {
        const dir = join(this.renderDir, "1-manifest");
        if (!existsSync(dir)) {
            return [];
        }
        return readdirSync(dir)
            .filter((f) => f.endsWith(".yaml"))
            .flatMap((f) => loadAll(readFileSync(join(dir, f), "utf8")))
            .filter((o) => o !== null && o !== undefined);
    }

    /** The rendered object of a kind and name. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    rendered(kind: string, name: string): any {
        const found: unknown = this.renderedObjects().find(
            (o: { kind?: string; metadata?: { name?: string } }) => o.kind === kind && o.metadata?.name === name,
        );
        if (found === undefined) {
            throw new Error(`no rendered ${kind} ${name}`);
        }
        return found;
    }

    /**
     * The one-step destroy of docs/operations.md: `--ignore-protect`, because the PD and Store StatefulSets are
     * protected (the admission policy goes first, then the guard release waits until the API server stops
     * enforcing it, so the tiers' deletes are allowed; volumes stay).
     */
    async destroy(extra: readonly string[] = []): Promise<RunResult> {
        const args = ["destroy", "--yes", "--skip-preview", "--ignore-protect", "--stack", this.stack, ...extra];
        // One attempt, no retry: the guard release waits for the API server to drop the deleted policy.
        return this.run(args);
    }

    /** The URN of a resource of the stack, by type token and name. */
    async urnOf(type: string, name: string): Promise<string> {
        const state = JSON.parse((await this.ok(["stack", "export", "--stack", this.stack])).stdout) as {
            deployment: { resources?: { urn: string; type: string }[] };
        };
        const found = state.deployment.resources?.find((r) => r.type === type && r.urn.endsWith(`::${name}`));
        if (found === undefined) {
            throw new Error(`no ${type} ${name} in the state of stack ${this.stack}`);
        }
        return found.urn;
    }

    /** Destroys the stack (best effort) and deletes the copy. */
    async dispose(): Promise<void> {
        await this.destroy().catch(() => undefined);
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Runs the `pulumi` CLI once in `cwd` and collects its output (no shell, no timeout). */
export function runPulumi(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` }));
    });
}

/**
 * The environment of a `pulumi` run in a project copy under `root`: the toolchain on PATH, a file
 * backend and Pulumi home of its own under `root`, no update check or plugin download.
 */
export function pulumiEnv(root: string, passphrase: string): NodeJS.ProcessEnv {
    return {
        ...process.env,
        PATH: requireToolchain(),
        PULUMI_BACKEND_URL: `file://${join(root, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_HOME: join(root, ".pulumi-home"),
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
}
