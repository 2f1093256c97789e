/**
 * What `npm run status` and `npm run audit` know about a stack without running the program: its
 * outputs (`pulumi stack output --json`) and config (`pulumi config --json`), read with the
 * `pulumi` CLI on PATH from the project directory (scripts/operate.sh puts the toolchain there
 * and points Pulumi at the project's backend, as scripts/deploy.sh does).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

/** The repository root: the project directory by default. */
export const RepoRoot = path.join(__dirname, "..", "..");

/** The tier kinds, in the order the cluster brings them up. */
export const Tiers = ["pd", "store", "proxy"] as const;
export type TierKind = (typeof Tiers)[number];

/** One tier as the stack's last `pulumi up` left it (the `pd`/`store`/`proxy` outputs). */
export interface StackTier {
    readonly statefulSet: string;
    /** The replicas the stack asks for. */
    readonly replicas: number;
    readonly image: string;
}

/** Where a stack's cluster is and how to reach it. */
export interface StackInfo {
    readonly stack: string;
    readonly projectDir: string;
    readonly namespace: string;
    readonly cluster: string;
    readonly tiers: Readonly<Record<TierKind, StackTier>>;
    /** Provider settings from stack config `kubernetes:*` (undefined: the ambient kubeconfig). */
    readonly kube: { readonly kubeconfig?: string; readonly context?: string; readonly cluster?: string };
    /** Config `pd.apiUrl`: PD's client URL instead of the API server's service proxy. */
    readonly pdApiUrl?: string;
}

/** Output of one command. */
export interface CommandResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `pulumi <args> --non-interactive` in `cwd`; never rejects on a non-zero exit. */
export function runPulumi(args: readonly string[], cwd: string): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd, env: process.env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        child.on("error", (err: NodeJS.ErrnoException) =>
            reject(
                err.code === "ENOENT"
                    ? new Error(
                          "pulumi is not on PATH: run this through `npm run status` / `npm run audit`, or `source scripts/env.sh`",
                      )
                    : err,
            ),
        );
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}

async function pulumiJson(args: readonly string[], cwd: string): Promise<unknown> {
    const r = await runPulumi(args, cwd);
    if (r.code !== 0) {
        const text = r.stderr.trim() || r.stdout.trim();
        const hint = /no stack named|unable to open state directory/.test(text)
            ? " (deploy the stack first: npm run deploy -- <stack>)"
            : "";
        throw new Error(`pulumi ${args.join(" ")} failed: ${text}${hint}`);
    }
    return JSON.parse(r.stdout) as unknown;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** Parses the outputs and config JSON of a stack (pure; exported for tests). */
export function stackInfoFrom(stack: string, projectDir: string, outputs: unknown, config: unknown): StackInfo {
    const out = (outputs ?? {}) as Record<string, unknown>;
    const cfg = (config ?? {}) as Record<string, { value?: unknown; objectValue?: unknown } | undefined>;
    const namespace = str(out["namespace"]);
    const cluster = str(out["clusterName"]);
    if (namespace === undefined || cluster === undefined) {
        throw new Error(
            `stack ${stack} has no namespace/clusterName outputs: deploy it first (npm run deploy -- ${stack})`,
        );
    }
    const tier = (kind: TierKind): StackTier => {
        const t = (out[kind] ?? {}) as Record<string, unknown>;
        const statefulSet = str(t["statefulSet"]);
        if (statefulSet === undefined || typeof t["replicas"] !== "number") {
            throw new Error(
                `stack ${stack} has no ${kind} output (statefulSet, replicas): deploy it with this version first`,
            );
        }
        return { statefulSet, replicas: t["replicas"], image: str(t["image"]) ?? "" };
    };
    const value = (key: string) => str(cfg[key]?.value);
    const pd = cfg["elasticell:pd"]?.objectValue as { apiUrl?: unknown } | undefined;
    const pdApiUrl = str(pd?.apiUrl);
    const kubeconfig = value("kubernetes:kubeconfig");
    const context = value("kubernetes:context");
    const kcluster = value("kubernetes:cluster");
    return {
        stack,
        projectDir,
        namespace,
        cluster,
        tiers: { pd: tier("pd"), store: tier("store"), proxy: tier("proxy") },
        kube: {
            ...(kubeconfig === undefined ? {} : { kubeconfig }),
            ...(context === undefined ? {} : { context }),
            ...(kcluster === undefined ? {} : { cluster: kcluster }),
        },
        ...(pdApiUrl === undefined ? {} : { pdApiUrl }),
    };
}

/**
 * Reads stack `stack` of the project in `projectDir`. The config is read with `--show-secrets`
 * because a secret kubeconfig is still the one to use; nothing read here is printed.
 */
export async function readStack(stack: string, projectDir: string): Promise<StackInfo> {
    const [outputs, config] = await Promise.all([
        pulumiJson(["stack", "output", "--json", "--stack", stack], projectDir),
        pulumiJson(["config", "--json", "--show-secrets", "--stack", stack], projectDir),
    ]);
    return stackInfoFrom(stack, projectDir, outputs, config);
}

/** Command-line options shared by the tools: `[<stack>] [--json] [--cwd <dir>]`. */
export interface CliOptions {
    readonly stack: string;
    readonly json: boolean;
    readonly projectDir: string;
}

/** Parses `argv` (without node and the script); throws on an unknown flag. */
export function parseCli(argv: readonly string[], usage: string): CliOptions {
    let stack: string | undefined;
    let json = false;
    let projectDir = RepoRoot;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--json") {
            json = true;
        } else if (a === "--cwd" && argv[i + 1] !== undefined) {
            projectDir = path.resolve(argv[++i]);
        } else if (a.startsWith("-") || stack !== undefined) {
            throw new Error(`unexpected argument ${a}\nusage: ${usage}`);
        } else {
            stack = a;
        }
    }
    return { stack: stack ?? "dev", json, projectDir };
}
