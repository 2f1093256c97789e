/**
 * The transport of the Kubernetes baseline: GET requests to the API server of a kubeconfig. An
 * exec credential plugin, when the user has one, runs first within its own budget
 * (`execTimeoutMs`, default 30 s); then each request has the read deadline (`timeoutMs`).
 * Failures become `BaselineUnreadableError`s; after a timeout or a refused connection the server
 * counts as unreachable for the life of the client, and a failed plugin is not run again, so
 * later reads fail fast instead of waiting again.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import {
    DefaultExecTimeoutMs,
    ExecCredentialError,
    runExecPlugin,
    type Credential,
    type ExecConfig,
} from "./exec-credential";
import { KubeconfigError, loadKubeconfig, type Connection, type KubeSettings, type LoadOptions } from "./kubeconfig";
import { BaselineUnreadableError } from "./types";

/** An HTTP answer: status and body text. */
export interface ApiResponse {
    readonly status: number;
    readonly body: string;
}

/** A response callback that gathers the body as UTF-8 text and settles with it and the status. */
export function gatherResponse(
    resolve: (answer: ApiResponse) => void,
    reject: (err: Error) => void,
): (res: http.IncomingMessage) => void {
    return (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
    };
}

/** Network-level failures: the API is down for this process, later reads fail fast. */
const unreachableCodes = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EPIPE",
]);

class Timeout extends Error {}

/** Tuning of an `ApiClient`. */
export interface ApiClientOptions extends LoadOptions {
    /** Time budget of an exec credential plugin in ms; default `DefaultExecTimeoutMs`. */
    readonly execTimeoutMs?: number;
}

/** A copy of `kc` whose user carries `cred` (client-node reads PEM data base64-encoded). */
function withCredential(kc: KubeConfig, cred: Credential): KubeConfig {
    const b64 = (pem: string | undefined) =>
        pem === undefined ? {} : { data: Buffer.from(pem, "utf8").toString("base64") };
    const users = kc.getUsers().map((u) => ({
        ...u,
        ...(cred.token === undefined ? {} : { token: cred.token }),
        ...(cred.clientCertificateData === undefined ? {} : { certData: b64(cred.clientCertificateData).data }),
        ...(cred.clientKeyData === undefined ? {} : { keyData: b64(cred.clientKeyData).data }),
    }));
    const copy = new (kc.constructor as new () => KubeConfig)();
    copy.loadFromOptions({
        clusters: kc.getClusters(),
        contexts: kc.getContexts(),
        users,
        currentContext: kc.getCurrentContext(),
    });
    return copy;
}

/** GETs against the API server of one kubeconfig (loaded once, on the first request). */
export class ApiClient {
    private connection: Promise<Connection> | undefined;
    private unreachable: BaselineUnreadableError | undefined;
    private credential: { readonly promise: Promise<Credential>; expires?: number } | undefined;

    /**
     * @param settings provider settings selecting the kubeconfig, context and cluster
     * @param target description of the baseline, for messages
     * @param timeoutMs deadline of one request (after an exec plugin, which has its own budget)
     * @param options exec plugin budget, and where the kubeconfig loader looks (tests)
     */
    constructor(
        private readonly settings: KubeSettings,
        private readonly target: string,
        private readonly timeoutMs: number,
        private readonly options: ApiClientOptions = {},
    ) {}

    /** The loaded kubeconfig; throws `BaselineUnreadableError` when it cannot be used. */
    connect(): Promise<Connection> {
        this.connection ??= this.loadConnection();
        return this.connection;
    }

    private async loadConnection(): Promise<Connection> {
        try {
            return await loadKubeconfig(this.settings, this.options);
        } catch (err) {
            if (err instanceof KubeconfigError) {
                throw new BaselineUnreadableError(this.target, err.message);
            }
            throw err;
        }
    }

    /** GET `apiPath`; `where` names what is read, for messages. Any HTTP status resolves. */
    async get(conn: Connection, apiPath: string, where: string): Promise<ApiResponse> {
        if (this.unreachable !== undefined) {
            throw this.unreachable;
        }
        const kc = conn.exec === undefined ? conn.kc : withCredential(conn.kc, await this.execCredential(conn.exec));
        const url = new URL(conn.server.replace(/\/+$/, "") + apiPath);
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                controller.abort();
                reject(new Timeout());
            }, this.timeoutMs);
        });
        try {
            return await Promise.race([this.send(kc, url, controller.signal), deadline]);
        } catch (err) {
            if (err instanceof BaselineUnreadableError) {
                throw err;
            }
            const seconds = `${this.timeoutMs / 1000} s`;
            if (err instanceof Timeout) {
                this.unreachable = new BaselineUnreadableError(
                    this.target,
                    `the API server ${conn.server} did not answer within ${seconds} (reading ${where})`,
                );
                throw this.unreachable;
            }
            const code = (err as NodeJS.ErrnoException).code;
            if (code !== undefined && unreachableCodes.has(code)) {
                this.unreachable = new BaselineUnreadableError(
                    this.target,
                    `cannot reach the API server ${conn.server} (${code})`,
                );
                throw this.unreachable;
            }
            throw new BaselineUnreadableError(
                this.target,
                `reading ${where} from ${conn.server} failed (${code ?? (err as Error).message})`,
            );
        } finally {
            clearTimeout(timer);
        }
    }

    /**
     * The exec plugin's credential, run once and reused until it expires; a failure is kept, so a
     * plugin that timed out is not waited on again.
     */
    private async execCredential(exec: ExecConfig): Promise<Credential> {
        let c = this.credential;
        if (c === undefined || (c.expires !== undefined && c.expires <= Date.now())) {
            const entry: { readonly promise: Promise<Credential>; expires?: number } = {
                promise: runExecPlugin(exec, this.options.execTimeoutMs ?? DefaultExecTimeoutMs),
            };
            entry.promise.then(
                (cred) => (entry.expires = cred.expires),
                () => undefined,
            );
            this.credential = c = entry;
        }
        try {
            return await c.promise;
        } catch (err) {
            if (err instanceof ExecCredentialError) {
                throw new BaselineUnreadableError(this.target, err.message);
            }
            throw err;
        }
    }

    private async send(kc: KubeConfig, url: URL, signal: AbortSignal): Promise<ApiResponse> {
        const opts: https.RequestOptions = {};
        await kc.applyToHTTPSOptions(opts);
        const headers = { ...(opts.headers as Record<string, string> | undefined), Accept: "application/json" };
        const client = url.protocol === "http:" ? http : https;
        return new Promise<ApiResponse>((resolve, reject) => {
            const req = client.request(
                url,
                {
                    method: "GET",
                    agent: opts.agent,
                    headers,
                    ...(opts.auth === undefined ? {} : { auth: opts.auth }),
                    signal,
                },
                gatherResponse(resolve, reject),
            );
            req.on("error", reject);
            req.end();
        });
    }
}
