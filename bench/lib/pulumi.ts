/** Runs the `pulumi` CLI once and collects its output (no shell, no timeout). */
import { spawn } from "node:child_process";
import type { RunResult } from "../../test/helpers/engine";

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
