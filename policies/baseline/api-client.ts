/**
 * The transport of the Kubernetes baseline: GET requests to the API server of a kubeconfig, each
 * with a deadline. Failures become `BaselineUnreadableError`s; after a timeout or a refused
 * connection the server counts as unreachable for the life of the client, so later reads fail
 * fast instead of waiting again.
 */
import * as http from "node:http";
import * as https from "node:https";
import { KubeconfigError, loadKubeconfig, type Connection, type KubeSettings } from "./kubeconfig";
import { BaselineUnreadableError } from "./types";

/** An HTTP answer: status and body text. */
export interface ApiResponse {
    readonly status: number;
    readonly body: string;
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

/** GETs against the API server of one kubeconfig (loaded once, on the first request). */
export class ApiClient {
    private connection: Promise<Connection> | undefined;
    private unreachable: BaselineUnreadableError | undefined;

    /**
     * @param settings provider settings selecting the kubeconfig, context and cluster
     * @param target description of the baseline, for messages
     * @param timeoutMs deadline of one request, kubeconfig auth included
     */
    constructor(
        private readonly settings: KubeSettings,
        private readonly target: string,
        private readonly timeoutMs: number,
    ) {}

    /** The loaded kubeconfig; throws `BaselineUnreadableError` when it cannot be used. */
    connect(): Promise<Connection> {
        this.connection ??= this.loadConnection();
        return this.connection;
    }

    private async loadConnection(): Promise<Connection> {
        try {
            return await loadKubeconfig(this.settings);
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
            return await Promise.race([this.send(conn, url, controller.signal), deadline]);
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

    private async send(conn: Connection, url: URL, signal: AbortSignal): Promise<ApiResponse> {
        const opts: https.RequestOptions = {};
        await conn.kc.applyToHTTPSOptions(opts);
        const headers = { ...(opts.headers as Record<string, string> | undefined), Accept: "application/json" };
        const client = url.protocol === "http:" ? http : https;
        return new Promise<ApiResponse>((resolve, reject) => {
            const req = client.request(
                url,
                { method: "GET", agent: opts.agent, headers, ...(opts.auth === undefined ? {} : { auth: opts.auth }), signal },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                    res.on("error", reject);
                },
            );
            req.on("error", reject);
            req.end();
        });
    }
}
