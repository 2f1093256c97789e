/**
 * Loading the kubeconfig the way the Kubernetes provider does: its `kubeconfig` input is a path
 * or the contents; without it, the ambient kubeconfig (KUBECONFIG, possibly several files merged,
 * then ~/.kube/config, then in-cluster). `context` picks the context, `cluster` overrides the
 * context's cluster. `@kubernetes/client-node` (ESM) is imported only when a cluster is read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { findProjectDir } from "./project-dir";

/** Provider settings that select the API server and credentials. */
export interface KubeSettings {
    /** kubeconfig path or contents; undefined = ambient kubeconfig. */
    readonly kubeconfig?: string;
    readonly context?: string;
    readonly cluster?: string;
}

/** A loaded kubeconfig, its API server and the context in use. */
export interface Connection {
    readonly kc: KubeConfig;
    readonly server: string;
    readonly context: string;
}

/** The kubeconfig cannot be used; the message completes "cannot read the deployed state: ". */
export class KubeconfigError extends Error {}

/**
 * A kubeconfig path as the provider reads it: `~` is the home directory, and
 * a relative path is relative to the Pulumi project (the provider runs
 * there; this pack runs in its own directory).
 */
function expandPath(p: string): string {
    if (p === "~" || p.startsWith("~/")) {
        return path.join(os.homedir(), p.slice(1));
    }
    return path.isAbsolute(p) ? p : path.resolve(findProjectDir(), p);
}

/** Kubeconfig contents are multi-line YAML or JSON; anything else is taken as a path. */
function isPath(value: string): boolean {
    return !value.includes("\n") && !value.trimStart().startsWith("{");
}

function fail(reason: string): never {
    throw new KubeconfigError(reason);
}

/** Loads the kubeconfig for `settings`; throws `KubeconfigError` saying what is wrong. */
export async function loadKubeconfig(settings: KubeSettings): Promise<Connection> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    const { kubeconfig, context, cluster } = settings;
    try {
        if (kubeconfig !== undefined) {
            if (isPath(kubeconfig)) {
                const file = expandPath(kubeconfig);
                if (!fs.existsSync(file)) {
                    fail(`the kubeconfig file ${file} does not exist`);
                }
                kc.loadFromFile(file);
            } else {
                kc.loadFromString(kubeconfig);
            }
        } else {
            const env = process.env["KUBECONFIG"];
            const home = path.join(os.homedir(), ".kube", "config");
            const inCluster = process.env["KUBERNETES_SERVICE_HOST"] !== undefined;
            if ((env === undefined || env === "") && !fs.existsSync(home) && !inCluster) {
                fail(`no kubeconfig: KUBECONFIG is not set and ${home} does not exist`);
            }
            kc.loadFromDefault();
        }
    } catch (err) {
        if (err instanceof KubeconfigError) {
            throw err;
        }
        fail(`the kubeconfig cannot be loaded (${(err as Error).message.split("\n")[0]})`);
    }
    if (context !== undefined) {
        if (kc.getContextObject(context) === null) {
            fail(`the kubeconfig has no context "${context}"`);
        }
        kc.setCurrentContext(context);
    }
    const current = kc.getCurrentContext();
    const contexts = kc.getContexts().map((c) => (c.name === current && cluster !== undefined ? { ...c, cluster } : c));
    // Plain-HTTP servers have no TLS to verify; client-node refuses them otherwise, client-go does not.
    const clusters = kc.getClusters().map((c) => (c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c));
    kc.loadFromOptions({ clusters, contexts, users: kc.getUsers(), currentContext: current });
    const server = kc.getCurrentCluster()?.server;
    if (server === undefined || server === "") {
        fail(current === "" ? "the kubeconfig has no current context" : `context "${current}" names no cluster with a server in the kubeconfig`);
    }
    return { kc, server, context: current };
}
