/**
 * In-cluster configuration, as client-go builds it (`inClusterClientConfig.Possible` and
 * `rest.InClusterConfig`, v0.33): possible when KUBERNETES_SERVICE_HOST and
 * KUBERNETES_SERVICE_PORT are set and the service-account token file exists; the server is always
 * `https://host:port` (client-node would use http for ports 80/8080/8001; client-go does not), the
 * token is the file's, and the CA is the service account's `ca.crt` when it is readable.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { Selection } from "./kubeconfig-rules";

/** Where client-go reads the service-account token and CA; fixed in client-go. */
export const ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

/** client-go `inClusterClientConfig.Possible`. `dir` replaces `ServiceAccountDir` (tests only). */
export function inClusterPossible(dir: string = ServiceAccountDir): boolean {
    const host = process.env["KUBERNETES_SERVICE_HOST"] ?? "";
    const port = process.env["KUBERNETES_SERVICE_PORT"] ?? "";
    if (host === "" || port === "") {
        return false;
    }
    try {
        return !fs.statSync(path.join(dir, "token")).isDirectory();
    } catch {
        return false;
    }
}

/** The in-cluster connection as a kubeconfig selection (client-go `rest.InClusterConfig`). */
export function inClusterSelection(dir: string = ServiceAccountDir): Selection {
    const host = process.env["KUBERNETES_SERVICE_HOST"] ?? "";
    const port = process.env["KUBERNETES_SERVICE_PORT"] ?? "";
    // net.JoinHostPort: an IPv6 address is bracketed.
    const server = `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const ca = path.join(dir, "ca.crt");
    return {
        contextName: "in-cluster",
        clusterName: "in-cluster",
        cluster: { server, ...(fs.existsSync(ca) ? { "certificate-authority": ca } : {}) },
        userName: "in-cluster",
        user: { "token-file": path.join(dir, "token") },
    };
}
