/**
 * The baseline: what is deployed now, read from the deployment target rather than from the
 * program (a program can be wrong; the target cannot). See DESIGN.md, "Defense in depth".
 */
import { at, objects, optString, stringList, stringMap } from "./json";

/** A PVC template of a deployed StatefulSet, reduced to the fields the API server never updates. */
export interface DeployedClaimTemplate {
    /** `metadata.name`; PVCs are named `<template>-<statefulset>-<ordinal>`. */
    readonly name: string;
    /** `spec.resources.requests.storage` as written (a Kubernetes quantity), if any. */
    readonly storage?: string;
    /** `spec.storageClassName`; the API server fills in the cluster's default class. */
    readonly storageClassName?: string;
    /** `spec.accessModes`, in order. */
    readonly accessModes: readonly string[];
}

/** A container of a deployed pod template, reduced to the fields whose change rolls the pods. */
export interface DeployedContainer {
    readonly name: string;
    /** True for `initContainers`. */
    readonly init: boolean;
    readonly image?: string;
    /** `command`, empty when unset. */
    readonly command: readonly string[];
    /** `args`, empty when unset. */
    readonly args: readonly string[];
    /** `env` as plain JSON, including what the API server adds (e.g. `fieldRef.apiVersion: v1`). */
    readonly env: readonly unknown[];
}

/** The pod template of a deployed StatefulSet (`spec.template`), reduced. */
export interface DeployedPodTemplate {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /** Init containers first, then containers. */
    readonly containers: readonly DeployedContainer[];
}

/** A deployed StatefulSet, reduced to what the rules compare. */
export interface DeployedStatefulSet {
    readonly namespace: string;
    readonly name: string;
    /** `spec.replicas` (desired, so `kubectl scale` drift counts); Kubernetes defaults it to 1. */
    readonly replicas: number;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /** Images of all containers, init containers first. */
    readonly images: readonly string[];
    /** `spec.selector.matchLabels`; empty when unset. */
    readonly selector: Readonly<Record<string, string>>;
    /** `spec.serviceName`, if set. */
    readonly serviceName?: string;
    /** `spec.podManagementPolicy`, if set (the API server defaults it to OrderedReady). */
    readonly podManagementPolicy?: string;
    /** `spec.volumeClaimTemplates`, in order. */
    readonly volumeClaimTemplates: readonly DeployedClaimTemplate[];
    /** `spec.template`. */
    readonly template: DeployedPodTemplate;
}

/** A pod, reduced to its health. */
export interface DeployedPod {
    readonly namespace: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    /** `status.phase` (Pending, Running, ...), if reported. */
    readonly phase?: string;
    /** True when the pod's `Ready` condition is `True`. */
    readonly ready: boolean;
    /** True when `metadata.deletionTimestamp` is set (the pod is terminating). */
    readonly deleting: boolean;
    /** Why it is not serving: `status.reason`, else the first container's waiting or terminated reason. */
    readonly reason?: string;
}

/** A PersistentVolumeClaim, reduced to what the rules compare. */
export interface DeployedClaim {
    readonly namespace: string;
    readonly name: string;
    /** `spec.resources.requests.storage` as written, if any. */
    readonly storage?: string;
    /** `spec.storageClassName`, if set. */
    readonly storageClassName?: string;
    /** True when `metadata.deletionTimestamp` is set. */
    readonly deleting: boolean;
    /** `status.phase` (Pending, Bound, Lost), if reported. */
    readonly phase?: string;
    /** `status.capacity.storage`: the size the volume has now (below the request while it grows), if reported. */
    readonly capacity?: string;
}

/** A StorageClass, reduced to what decides whether its volumes may grow. */
export interface DeployedStorageClass {
    readonly name: string;
    /** `allowVolumeExpansion`: only then does the API server let a Bound claim of the class grow. */
    readonly allowVolumeExpansion: boolean;
    /** True when annotated `storageclass.kubernetes.io/is-default-class: "true"`. */
    readonly isDefault: boolean;
}

/** Reads a StorageClass object (API JSON); undefined when it has no name. */
export function storageClassFromManifest(obj: unknown): DeployedStorageClass | undefined {
    const name = optString(at(obj, "metadata", "name"));
    if (name === undefined) {
        return undefined;
    }
    return {
        name,
        allowVolumeExpansion: at(obj, "allowVolumeExpansion") === true,
        isDefault:
            stringMap(at(obj, "metadata", "annotations"))["storageclass.kubernetes.io/is-default-class"] === "true",
    };
}

/** Reads a PVC object (API JSON); undefined when it has no name. */
export function claimFromManifest(obj: unknown, defaultNamespace: string): DeployedClaim | undefined {
    const name = optString(at(obj, "metadata", "name"));
    if (name === undefined) {
        return undefined;
    }
    const storage = at(obj, "spec", "resources", "requests", "storage");
    const className = optString(at(obj, "spec", "storageClassName"));
    const phase = optString(at(obj, "status", "phase"));
    const capacity = at(obj, "status", "capacity", "storage");
    return {
        namespace: optString(at(obj, "metadata", "namespace")) ?? defaultNamespace,
        name,
        ...(typeof storage === "string" || typeof storage === "number" ? { storage: String(storage) } : {}),
        ...(className === undefined ? {} : { storageClassName: className }),
        deleting: at(obj, "metadata", "deletionTimestamp") !== undefined,
        ...(phase === undefined ? {} : { phase }),
        ...(typeof capacity === "string" || typeof capacity === "number" ? { capacity: String(capacity) } : {}),
    };
}

/** The deployed state of one target (a cluster, or a render directory). */
export interface Baseline {
    /** Human description of the target, for messages (never secrets). */
    readonly target: string;
    /**
     * The StatefulSet `namespace/name`, or undefined when there is none (first deployment).
     * Throws `BaselineUnreadableError` when the target cannot be read.
     */
    getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined>;
    /**
     * StatefulSets whose labels include `selector`. `namespaces` narrows the search when the
     * target cannot be listed across all namespaces. Throws `BaselineUnreadableError`.
     */
    listStatefulSets(
        selector: Readonly<Record<string, string>>,
        namespaces: readonly string[],
    ): Promise<readonly DeployedStatefulSet[]>;
    /**
     * Pods of `namespace` whose labels include `selector`. Undefined when the target has no pods
     * to read (a render directory): callers then skip their health checks. Throws
     * `BaselineUnreadableError`.
     */
    listPods(
        namespace: string,
        selector: Readonly<Record<string, string>>,
    ): Promise<readonly DeployedPod[] | undefined>;
    /**
     * Every PVC of `namespace` (callers match them by name: a StatefulSet names its claims
     * `<template>-<statefulset>-<ordinal>`, whatever their labels). Undefined when the target has no
     * volumes to read (a render directory). Throws `BaselineUnreadableError`.
     */
    listClaims(namespace: string): Promise<readonly DeployedClaim[] | undefined>;
    /**
     * The StorageClass `name`, or the cluster's default class when `name` is undefined; undefined
     * when there is no such class. Undefined too when the target has no classes to read (a render
     * directory): callers then cannot judge volume expansion. Throws `BaselineUnreadableError`.
     */
    getStorageClass(name: string | undefined): Promise<DeployedStorageClass | undefined>;
}

/** The deployed state could not be read, so a transition cannot be judged. */
export class BaselineUnreadableError extends Error {
    /**
     * @param target what we tried to read (from `Baseline.target`)
     * @param reason why it failed, phrased to follow "cannot read the deployed state: "
     * @param unknownAtPreview true when the target itself is computed and unknown during preview
     */
    constructor(
        readonly target: string,
        readonly reason: string,
        readonly unknownAtPreview: boolean = false,
    ) {
        super(`cannot read the deployed state from ${target}: ${reason}`);
        this.name = "BaselineUnreadableError";
    }
}

function containers(podSpec: unknown): DeployedContainer[] {
    const out: DeployedContainer[] = [];
    for (const [list, init] of [
        ["initContainers", true],
        ["containers", false],
    ] as const) {
        for (const c of objects(at(podSpec, list))) {
            const image = optString(at(c, "image"));
            out.push({
                name: optString(at(c, "name")) ?? "",
                init,
                ...(image === undefined ? {} : { image }),
                command: stringList(at(c, "command")),
                args: stringList(at(c, "args")),
                env: objects(at(c, "env")),
            });
        }
    }
    return out;
}

function claimTemplate(t: object): DeployedClaimTemplate {
    const storage = at(t, "spec", "resources", "requests", "storage");
    const className = optString(at(t, "spec", "storageClassName"));
    return {
        name: optString(at(t, "metadata", "name")) ?? "",
        ...(typeof storage === "string" || typeof storage === "number" ? { storage: String(storage) } : {}),
        ...(className === undefined ? {} : { storageClassName: className }),
        accessModes: stringList(at(t, "spec", "accessModes")),
    };
}

/**
 * Reads an `apps/v1` StatefulSet object (API JSON or rendered YAML) into a `DeployedStatefulSet`;
 * undefined when it is not one. `defaultNamespace` fills a missing `metadata.namespace`.
 */
export function deployedFromManifest(obj: unknown, defaultNamespace = "default"): DeployedStatefulSet | undefined {
    const name = at(obj, "metadata", "name");
    if (at(obj, "kind") !== "StatefulSet" || at(obj, "apiVersion") !== "apps/v1" || typeof name !== "string") {
        return undefined;
    }
    const spec = at(obj, "spec");
    const replicas = at(spec, "replicas");
    const pods = containers(at(spec, "template", "spec"));
    const serviceName = optString(at(spec, "serviceName"));
    const podManagementPolicy = optString(at(spec, "podManagementPolicy"));
    return {
        namespace: optString(at(obj, "metadata", "namespace")) ?? defaultNamespace,
        name,
        replicas: typeof replicas === "number" ? replicas : 1,
        labels: stringMap(at(obj, "metadata", "labels")),
        annotations: stringMap(at(obj, "metadata", "annotations")),
        images: pods.flatMap((c) => (c.image === undefined ? [] : [c.image])),
        selector: stringMap(at(spec, "selector", "matchLabels")),
        ...(serviceName === undefined ? {} : { serviceName }),
        ...(podManagementPolicy === undefined ? {} : { podManagementPolicy }),
        volumeClaimTemplates: objects(at(spec, "volumeClaimTemplates")).map(claimTemplate),
        template: {
            labels: stringMap(at(spec, "template", "metadata", "labels")),
            annotations: stringMap(at(spec, "template", "metadata", "annotations")),
            containers: pods,
        },
    };
}

/** True when `labels` include every pair of `selector`. */
export function matchesSelector(
    labels: Readonly<Record<string, string>>,
    selector: Readonly<Record<string, string>>,
): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
