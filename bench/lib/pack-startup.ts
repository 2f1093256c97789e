/**
 * Where the policy pack's start-up goes, in fresh processes started as the language host starts
 * them: `node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>` in the pack directory, until
 * the analyzer server prints its port (the engine waits for that line before it runs the program).
 * A `--require` hook marks the time at which each stage starts; the process exits at the port.
 * Also: `@pulumi/policy`'s import with and without policies/loader/defer.js, and the pack started by plain
 * `node <pack dir>` (what a language host that skipped run-policy-pack would pay).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { progress } from "./measure";

/** Stage marks (ms since the process started) written by the hook as one JSON line on stderr. */
const Hook = `
const { performance } = require("perf_hooks");
const Module = require("module");
const marks = { hook: performance.now() };
const keys = { typescript: "typescript", "ts-node": "tsnode", "@pulumi/policy": "policy" };
keys[process.env.ELASTICELL_BENCH_PACK_DIR] = "main";
const load = Module._load;
Module._load = function (request) {
    const key = keys[request];
    if (key === undefined || marks[key + "Start"] !== undefined) return load.apply(this, arguments);
    marks[key + "Start"] = performance.now();
    try { return load.apply(this, arguments); } finally { marks[key + "End"] = performance.now(); }
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
    marks.listening = performance.now();
    write(chunk, ...rest);
    process.stderr.write("ELASTICELL_MARKS " + JSON.stringify(marks) + "\\n", () => process.exit(0));
    return true;
};
`;

/** One start of the pack, split into stages (ms). */
export interface StartupSample {
    /** Process start until the first script runs (Node.js itself). */
    readonly node: number;
    /** run-policy-pack's own imports (source maps, gRPC, SDK settings) before it loads TypeScript. */
    readonly bootstrap: number;
    /** `typescript` and `ts-node`, loaded and registered by run-policy-pack whatever the pack is written in. */
    readonly typescript: number;
    /** The pack's entry before its first import: deferring imports, the bin/ freshness check. */
    readonly entry: number;
    /** `@pulumi/policy` and the `@pulumi/pulumi` it loads. */
    readonly sdk: number;
    /** The pack's rules, the PolicyPack and its gRPC server, until the port is printed. */
    readonly rulesAndServer: number;
    readonly total: number;
}

export interface PackStartupFigures {
    readonly samples: readonly StartupSample[];
    /** Wall time from spawn to the port line: through run-policy-pack, and `node <pack dir>` directly. */
    readonly viaRunPolicyPackMs: readonly number[];
    readonly directMs: readonly number[];
    /** `require("@pulumi/policy")` after what run-policy-pack loads first, with and without policies/loader/defer.js. */
    readonly sdkImportDeferredMs: readonly number[];
    readonly sdkImportEagerMs: readonly number[];
}

const run = promisify(execFile);

/** Spawns `args` in `cwd` and resolves with the wall time to the first stdout data and the stderr so far. */
function untilFirstLine(
    args: readonly string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
): Promise<{ ms: number; stderr: string }> {
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(process.execPath, args, { cwd, env });
        let stderr = "";
        let ms: number | undefined;
        child.stderr.on("data", (d) => (stderr += String(d)));
        child.stdout.once("data", () => {
            ms = performance.now() - t0;
            setTimeout(() => child.kill(), 200);
        });
        child.on("error", reject);
        child.on("close", (code) =>
            ms === undefined
                ? reject(new Error(`the pack exited with ${code} before printing its port:\n${stderr}`))
                : resolve({ ms, stderr }),
        );
    });
}

function stages(m: Record<string, number>): StartupSample {
    const need = (k: string) => {
        const v = m[k];
        if (v === undefined) {
            throw new Error(`pack start-up: no mark ${k} in ${JSON.stringify(m)}`);
        }
        return v;
    };
    return {
        node: need("hook"),
        bootstrap: need("typescriptStart") - need("hook"),
        typescript: need("mainStart") - need("typescriptStart"),
        entry: need("policyStart") - need("mainStart"),
        sdk: need("policyEnd") - need("policyStart"),
        rulesAndServer: need("listening") - need("policyEnd"),
        total: need("listening"),
    };
}

const ImportScript = `
const { performance } = require("perf_hooks");
const dir = process.argv[1];
const r = (m) => require(require.resolve(m, { paths: [dir] }));
r("typescript"); r("ts-node"); r("@pulumi/pulumi/runtime/settings");
if (process.argv[2] === "deferred") require(dir + "/loader/defer.js").deferUnusedImports(dir);
const t0 = performance.now();
r("@pulumi/policy");
console.log(performance.now() - t0);
`;

/** `reps` rounds, each: one marked start via run-policy-pack, one direct start, one import of each kind. */
export async function measurePackStartup(packDir: string, reps: number): Promise<PackStartupFigures> {
    const runner = createRequire(join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const hookDir = mkdtempSync(join(tmpdir(), "elasticell-bench-hook-"));
    const hook = join(hookDir, "hook.js");
    writeFileSync(hook, Hook);
    const env = { ...process.env, ELASTICELL_BENCH_PACK_DIR: packDir };
    const samples: StartupSample[] = [];
    const viaRunPolicyPackMs: number[] = [];
    const directMs: number[] = [];
    const sdkImportDeferredMs: number[] = [];
    const sdkImportEagerMs: number[] = [];
    try {
        // A current bin/, so no sample pays for a transpile.
        await run(process.execPath, [join(packDir, "loader", "build.js"), "transpile"]);
        for (let rep = 1; rep <= reps; rep++) {
            const marked = await untilFirstLine(["--require", hook, runner, "127.0.0.1:1", packDir], packDir, env);
            const line = /ELASTICELL_MARKS (.*)/.exec(marked.stderr);
            if (line === null) {
                throw new Error(`pack start-up: no marks on stderr:\n${marked.stderr}`);
            }
            samples.push(stages(JSON.parse(line[1]) as Record<string, number>));
            viaRunPolicyPackMs.push((await untilFirstLine([runner, "127.0.0.1:1", packDir], packDir, process.env)).ms);
            directMs.push((await untilFirstLine([packDir], packDir, process.env)).ms);
            for (const mode of ["deferred", "eager"] as const) {
                const r = await run(process.execPath, ["-e", ImportScript, packDir, mode]);
                (mode === "deferred" ? sdkImportDeferredMs : sdkImportEagerMs).push(Number(r.stdout.trim()));
            }
            progress(
                `pack start-up ${rep}/${reps}: ${samples[samples.length - 1].total.toFixed(0)} ms to the port (marked), direct ${directMs[directMs.length - 1].toFixed(0)} ms`,
            );
        }
    } finally {
        rmSync(hookDir, { recursive: true, force: true });
    }
    return { samples, viaRunPolicyPackMs, directMs, sdkImportDeferredMs, sdkImportEagerMs };
}
