/**
 * Reading elasticell StatefulSets out of resource properties (plan) and manifests (baseline).
 * A StatefulSet is an elasticell tier when its labels say so (name=elasticell, a known component
 * and a non-empty instance); its name alone proves nothing.
 */
import type { Known } from "./known";
import { knownString, readKnown } from "./known";
import { AppName, LabelKeys, ResourceTypes, TierKinds, type TierKind } from "./naming";
import { objectRef, tierSubject } from "./subject";

/** The subset of `apps/v1` StatefulSet inputs the rules read. */
export interface StatefulSetInputs {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata?: ObjectMetaInputs;
    readonly spec?: {
        readonly replicas?: number;
        readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
        /** Immutable: the headless Service giving pods their DNS names. */
        readonly serviceName?: string;
        /** Immutable; the API server defaults it to `OrderedReady`. */
        readonly podManagementPolicy?: string;
        readonly template?: { readonly metadata?: ObjectMetaInputs; readonly spec?: PodSpecInputs };
        /** Immutable as a whole. */
        readonly volumeClaimTemplates?: readonly ClaimTemplateInputs[];
        readonly persistentVolumeClaimRetentionPolicy?: {
            readonly whenDeleted?: string;
            readonly whenScaled?: string;
        };
    };
}

/** The subset of object metadata the rules read. */
export interface ObjectMetaInputs {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
}

/** The subset of a PVC template the rules read. */
export interface ClaimTemplateInputs {
    readonly metadata?: { readonly name?: string };
    readonly spec?: {
        readonly accessModes?: readonly string[];
        /** Unset: the API server fills in the cluster's default class. */
        readonly storageClassName?: string;
        readonly resources?: { readonly requests?: { readonly storage?: string | number } };
    };
}

/** The subset of a pod spec the rules read. */
export interface PodSpecInputs {
    readonly containers?: readonly ContainerInputs[];
    readonly initContainers?: readonly ContainerInputs[];
}

/** The subset of a container the rules read. */
export interface ContainerInputs {
    readonly name?: string;
    readonly image?: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    /** Env vars as written (`{name, value}` or `{name, valueFrom}`). */
    readonly env?: readonly Readonly<Record<string, unknown>>[];
    readonly resources?: { readonly requests?: Readonly<Record<string, unknown>> };
}

/**
 * Type marker for `validateResourceOfType`: carries the `__pulumiType` token the SDK filters on,
 * so the pack needs no `@pulumi/kubernetes` dependency. Never constructed.
 */
export const StatefulSet = Object.assign(
    function StatefulSet(): never {
        throw new Error("StatefulSet is a type marker for policies, not a resource");
    },
    { __pulumiType: ResourceTypes.statefulSet },
) as unknown as new (name: string, args: StatefulSetInputs) => import("@pulumi/pulumi").CustomResource;

/** An elasticell tier found by its labels. */
export interface TierIdentity {
    readonly cluster: string;
    readonly tier: TierKind;
}

function isTier(v: unknown): v is TierKind {
    return typeof v === "string" && (TierKinds as readonly string[]).includes(v);
}

/** The cluster and tier of a StatefulSet from its labels, or undefined when it is not elasticell's. */
export function tierOfLabels(labels: Readonly<Record<string, unknown>> | undefined): TierIdentity | undefined {
    if (labels === undefined || labels === null || typeof labels !== "object") {
        return undefined;
    }
    const cluster = labels[LabelKeys.instance];
    const tier = labels[LabelKeys.component];
    if (labels[LabelKeys.name] !== AppName || !isTier(tier) || typeof cluster !== "string" || cluster === "") {
        return undefined;
    }
    return { cluster, tier };
}

/** The tier of planned StatefulSet inputs; unknown labels (preview) propagate to the SDK, which reports them. */
export function tierOf(props: StatefulSetInputs): TierIdentity | undefined {
    return tierOfLabels(props.metadata?.labels);
}

/** Requested replicas: unknown at preview when computed; absent means the Kubernetes default of 1. */
export interface RequestedReplicas {
    readonly count: number;
    readonly defaulted: boolean;
}

/** Reads `spec.replicas` of planned inputs. */
export function requestedReplicas(props: StatefulSetInputs): Known<RequestedReplicas> {
    const v = readKnown(() => props.spec?.replicas);
    if (!v.known) {
        return v;
    }
    if (typeof v.value === "number") {
        return { known: true, value: { count: v.value, defaulted: false } };
    }
    return { known: true, value: { count: 1, defaulted: true } };
}

/** Names of the planned `volumeClaimTemplates` (those known at preview). */
export function plannedClaimTemplates(props: StatefulSetInputs): string[] {
    const templates = readKnown(() => props.spec?.volumeClaimTemplates);
    if (!templates.known || !Array.isArray(templates.value)) {
        return [];
    }
    return templates.value.flatMap((t: ClaimTemplateInputs) => {
        const name = knownString(() => t.metadata?.name);
        return name.known && name.value !== undefined ? [name.value] : [];
    });
}

/** `metadata.name` of planned inputs. */
export function plannedName(props: StatefulSetInputs): Known<string | undefined> {
    return knownString(() => props.metadata?.name);
}

/** `metadata.namespace`, else the provider's default namespace, else "default" (as the provider does). */
export function plannedNamespace(props: StatefulSetInputs, providerNamespace: string | undefined): Known<string> {
    const ns = knownString(() => props.metadata?.namespace);
    if (!ns.known) {
        return ns;
    }
    return { known: true, value: ns.value ?? providerNamespace ?? "default" };
}

/** Every container of a pod spec, init containers included. */
export function containersOf(spec: PodSpecInputs | undefined): readonly ContainerInputs[] {
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/**
 * Calls `visit` for each container of an elasticell tier StatefulSet, when
 * the container list is known; other StatefulSets are skipped.
 */
export function forEachTierContainer(
    props: StatefulSetInputs,
    visit: (container: ContainerInputs, index: number, id: TierIdentity) => void,
): void {
    const id = tierOf(props);
    if (id === undefined) {
        return;
    }
    const containers = readKnown(() => containersOf(props.spec?.template?.spec));
    if (containers.known) {
        containers.value.forEach((c, i) => visit(c, i, id));
    }
}

/** `elasticell cluster "x", tier y, StatefulSet ns/name` from planned inputs, tolerating unknowns. */
export function describePlanned(props: StatefulSetInputs, id: TierIdentity, resourceName: string): string {
    const name = plannedName(props);
    const ns = knownString(() => props.metadata?.namespace);
    const nsText = ns.known ? (ns.value ?? "<provider default namespace>") : "<unknown>";
    const nameText = name.known ? (name.value ?? resourceName) : "<unknown>";
    return tierSubject(id.cluster, id.tier, objectRef(nsText, nameText));
}
