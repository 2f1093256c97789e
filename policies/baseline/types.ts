/**
 * The baseline: what is deployed now, read from the deployment target rather than from the
 * program (a program can be wrong; the target cannot). See DESIGN.md, "The guard".
 */

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

function stringMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        for (const [k, val] of Object.entries(v)) {
            if (typeof val === "string") {
                out[k] = val;
            }
        }
    }
    return out;
}

function images(podSpec: unknown): string[] {
    if (podSpec === null || typeof podSpec !== "object") {
        return [];
    }
    const spec = podSpec as { initContainers?: unknown; containers?: unknown };
    const out: string[] = [];
    for (const list of [spec.initContainers, spec.containers]) {
        if (Array.isArray(list)) {
            for (const c of list) {
                const image = (c as { image?: unknown } | null)?.image;
                if (typeof image === "string") {
                    out.push(image);
                }
            }
        }
    }
    return out;
}

/**
 * Reads an `apps/v1` StatefulSet object (API JSON or rendered YAML) into a `DeployedStatefulSet`;
 * undefined when it is not one. `defaultNamespace` fills a missing `metadata.namespace`.
 */
export function deployedFromManifest(obj: unknown, defaultNamespace = "default"): DeployedStatefulSet | undefined {
    if (obj === null || typeof obj !== "object") {
        return undefined;
    }
    const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: unknown; spec?: unknown };
    if (o.kind !== "StatefulSet" || o.apiVersion !== "apps/v1") {
        return undefined;
    }
    const metadata = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown; labels?: unknown; annotations?: unknown };
    if (typeof metadata.name !== "string") {
        return undefined;
    }
    const spec = (o.spec ?? {}) as { replicas?: unknown; template?: { spec?: unknown } };
    return {
        namespace: typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : defaultNamespace,
        name: metadata.name,
        replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
        labels: stringMap(metadata.labels),
        annotations: stringMap(metadata.annotations),
        images: images(spec.template?.spec),
    };
}

/** True when `labels` include every pair of `selector`. */
export function matchesSelector(
    labels: Readonly<Record<string, string>>,
    selector: Readonly<Record<string, string>>,
): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
