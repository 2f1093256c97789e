/**
 * A loopback HTTP server speaking enough of the Kubernetes API for the baseline tests, and a
 * kubeconfig pointing at it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before } from "node:test";
import { KubernetesBaseline } from "../../../policies/baseline/kubernetes";
import { BaselineUnreadableError } from "../../../policies/baseline/types";

/** A route handler. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A fake API server; `routes` maps "METHOD path" to a handler, anything else is a 404 Status.
 * With `tls` (PEM key and certificate) it speaks HTTPS.
 */
export class FakeApi {
    readonly requests: { url: string; authorization: string | undefined }[] = [];
    routes = new Map<string, Handler>();
    private readonly server: http.Server;

    constructor(private readonly tls?: { readonly key: string; readonly cert: string }) {
        const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
            this.requests.push({ url: req.url ?? "", authorization: req.headers.authorization });
            const route = this.routes.get(`${req.method} ${req.url}`);
            if (route !== undefined) {
                route(req, res);
                return;
            }
            json(res, 404, {
                kind: "Status",
                apiVersion: "v1",
                status: "Failure",
                message: `${req.url} not found`,
                reason: "NotFound",
                code: 404,
            });
        };
        this.server = tls === undefined ? http.createServer(handle) : https.createServer(tls, handle);
    }

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `${this.tls === undefined ? "http" : "https"}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/** Answers `status` with `body` as JSON. */
export function json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
}

/** A handler answering a Kubernetes `Status` failure. */
export function status(code: number, message: string): Handler {
    return (_req, res) => json(res, code, { kind: "Status", apiVersion: "v1", status: "Failure", message, code });
}

/** A kubeconfig with one cluster per server (token auth), `current` as the current context. */
export function kubeconfig(servers: Record<string, string>, current: string, token = "t0ken"): string {
    const names = Object.keys(servers);
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        ...names.flatMap((n) => [`- name: ${n}`, "  cluster:", `    server: ${servers[n]}`]),
        "users:",
        "- name: tester",
        "  user:",
        `    token: ${token}`,
        "contexts:",
        ...names.flatMap((n) => [`- name: ${n}`, "  context:", `    cluster: ${n}`, "    user: tester"]),
        `current-context: ${current}`,
        "",
    ].join("\n");
}

/** Awaits `p`, asserting it fails with a `BaselineUnreadableError` whose reason matches. */
export async function unreadable(p: Promise<unknown>, pattern: RegExp): Promise<BaselineUnreadableError> {
    try {
        await p;
    } catch (err) {
        assert.ok(err instanceof BaselineUnreadableError, String(err));
        assert.match(err.reason, pattern);
        return err;
    }
    assert.fail("expected BaselineUnreadableError");
}

/** A fake API server and a kubeconfig file pointing at it (context `fake`), for one suite. */
export class KubeconfigApi {
    readonly api = new FakeApi();
    /** The server's URL, once started. */
    server = "";
    /** A temporary directory holding the kubeconfig; removed after the suite. */
    dir = "";
    /** The kubeconfig file. */
    configFile = "";

    /** Starts the server in `before` and stops it in `after` of the calling `describe`. */
    static inSuite(): KubeconfigApi {
        const k = new KubeconfigApi();
        before(async () => {
            k.server = await k.api.start();
            k.dir = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-kube-"));
            k.configFile = path.join(k.dir, "config");
            fs.writeFileSync(k.configFile, kubeconfig({ fake: k.server }, "fake"));
        });
        after(async () => {
            await k.api.stop();
            fs.rmSync(k.dir, { recursive: true, force: true });
        });
        return k;
    }

    /** A baseline reading through `kubeconfigValue` (default: the file), as provider "k8s" would. */
    baseline(timeoutMs = 2000, kubeconfigValue: string = this.configFile, context?: string): KubernetesBaseline {
        return new KubernetesBaseline(
            { kubeconfig: kubeconfigValue, origin: 'provider "k8s"', ...(context === undefined ? {} : { context }) },
            { timeoutMs },
        );
    }
}
