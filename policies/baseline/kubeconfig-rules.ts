/**
 * client-go's kubeconfig rules, mirrored so the pack picks the cluster the Kubernetes provider
 * picks (the provider, pulumi-kubernetes v4 `provider.go` Configure, uses client-go v0.33
 * `tools/clientcmd`). `@kubernetes/client-node`'s `loadFromDefault` merges differently (the LAST
 * file's current-context wins, a name set by two files is an error, a missing file is an error),
 * so the files are parsed and merged here and client-node only gets the one selected entry.
 *
 * Rules, and the client-go function each mirrors:
 * - one file: `clientcmd.Load` / `LoadFromFile` (a duplicate name in one list is an error);
 *   relative paths inside a file (certificate-authority, client-certificate, client-key,
 *   token-file, an exec command containing "/") are relative to that file's directory:
 *   `ResolveLocalPaths` / `GetClusterFileReferences` / `GetAuthInfoFileReferences`;
 * - several files (KUBECONFIG list): `ClientConfigLoadingRules.Load`: the first file that sets a
 *   cluster, context or user name wins the whole entry, and current-context comes from the first
 *   file that sets it; missing files are skipped, unreadable or invalid ones are errors;
 * - selection: `DirectClientConfig.getContext` / `getCluster` / `getAuthInfo` / `ConfirmUsable`:
 *   the `context` override must exist, the `cluster` override must exist and replaces the
 *   context's cluster; a selected cluster that is entirely empty is "empty config"
 *   (`ErrEmptyCluster` -> `ErrEmptyConfig`), which lets the ambient loader fall back to in-cluster.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** A kubeconfig entry's body (`cluster:`, `context:` or `user:`), as written in the file. */
export type Entry = Readonly<Record<string, unknown>>;

/** One kubeconfig as client-go's `api.Config` holds it: named maps and the current context. */
export interface RawKubeconfig {
    readonly clusters: ReadonlyMap<string, Entry>;
    readonly contexts: ReadonlyMap<string, Entry>;
    readonly users: ReadonlyMap<string, Entry>;
    /** "" when unset. */
    readonly currentContext: string;
}

/** What the provider would connect with: the selected context, cluster and user. */
export interface Selection {
    /** The context in use ("" when none is set; the cluster may still come from an override). */
    readonly contextName: string;
    readonly clusterName: string;
    readonly cluster: Entry;
    readonly userName: string;
    /** undefined: no user (anonymous), as client-go allows. */
    readonly user: Entry | undefined;
}

/** A kubeconfig rule was broken; the message completes "cannot read the deployed state: ". */
export class KubeconfigError extends Error {}

/** The selected cluster is empty: client-go's `ErrEmptyConfig` (in-cluster may be tried). */
export class EmptyConfigError extends KubeconfigError {}

const empty: RawKubeconfig = { clusters: new Map(), contexts: new Map(), users: new Map(), currentContext: "" };

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `name` -> body of a `clusters:`/`contexts:`/`users:` list (client-go's v1 -> api conversion). */
function namedMap(list: unknown, key: string, source: string): Map<string, Entry> {
    const out = new Map<string, Entry>();
    if (!Array.isArray(list)) {
        return out;
    }
    for (const item of list) {
        const name = isObject(item) && typeof item["name"] === "string" ? item["name"] : "";
        if (out.has(name)) {
            throw new KubeconfigError(`${source} lists ${key} "${name}" twice`);
        }
        const body = isObject(item) ? item[key] : undefined;
        out.set(name, isObject(body) ? body : {});
    }
    return out;
}

/** `p` made absolute against `base` (client-go `ResolvePaths`: empty and absolute paths stay). */
function resolveIn(base: string, p: unknown): unknown {
    return typeof p === "string" && p !== "" && !path.isAbsolute(p) ? path.join(base, p) : p;
}

function withPaths(entry: Entry, base: string, keys: readonly string[]): Entry {
    const out: Record<string, unknown> = { ...entry };
    for (const k of keys) {
        if (k in out) {
            out[k] = resolveIn(base, out[k]);
        }
    }
    const exec = out["exec"];
    // GetAuthInfoFileReferences: an exec command is resolved only when it is a path, not a PATH lookup.
    if (isObject(exec) && typeof exec["command"] === "string" && exec["command"].includes("/")) {
        out["exec"] = { ...exec, command: resolveIn(base, exec["command"]) };
    }
    return out;
}

/**
 * Parses kubeconfig YAML or JSON (`clientcmd.Load`). `base` is the directory relative paths in it
 * are resolved against: the file's directory for a file, the provider's working directory for
 * contents. `source` names it in messages.
 */
export function parseKubeconfig(text: string, source: string, base: string): RawKubeconfig {
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (err) {
        throw new KubeconfigError(`${source} is not valid YAML (${(err as Error).message.split("\n")[0]})`);
    }
    if (doc === null || doc === undefined) {
        return empty;
    }
    if (!isObject(doc)) {
        throw new KubeconfigError(
            `${source} is not a kubeconfig (expected a mapping with clusters, contexts and users)`,
        );
    }
    const clusters = new Map(
        [...namedMap(doc["clusters"], "cluster", source)].map(([n, c]) => [
            n,
            withPaths(c, base, ["certificate-authority"]),
        ]),
    );
    const users = new Map(
        [...namedMap(doc["users"], "user", source)].map(([n, u]) => [
            n,
            withPaths(u, base, ["client-certificate", "client-key", "token-file"]),
        ]),
    );
    const current = doc["current-context"];
    return {
        clusters,
        contexts: namedMap(doc["contexts"], "context", source),
        users,
        currentContext: typeof current === "string" ? current : "",
    };
}

/** Reads one kubeconfig file (`clientcmd.LoadFromFile`); undefined when it does not exist. */
export function readKubeconfigFile(file: string): RawKubeconfig | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
            return undefined;
        }
        throw new KubeconfigError(
            `the kubeconfig file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
    }
    return parseKubeconfig(text, `the kubeconfig file ${file}`, path.dirname(path.resolve(file)));
}

/**
 * Merges kubeconfigs in precedence order (`ClientConfigLoadingRules.Load`): the first to set a
 * name keeps the whole entry, and the first non-empty current-context wins.
 */
export function mergeKubeconfigs(configs: readonly RawKubeconfig[]): RawKubeconfig {
    const firstWins = (pick: (c: RawKubeconfig) => ReadonlyMap<string, Entry>) => {
        const out = new Map<string, Entry>();
        for (const c of configs) {
            for (const [name, entry] of pick(c)) {
                if (!out.has(name)) {
                    out.set(name, entry);
                }
            }
        }
        return out;
    };
    return {
        clusters: firstWins((c) => c.clusters),
        contexts: firstWins((c) => c.contexts),
        users: firstWins((c) => c.users),
        currentContext: configs.find((c) => c.currentContext !== "")?.currentContext ?? "",
    };
}

/** The provider's `context` and `cluster` settings (client-go `ConfigOverrides`); "" = unset. */
export interface Overrides {
    readonly context?: string;
    readonly cluster?: string;
}

function str(v: unknown): string {
    return typeof v === "string" ? v : "";
}

/**
 * Selects context, cluster and user as `DirectClientConfig.ClientConfig` does. `confirmContext`
 * is the context `ConfirmUsable` checks for existence: the override for the ambient loader
 * (`NewInteractiveClientConfig` gets it as contextName), the file's current-context for an
 * explicit kubeconfig (`NewDefaultClientConfig` gets none).
 */
export function selectContext(config: RawKubeconfig, overrides: Overrides, confirmContext: string): Selection {
    const overrideContext = overrides.context ?? "";
    const contextName = overrideContext !== "" ? overrideContext : config.currentContext;
    const context = config.contexts.get(contextName);
    if (overrideContext !== "" && context === undefined) {
        throw new KubeconfigError(
            `the kubeconfig has no context "${overrideContext}" (the provider's context setting)`,
        );
    }
    const overrideCluster = overrides.cluster ?? "";
    const clusterName = overrideCluster !== "" ? overrideCluster : str(context?.["cluster"]);
    const cluster = config.clusters.get(clusterName);
    if (overrideCluster !== "" && cluster === undefined) {
        throw new KubeconfigError(
            `the kubeconfig has no cluster "${overrideCluster}" (the provider's cluster setting)`,
        );
    }
    const problems: string[] = [];
    if (confirmContext !== "" && !config.contexts.has(confirmContext)) {
        problems.push(`its current context "${confirmContext}" is not defined`);
    }
    const emptyCluster =
        cluster === undefined ||
        Object.values(cluster).every((v) => v === undefined || v === null || v === "" || v === false);
    if (emptyCluster && problems.length === 0) {
        throw new EmptyConfigError(
            contextName === ""
                ? "the kubeconfig sets no current context"
                : `context "${contextName}" names no cluster with a server in the kubeconfig`,
        );
    }
    if (!emptyCluster && str(cluster?.["server"]) === "") {
        problems.push(
            clusterName === "" ? "the default cluster has no server" : `cluster "${clusterName}" has no server`,
        );
    }
    if (problems.length > 0) {
        throw new KubeconfigError(`the kubeconfig is not usable: ${problems.join("; ")}`);
    }
    const userName = str(context?.["user"]);
    return { contextName, clusterName, cluster: cluster ?? {}, userName, user: config.users.get(userName) };
}
