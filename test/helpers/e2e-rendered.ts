/**
 * Typed reads of what the render target wrote, for the e2e tests: the engine helper returns parsed
 * YAML of no static type, and these give each kind the Kubernetes client's model type so a test's
 * field access is checked (a missing field reads as undefined and fails the assert).
 */
import type * as k8s from "@kubernetes/client-node";
import type { EngineProject } from "./engine";

/** The rendered kinds the e2e tests read, with the model type of each. */
export interface RenderedKinds {
    readonly ConfigMap: k8s.V1ConfigMap;
    readonly Namespace: k8s.V1Namespace;
    readonly NetworkPolicy: k8s.V1NetworkPolicy;
    readonly Service: k8s.V1Service;
    readonly StatefulSet: k8s.V1StatefulSet;
}

/** The rendered object of `kind` named `name`; throws (through the engine helper) when there is none. */
export function renderedOf<K extends keyof RenderedKinds>(
    project: EngineProject,
    kind: K,
    name: string,
): RenderedKinds[K] {
    // The provider writes these kinds' API objects as YAML: the client's model types describe them.
    const found: unknown = project.rendered(kind, name);
    return found as RenderedKinds[K];
}

/** Every rendered object, typed as what they all have: kind and metadata. */
export function renderedObjectsOf(project: EngineProject): k8s.KubernetesObject[] {
    const all: unknown[] = project.renderedObjects();
    return all as k8s.KubernetesObject[];
}

/** One key of a rendered ConfigMap's data; "" when the key is missing (the assert on it then fails). */
export function configData(project: EngineProject, name: string, key: string): string {
    return renderedOf(project, "ConfigMap", name).data?.[key] ?? "";
}
