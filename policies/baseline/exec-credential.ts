/**
 * Exec credential plugins (`users[].user.exec` in a kubeconfig: aws eks get-token, gke-gcloud-
 * auth-plugin, kubelogin...), run as client-go runs them (`plugin/pkg/client/auth/exec`): the
 * command with its args, the process environment plus the config's `env` and
 * KUBERNETES_EXEC_INFO, and an `ExecCredential` of the configured apiVersion on stdout carrying a
 * token or a client certificate and key. Unlike client-node's runner, a plugin has a time budget
 * of its own (a login can take a while; a prompt nobody answers must not hang the pack), and is
 * killed with its process group when the budget is spent.
 */
import { spawn } from "node:child_process";

/** Default time budget of an exec credential plugin, separate from the API read deadline. */
export const DefaultExecTimeoutMs = 30_000;

/** An exec plugin as configured in the kubeconfig. */
export interface ExecConfig {
    readonly command: string;
    readonly args: readonly string[];
    readonly env: readonly { readonly name: string; readonly value: string }[];
    readonly apiVersion: string;
    /** The kubeconfig user it belongs to, for messages. */
    readonly user: string;
}

/** What a plugin returned. */
export interface Credential {
    readonly token?: string;
    readonly clientCertificateData?: string;
    readonly clientKeyData?: string;
    /** ms since the epoch; undefined = valid for the life of the process. */
    readonly expires?: number;
}

/** The plugin failed; the message completes "cannot read the deployed state: ". */
export class ExecCredentialError extends Error {}

/** The exec config of a kubeconfig user (`user.exec`), or undefined when it has none. */
export function execConfigOf(raw: unknown, user: string): ExecConfig | undefined {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return undefined;
    }
    const e = raw as Record<string, unknown>;
    const args = Array.isArray(e["args"]) ? e["args"].filter((a): a is string => typeof a === "string") : [];
    const env = Array.isArray(e["env"])
        ? e["env"].flatMap((v: unknown) => {
              const item = v as { name?: unknown; value?: unknown } | null;
              return item !== null && typeof item.name === "string" && typeof item.value === "string"
                  ? [{ name: item.name, value: item.value }]
                  : [];
          })
        : [];
    return {
        command: typeof e["command"] === "string" ? e["command"] : "",
        args,
        env,
        apiVersion: typeof e["apiVersion"] === "string" ? e["apiVersion"] : "",
        user,
    };
}

function firstLine(s: string): string {
    return s.trim().split("\n")[0] ?? "";
}

/** Parses the plugin's stdout as client-go does (`ExecCredential` of the configured apiVersion). */
function parseCredential(exec: ExecConfig, stdout: string, what: string): Credential {
    let doc: { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
    try {
        doc = JSON.parse(stdout) as typeof doc;
    } catch {
        throw new ExecCredentialError(`${what} printed something that is not an ExecCredential (JSON) on stdout`);
    }
    if (doc === null || typeof doc !== "object" || doc.kind !== "ExecCredential") {
        throw new ExecCredentialError(`${what} printed something that is not an ExecCredential`);
    }
    if (exec.apiVersion !== "" && doc.apiVersion !== exec.apiVersion) {
        throw new ExecCredentialError(
            `${what} is configured for ${exec.apiVersion} but returned ${String(doc.apiVersion)}`,
        );
    }
    const s = doc.status;
    if (s === undefined || s === null || typeof s !== "object") {
        throw new ExecCredentialError(`${what} returned no status`);
    }
    const str = (k: string) => (typeof s[k] === "string" && s[k] !== "" ? s[k] : undefined);
    const token = str("token");
    const cert = str("clientCertificateData");
    const key = str("clientKeyData");
    if (token === undefined && (cert === undefined || key === undefined)) {
        throw new ExecCredentialError(`${what} returned neither a token nor a client certificate and key`);
    }
    const exp = str("expirationTimestamp");
    const expires = exp === undefined ? undefined : Date.parse(exp);
    return {
        ...(token === undefined ? {} : { token }),
        ...(cert === undefined ? {} : { clientCertificateData: cert }),
        ...(key === undefined ? {} : { clientKeyData: key }),
        ...(expires === undefined || Number.isNaN(expires) ? {} : { expires }),
    };
}

/**
 * Runs the plugin within `timeoutMs`; rejects with `ExecCredentialError` when it cannot start,
 * fails, prints no usable credential or runs out of time (then it is killed).
 */
export function runExecPlugin(exec: ExecConfig, timeoutMs: number): Promise<Credential> {
    const what = `the exec credential plugin "${exec.command}" of kubeconfig user "${exec.user}"`;
    if (exec.command === "") {
        return Promise.reject(
            new ExecCredentialError(`kubeconfig user "${exec.user}" has an exec section without a command`),
        );
    }
    const info = { kind: "ExecCredential", apiVersion: exec.apiVersion, spec: { interactive: false } };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const { name, value } of exec.env) {
        env[name] = value;
    }
    return new Promise<Credential>((resolve, reject) => {
        // Its own process group, so a timeout kills what the plugin started too.
        const child = spawn(exec.command, [...exec.args], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        let stdout = "";
        let stderr = "";
        let settled = false;
        const finish = (f: () => void) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                f();
            }
        };
        const timer = setTimeout(() => {
            try {
                process.kill(-(child.pid ?? 0), "SIGKILL");
            } catch {
                child.kill("SIGKILL");
            }
            finish(() =>
                reject(
                    new ExecCredentialError(
                        `${what} did not finish within ${timeoutMs / 1000} s (killed); it may be waiting for a login or a prompt ` +
                            "nobody can answer here: run it by hand (or log in, e.g. `aws sso login`, `gcloud auth login`), then retry",
                    ),
                ),
            );
        }, timeoutMs);
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", (err: NodeJS.ErrnoException) =>
            finish(() =>
                reject(
                    new ExecCredentialError(
                        `${what} cannot be run (${err.code ?? err.message}); is it installed and on PATH?`,
                    ),
                ),
            ),
        );
        child.on("close", (code) =>
            finish(() => {
                if (code !== 0) {
                    const detail = firstLine(stderr);
                    reject(
                        new ExecCredentialError(
                            `${what} failed (exit ${String(code)}${detail === "" ? "" : `: ${detail}`})`,
                        ),
                    );
                    return;
                }
                try {
                    resolve(parseCredential(exec, stdout, what));
                } catch (err) {
                    reject(err instanceof Error ? err : new Error(String(err)));
                }
            }),
        );
    });
}
