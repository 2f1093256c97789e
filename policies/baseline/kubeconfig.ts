/**
 * Finding the cluster and credentials exactly as the Kubernetes provider does (pulumi-kubernetes
 * v4 `provider.go` Configure, client-go v0.33 `tools/clientcmd`; the rules themselves are in
 * `kubeconfig-rules.ts`):
 * - provider `kubeconfig` set (stack config `kubernetes:kubeconfig` or an explicit provider's
 *   input): `parseKubeconfigString`: `~` and `~/` are the user's home from the password database
 *   (Go `user.Current()`, not $HOME); if that path exists it is read, otherwise the value is the
 *   contents. Paths are relative to the provider's working directory (the Pulumi project), also
 *   the paths inside the file (the provider uses `clientcmd.Load`, not `LoadFromFile`). Then
 *   `NewDefaultClientConfig` with the `context`/`cluster` overrides: no KUBECONFIG, no in-cluster.
 * - otherwise the ambient kubeconfig: `NewDefaultClientConfigLoadingRules` (the KUBECONFIG list,
 *   split on ":", duplicates dropped, merged first-wins; or $HOME/.kube/config), then
 *   `DeferredLoadingClientConfig.ClientConfig`: when that selects nothing (empty config) and
 *   in-cluster config is possible, the in-cluster service account.
 * `@kubernetes/client-node` (ESM, imported only when a cluster is read) gets only the selected
 * cluster and user, for TLS and static credentials; exec plugins are run by `exec-credential.ts`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { KubeConfig } from "@kubernetes/client-node";
import { execConfigOf, type ExecConfig } from "./exec-credential";
import { inClusterPossible, inClusterSelection, ServiceAccountDir } from "./in-cluster";
import {
    EmptyConfigError,
    KubeconfigError,
    mergeKubeconfigs,
    parseKubeconfig,
    readKubeconfigFile,
    selectContext,
    type RawKubeconfig,
    type Selection,
} from "./kubeconfig-rules";
import { findProjectDir } from "./project-dir";

export { KubeconfigError } from "./kubeconfig-rules";

/** Provider settings that select the API server and credentials ("" = unset, as the provider reads them). */
export interface KubeSettings {
    /** kubeconfig path or contents; undefined or "" = ambient kubeconfig. */
    readonly kubeconfig?: string;
    readonly context?: string;
    readonly cluster?: string;
}

/** Where the loader looks; tests replace the fixed places. */
export interface LoadOptions {
    /** The provider's working directory; default `findProjectDir`. */
    readonly projectDir?: () => string;
    /** Service-account directory of in-cluster config; default `ServiceAccountDir` (client-go's, fixed). */
    readonly serviceAccountDir?: string;
}

/** A loaded kubeconfig, its API server and the context in use. */
export interface Connection {
    /** client-node config holding only the selected cluster and user (without exec). */
    readonly kc: KubeConfig;
    readonly server: string;
    /** The context's name ("" when none). */
    readonly context: string;
    /** Where the settings came from, e.g. `KUBECONFIG file /a/config`. */
    readonly source: string;
    /** The user's exec credential plugin, if any. */
    readonly exec?: ExecConfig;
}

/** The selection and where it came from. */
export interface Resolved {
    readonly selection: Selection;
    readonly source: string;
}

/** Go `user.Current().HomeDir`: the password database, then $HOME. */
function passwdHome(): string {
    try {
        return os.userInfo().homedir;
    } catch {
        return os.homedir();
    }
}

/** The provider's `kubeconfig` setting: a path (read) or the contents (`parseKubeconfigString`). */
function explicitConfig(value: string, projectDir: string): { config: RawKubeconfig; source: string } {
    let p = value;
    if (p === "~") {
        p = passwdHome();
    } else if (p.startsWith("~/")) {
        p = path.join(passwdHome(), p.slice(2));
    }
    const file = path.resolve(projectDir, p);
    let stat: fs.Stats | undefined;
    try {
        stat = fs.statSync(file);
    } catch {
        stat = undefined;
    }
    if (stat !== undefined) {
        if (stat.isDirectory()) {
            throw new KubeconfigError(`the kubeconfig path ${file} is a directory`);
        }
        const source = `the kubeconfig file ${file}`;
        return { config: parseKubeconfig(fs.readFileSync(file, "utf8"), source, projectDir), source };
    }
    let doc: unknown;
    try {
        doc = yaml.load(value);
    } catch {
        doc = undefined;
    }
    if (doc === null || typeof doc !== "object") {
        // The provider would parse the path as contents and fail; say what the user meant.
        throw new KubeconfigError(`the kubeconfig file ${file} does not exist`);
    }
    return {
        config: parseKubeconfig(value, "the kubeconfig contents", projectDir),
        source: "the kubeconfig contents in the provider settings",
    };
}

/** KUBECONFIG split and deduplicated (`filepath.SplitList`, `deduplicate`), or [$HOME/.kube/config]. */
function ambientFiles(projectDir: string): { files: string[]; fromEnv: boolean } {
    const env = process.env["KUBECONFIG"] ?? "";
    if (env === "") {
        // client-go homedir.HomeDir() on Linux is $HOME, unchecked.
        return { files: [path.resolve(projectDir, process.env["HOME"] ?? "", ".kube", "config")], fromEnv: false };
    }
    const files = [...new Set(env.split(path.delimiter).filter((f) => f !== ""))];
    return { files: files.map((f) => path.resolve(projectDir, f)), fromEnv: true };
}

/** The ambient kubeconfig, merged, selected, or in-cluster when it selects nothing. */
function ambient(settings: KubeSettings, projectDir: string, serviceAccountDir: string): Resolved {
    const { files, fromEnv } = ambientFiles(projectDir);
    const found: { file: string; config: RawKubeconfig }[] = [];
    for (const file of files) {
        const config = readKubeconfigFile(file);
        if (config !== undefined) {
            found.push({ file, config });
        }
    }
    const merged = mergeKubeconfigs(found.map((f) => f.config));
    const overrideContext = settings.context ?? "";
    const names = found.map((f) => f.file).join(", ");
    try {
        const selection = selectContext(
            merged,
            settings,
            overrideContext !== "" ? overrideContext : merged.currentContext,
        );
        return { selection, source: fromEnv ? `KUBECONFIG (${names})` : names };
    } catch (err) {
        if (!(err instanceof EmptyConfigError)) {
            throw err;
        }
        if (inClusterPossible(serviceAccountDir)) {
            return { selection: inClusterSelection(serviceAccountDir), source: "the in-cluster service account" };
        }
        if (found.length === 0) {
            const where = fromEnv
                ? `KUBECONFIG (${files.join(":")}) names no existing file`
                : `KUBECONFIG is not set and ${files[0] ?? ""} does not exist`;
            throw new KubeconfigError(`no kubeconfig: ${where}, and this is not a pod with a service account`);
        }
        throw new KubeconfigError(`${err.message} (${fromEnv ? `KUBECONFIG: ${names}` : names})`);
    }
}

/** Selects the cluster and user the provider would use for `settings`; throws `KubeconfigError`. */
export function resolveKubeconfig(settings: KubeSettings, options: LoadOptions = {}): Resolved {
    const projectDir = (options.projectDir ?? (() => findProjectDir()))();
    const value = settings.kubeconfig ?? "";
    if (value === "") {
        return ambient(settings, projectDir, options.serviceAccountDir ?? ServiceAccountDir);
    }
    const { config, source } = explicitConfig(value, projectDir);
    try {
        return { selection: selectContext(config, settings, config.currentContext), source };
    } catch (err) {
        // NewDefaultClientConfig has no in-cluster fallback: an empty selection is an error here.
        throw err instanceof KubeconfigError ? new KubeconfigError(`${err.message} (${source})`) : err;
    }
}

/** Loads the kubeconfig for `settings` as the provider would; throws `KubeconfigError` saying what is wrong. */
export async function loadKubeconfig(settings: KubeSettings, options: LoadOptions = {}): Promise<Connection> {
    const { selection, source } = resolveKubeconfig(settings, options);
    const server = String(selection.cluster["server"]);
    const { exec, ...user } = selection.user ?? {};
    // Plain-HTTP servers have no TLS to verify; client-node refuses them otherwise, client-go does not.
    const cluster = server.startsWith("http:")
        ? { ...selection.cluster, "insecure-skip-tls-verify": true }
        : selection.cluster;
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        kc.loadFromString(
            JSON.stringify({
                clusters: [{ name: "selected", cluster }],
                users: [{ name: "selected", user }],
                contexts: [{ name: "selected", context: { cluster: "selected", user: "selected" } }],
                "current-context": "selected",
            }),
        );
    } catch (err) {
        throw new KubeconfigError(`${source} cannot be used (${(err as Error).message.split("\n")[0]})`);
    }
    const execConfig = execConfigOf(exec, selection.userName);
    return {
        kc,
        server,
        context: selection.contextName,
        source,
        ...(execConfig === undefined ? {} : { exec: execConfig }),
    };
}
