/**
 * The drain provider's connection to the API server (`provider.ts`): the kubeconfig read as
 * client-go reads its common cases, and one HTTP request. Serialized into the state with the
 * provider, so it follows the same rule: modules are required when the functions run.
 */
import type { DrainAccess } from "./drain-types";

/* eslint-disable @typescript-eslint/no-require-imports -- the engine serializes these functions into the state:
   a module is required when they run (an import binding would be serialized as a copied namespace object). */
/** The Node built-ins and packages the provider uses, required when it runs. */
export function modules() {
    return {
        fs: require("fs") as typeof import("fs"),
        path: require("path") as typeof import("path"),
        os: require("os") as typeof import("os"),
        cp: require("child_process") as typeof import("child_process"),
        https: require("https") as typeof import("https"),
        http: require("http") as typeof import("http"),
        yaml: require("js-yaml") as typeof import("js-yaml"),
        isEqual: require("lodash/isEqual") as typeof import("lodash/isEqual"),
    };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A kubeconfig user's fields the drain reads (client-go's common cases). */
interface KubeUser {
    readonly [key: string]: unknown;
    readonly exec?: {
        readonly command: string;
        readonly args?: string[];
        readonly env?: { readonly name: string; readonly value: string }[];
    };
}

/** An API server and the TLS options and headers that authenticate to it. */
export interface Conn {
    readonly server: string;
    readonly tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
    readonly headers: Record<string, string>;
}

/** The API server and credentials of a kubeconfig, as client-go reads the common cases. */
export function connect(access: DrainAccess): Conn {
    const { fs, path, os, yaml, cp } = modules();
    let text: string;
    let base = process.cwd();
    const given = access.kubeconfig ?? "";
    if (given !== "" && !fs.existsSync(given)) {
        text = given;
    } else {
        const file =
            given !== ""
                ? given
                : ((process.env["KUBECONFIG"] ?? "").split(":").find((f) => f !== "" && fs.existsSync(f)) ??
                  path.join(os.homedir(), ".kube", "config"));
        text = fs.readFileSync(file, "utf8");
        base = path.dirname(file);
    }
    type Named<T> = { name: string } & T;
    const kc = (yaml.load(text) ?? {}) as Record<string, unknown>;
    const find = <T>(list: unknown, name: unknown): T | undefined =>
        ((list as Named<T>[] | undefined) ?? []).find((x) => x.name === name);
    const ctxName = access.context ?? (kc["current-context"] as string | undefined);
    const ctx = find<{ context: { cluster: string; user: string } }>(kc["contexts"], ctxName)?.context;
    if (ctx === undefined) {
        throw new Error(`the kubeconfig has no context "${ctxName ?? ""}"`);
    }
    const cluster = find<{ cluster: Record<string, string | boolean> }>(kc["clusters"], ctx.cluster)?.cluster ?? {};
    const user = find<{ user: KubeUser }>(kc["users"], ctx.user)?.user ?? {};
    const file = (p: string) => fs.readFileSync(path.isAbsolute(p) ? p : path.join(base, p));
    const data = (obj: Readonly<Record<string, unknown>>, key: string): Buffer | undefined => {
        const inline = obj[`${key}-data`];
        const path = obj[key];
        return typeof inline === "string"
            ? Buffer.from(inline, "base64")
            : typeof path === "string"
              ? file(path)
              : undefined;
    };
    const headers: Record<string, string> = {};
    let cert = data(user, "client-certificate");
    let key = data(user, "client-key");
    const [tokenValue, tokenFile] = [user["token"], user["tokenFile"]];
    let token =
        typeof tokenValue === "string"
            ? tokenValue
            : typeof tokenFile === "string"
              ? file(tokenFile).toString("utf8").trim()
              : undefined;
    if (user.exec !== undefined) {
        const exec = user.exec;
        const env = {
            ...process.env,
            ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])),
        };
        const out = JSON.parse(
            cp.execFileSync(exec.command, exec.args ?? [], { env, timeout: 30_000, encoding: "utf8" }),
        ) as { status?: Record<string, string> };
        token = out.status?.["token"] ?? token;
        cert =
            out.status?.["clientCertificateData"] === undefined
                ? cert
                : Buffer.from(out.status["clientCertificateData"]);
        key = out.status?.["clientKeyData"] === undefined ? key : Buffer.from(out.status["clientKeyData"]);
    }
    if (token !== undefined) {
        headers["Authorization"] = `Bearer ${token}`;
    } else if (typeof user["username"] === "string") {
        const password = typeof user["password"] === "string" ? user["password"] : "";
        headers["Authorization"] = `Basic ${Buffer.from(`${user["username"]}:${password}`).toString("base64")}`;
    }
    return {
        server: String(cluster["server"] ?? "").replace(/\/+$/, ""),
        tls: {
            ca: data(cluster, "certificate-authority"),
            cert,
            key,
            rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
        },
        headers,
    };
}

/** One HTTP request with a 10 s deadline. */
export function send(
    url: string,
    method: string,
    conn: Conn | undefined,
    body?: { type: string; text: string },
): Promise<{ status: number; body: string }> {
    const u = new URL(url);
    const { https, http } = modules();
    const client = u.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const headers: Record<string, string> = {
            Accept: "application/json",
            ...(conn?.headers ?? {}),
            ...(body === undefined ? {} : { "Content-Type": body.type }),
        };
        const req = client.request(u, { method, headers, timeout: 10_000, ...(conn?.tls ?? {}) }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("timeout", () => req.destroy(new Error(`${method} ${u.pathname}: no answer within 10 s`)));
        req.on("error", reject);
        req.end(body?.text);
    });
}

/** Kubernetes API call; 404 answers undefined. */
export async function kube(conn: Conn, method: string, path: string, patch?: unknown): Promise<unknown> {
    const res = await send(
        `${conn.server}${path}`,
        method,
        conn,
        patch === undefined ? undefined : { type: "application/merge-patch+json", text: JSON.stringify(patch) },
    );
    if (res.status === 404) {
        return undefined;
    }
    if (res.status >= 300) {
        throw new Error(`${method} ${path} failed with HTTP ${res.status}: ${res.body.slice(0, 200).trim()}`);
    }
    return JSON.parse(res.body);
}
