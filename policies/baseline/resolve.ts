/**
 * Which baseline a resource is judged against: derived from its provider, exactly as the
 * provider decides where objects go. `renderYamlToDirectory` → the render directory; otherwise
 * the Kubernetes API with the provider's kubeconfig/context/cluster, or the ambient kubeconfig
 * for a provider without them (the default provider reads `kubernetes:*` stack config, which
 * arrives here as its properties).
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { PolicyProviderResource } from "@pulumi/policy";
import type { Known } from "../core/known";
import { knownString } from "../core/known";
import { ResourceTypes } from "../core/naming";
import { KubernetesBaseline, type KubernetesBaselineOptions } from "./kubernetes";
import { RenderDirectoryBaseline } from "./render-dir";
import type { Baseline } from "./types";

/** A deployment target: a cluster reached through a kubeconfig, or a render directory. */
export type Target =
    | {
          readonly kind: "cluster";
          /** Identity of the target, for caching and grouping. */
          readonly key: string;
          readonly origin: string;
          readonly kubeconfig?: string;
          readonly context?: string;
          readonly cluster?: string;
          /** The provider's default namespace. */
          readonly namespace?: string;
      }
    | {
          readonly kind: "render";
          readonly key: string;
          readonly origin: string;
          /** Absolute render directory. */
          readonly directory: string;
          readonly namespace?: string;
      };

/** Chooses (and caches) the baseline of a target. */
export interface BaselineResolver {
    baselineFor(target: Target): Baseline;
}

function hash(s: string): string {
    return createHash("sha256").update(s).digest("hex").slice(0, 16);
}

/**
 * The target of a resource from its provider. Unknown when a provider setting is computed and
 * unknown during preview.
 */
export function targetOf(provider: PolicyProviderResource | undefined, projectDir: () => string): Known<Target> {
    if (provider === undefined || provider.type !== ResourceTypes.provider) {
        return { known: true, value: { kind: "cluster", key: "cluster|ambient", origin: "the ambient kubeconfig" } };
    }
    const props = provider.props;
    const settings = {
        render: knownString(() => props["renderYamlToDirectory"]),
        kubeconfig: knownString(() => props["kubeconfig"]),
        context: knownString(() => props["context"]),
        cluster: knownString(() => props["cluster"]),
        namespace: knownString(() => props["namespace"]),
    };
    for (const [setting, v] of Object.entries(settings)) {
        if (!v.known) {
            return { known: false, detail: `provider "${provider.name}" setting ${setting} (${v.detail})` };
        }
    }
    const value = (k: keyof typeof settings): string | undefined => {
        const v = settings[k];
        return v.known ? v.value : undefined;
    };
    const namespace = value("namespace");
    const render = value("render");
    if (render !== undefined) {
        const directory = path.resolve(projectDir(), render);
        return {
            known: true,
            value: {
                kind: "render",
                key: `render|${directory}|${namespace ?? ""}`,
                origin: `provider "${provider.name}"`,
                directory,
                namespace,
            },
        };
    }
    const kubeconfig = value("kubeconfig");
    const context = value("context");
    const cluster = value("cluster");
    const origin =
        kubeconfig === undefined
            ? `the ambient kubeconfig (provider "${provider.name}")`
            : `provider "${provider.name}"`;
    return {
        known: true,
        value: {
            kind: "cluster",
            key: `cluster|${kubeconfig === undefined ? "ambient" : hash(kubeconfig)}|${context ?? ""}|${cluster ?? ""}`,
            origin,
            ...(kubeconfig === undefined ? {} : { kubeconfig }),
            ...(context === undefined ? {} : { context }),
            ...(cluster === undefined ? {} : { cluster }),
            ...(namespace === undefined ? {} : { namespace }),
        },
    };
}

/** The pack's resolver: one baseline per target per process, so each object is read once per run. */
export class DefaultBaselineResolver implements BaselineResolver {
    private readonly cache = new Map<string, Baseline>();

    constructor(private readonly kubernetesOptions: KubernetesBaselineOptions = {}) {}

    baselineFor(target: Target): Baseline {
        let b = this.cache.get(target.key);
        if (b === undefined) {
            b =
                target.kind === "render"
                    ? new RenderDirectoryBaseline(target.directory, target.namespace ?? "default")
                    : new KubernetesBaseline(
                          {
                              origin: target.origin,
                              ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
                              ...(target.context === undefined ? {} : { context: target.context }),
                              ...(target.cluster === undefined ? {} : { cluster: target.cluster }),
                          },
                          this.kubernetesOptions,
                      );
            this.cache.set(target.key, b);
        }
        return b;
    }
}
