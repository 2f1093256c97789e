/** What the figures were measured on: machine, load, tool versions. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Machine {
    readonly date: string;
    readonly cpuModel: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly node: string;
    readonly pulumi: string;
    readonly provider: string;
    readonly npmPackages: string;
    readonly versionsEnv: string;
}

function cpuModel(): string {
    try {
        const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
        return m?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
    } catch {
        return os.cpus()[0]?.model ?? "unknown";
    }
}

async function firstLine(cmd: string, args: readonly string[]): Promise<string | undefined> {
    try {
        const { stdout, stderr } = await run(cmd, args, { timeout: 20_000 });
        return `${stdout}${stderr}`.trim().split("\n")[0];
    } catch {
        return undefined;
    }
}

function packageVersion(root: string, name: string): string {
    try {
        return (
            JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as {
                version: string;
            }
        ).version;
    } catch {
        return "not installed";
    }
}

/** The non-comment lines of toolchain/versions.env, joined. */
function versionsEnv(root: string): string {
    try {
        return fs
            .readFileSync(path.join(root, "toolchain", "versions.env"), "utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l !== "" && !l.startsWith("#"))
            .join(", ");
    } catch {
        return "toolchain/versions.env not found";
    }
}

/** The first `name` on PATH. */
function onPath(name: string): string | undefined {
    for (const dir of (process.env["PATH"] ?? "").split(":")) {
        const file = path.join(dir, name);
        if (dir !== "" && fs.existsSync(file)) {
            return file;
        }
    }
    return undefined;
}

/** The provider binary has no version flag: its version is the one it was stamped with at build. */
function providerVersion(root: string): string {
    const bin = onPath("pulumi-resource-kubernetes");
    if (bin === undefined) {
        return "not on PATH";
    }
    const pinned = /^KUBERNETES_PROVIDER_VERSION=(\S+)/m.exec(
        fs.readFileSync(path.join(root, "toolchain", "versions.env"), "utf8"),
    )?.[1];
    return `${pinned ?? "unknown"} (stamped at build from toolchain/versions.env; binary ${bin})`;
}

export async function describeMachine(root: string): Promise<Machine> {
    const pulumi = (await firstLine("pulumi", ["version"])) ?? "not on PATH";
    const provider = providerVersion(root);
    return {
        date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        cpuModel: cpuModel(),
        cores: os.cpus().length,
        memoryGiB: os.totalmem() / 2 ** 30,
        node: process.version,
        pulumi,
        provider,
        npmPackages: [
            `@pulumi/pulumi ${packageVersion(root, "@pulumi/pulumi")}`,
            `@pulumi/kubernetes ${packageVersion(root, "@pulumi/kubernetes")}`,
            `@pulumi/policy ${packageVersion(path.join(root, "policies"), "@pulumi/policy")}`,
            `@kubernetes/client-node ${packageVersion(path.join(root, "policies"), "@kubernetes/client-node")}`,
        ].join(", "),
        versionsEnv: versionsEnv(root),
    };
}

/** Load averages (1, 5, 15 min) sampled at named points of the run. */
export class LoadLog {
    readonly points: { readonly at: string; readonly load: readonly number[] }[] = [];

    sample(at: string): void {
        this.points.push({ at, load: os.loadavg() });
    }

    /** Highest 1-minute load average seen. */
    max(): number {
        return Math.max(...this.points.map((p) => p.load[0] ?? 0));
    }
}
