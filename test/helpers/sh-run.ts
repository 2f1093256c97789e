/**
 * Runs generated shell scripts with the system's /bin/sh (dash here) and a
 * PATH the test controls: a temp directory holding links to the real tools a
 * test allows (so "no curl" or "no getent" can be tested) and fake commands it
 * writes. Asynchronous, so a PD double in the same process keeps answering.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The tools of a busybox image that the scripts use (the real ones of this machine are linked). */
export const BaseTools = [
    "sh",
    "awk",
    "sed",
    "tr",
    "grep",
    "cat",
    "date",
    "sleep",
    "head",
    "tail",
    "wc",
    "hostname",
    "printf",
    "echo",
] as const;

/** What a script run returned. */
export interface ShResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/** A PATH directory with chosen real tools and fake commands; `dispose()` removes it. */
export class ShSandbox {
    readonly dir: string;
    readonly bin: string;

    /** @param tools real tools to link into the PATH (looked up in /usr/bin and /bin). */
    constructor(tools: readonly string[]) {
        this.dir = mkdtempSync(join(tmpdir(), "elasticell-sh-"));
        this.bin = join(this.dir, "bin");
        mkdirSync(this.bin);
        for (const tool of tools) {
            const real = ["/usr/bin", "/bin"].map((d) => join(d, tool)).find((p) => existsSync(p));
            if (real === undefined) {
                throw new Error(`${tool} is not installed on this machine`);
            }
            symlinkSync(real, join(this.bin, tool));
        }
    }

    /** Writes an executable fake command (a sh script body) into the PATH directory. */
    fake(name: string, body: string): void {
        const p = join(this.bin, name);
        // Replace a link to a real tool, never write through it.
        rmSync(p, { force: true });
        writeFileSync(p, `#!/bin/sh\n${body}\n`, { flag: "wx" });
        chmodSync(p, 0o755);
    }

    /** Writes a file in the sandbox (creating its directories); returns its path. */
    file(name: string, content: string): string {
        const p = join(this.dir, name);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content);
        return p;
    }

    /** Runs `sh <script>` with only the sandbox on PATH and the given env. */
    run(script: string, env: Readonly<Record<string, string>> = {}, timeoutMs = 60_000): Promise<ShResult> {
        const path = this.file(`script-${Date.now()}-${Math.random().toString(16).slice(2)}.sh`, script);
        const started = Date.now();
        return new Promise((resolve, reject) => {
            const child = spawn(join(this.bin, "sh"), [path], {
                env: { PATH: this.bin, HOME: this.dir, ...env },
                stdio: "pipe",
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
            child.on("error", reject);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
            });
        });
    }

    /** Removes the sandbox directory. */
    dispose(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}
