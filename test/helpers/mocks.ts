/**
 * Pulumi mocks for component tests: every registered resource is recorded
 * with its inputs; the mock echoes the inputs as outputs and fills in
 * `metadata.name` when it is missing (mocks do not auto-name).
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DrainInputs } from "../../components/drain/provider";
import type { ReleaseInputs } from "../../components/guard/release-provider";

/** What every recorded Kubernetes object has: metadata (the rest depends on its type). */
export interface RecordedObject {
    readonly metadata: k8s.types.output.meta.v1.ObjectMeta;
    readonly [field: string]: unknown;
}

/** The inputs a `StoreDrain` registers: its drain inputs, with `access` a secret envelope and the serialized provider. */
export type RecordedDrain = Omit<DrainInputs, "access"> & {
    readonly access: { readonly value: DrainInputs["access"]; readonly [sig: string]: unknown };
    readonly __provider: string;
};

/** The inputs a `GuardRelease` registers: `access` a secret envelope, and the serialized provider. */
export type RecordedRelease = Omit<ReleaseInputs, "access"> & {
    readonly access: { readonly value: ReleaseInputs["access"]; readonly [sig: string]: unknown };
    readonly __provider: string;
};

/** The recorded inputs of each resource type the tests read, as plain (resolved) values. */
export interface TypeInputs {
    "kubernetes:apps/v1:StatefulSet": k8s.types.output.apps.v1.StatefulSet;
    "kubernetes:core/v1:Service": k8s.types.output.core.v1.Service;
    "kubernetes:core/v1:ConfigMap": k8s.types.output.core.v1.ConfigMap;
    "kubernetes:core/v1:Namespace": k8s.types.output.core.v1.Namespace;
    "kubernetes:core/v1:PersistentVolumeClaim": k8s.types.output.core.v1.PersistentVolumeClaim;
    "kubernetes:core/v1:ServiceAccount": k8s.types.output.core.v1.ServiceAccount;
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": k8s.types.output.rbac.v1.ClusterRole;
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": k8s.types.output.rbac.v1.ClusterRoleBinding;
    "kubernetes:policy/v1:PodDisruptionBudget": k8s.types.output.policy.v1.PodDisruptionBudget;
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s.types.output.networking.v1.NetworkPolicy;
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": k8s.types.output.admissionregistration.v1.ValidatingAdmissionPolicy;
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": k8s.types.output.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
    "pulumi-nodejs:dynamic/elasticell:StoreDrain": RecordedDrain;
    "pulumi-nodejs:dynamic/elasticell:GuardRelease": RecordedRelease;
}

/** One registered resource and its inputs (typed by `ofType`; any other: its metadata). */
export interface Recorded<Inputs = RecordedObject> {
    readonly type: string;
    readonly name: string;
    readonly inputs: Inputs;
}

/** Options of `installMocks`. */
export interface MockOptions {
    readonly project?: string;
    readonly stack?: string;
    readonly preview?: boolean;
    /** The live `status` the mock returns for a resource (what a controller would write); none by default. */
    readonly status?: (type: string, inputs: Partial<RecordedObject>) => unknown;
}

/** Installs mocks and returns the list that fills as resources register. */
export async function installMocks(opts: MockOptions = {}): Promise<Recorded[]> {
    const recorded: Recorded[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                // The engine hands the mock untyped inputs; they are plain data echoed back.
                const inputs = args.inputs as Partial<RecordedObject>;
                recorded.push({ type: args.type, name: args.name, inputs: inputs as RecordedObject });
                const metadata = { ...inputs.metadata, name: inputs.metadata?.name ?? args.name };
                const status = opts.status?.(args.type, inputs);
                return {
                    id: `${args.name}-id`,
                    state: { ...inputs, metadata, ...(status === undefined ? {} : { status }) },
                };
            },
            call(args) {
                return args.inputs as Record<string, unknown>;
            },
        },
        opts.project ?? "elasticell",
        opts.stack ?? "test",
        opts.preview ?? false,
    );
    return recorded;
}

/** Resolves an Output in a test. */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((done) => output.apply((v) => done(v)));
}

/**
 * The SDK's own wait for its RPC queue (every registration and output registration so far) to
 * drain: `waitForRPCs` in `@pulumi/pulumi/runtime/settings`, which the provider server awaits
 * before it answers `construct`. It is marked `@internal`, so it is exported but left out of the
 * typings; this is its signature.
 */
const runtime = pulumi.runtime as typeof pulumi.runtime & { readonly waitForRPCs: () => Promise<void> };

/** Waits until every registration queued so far has been recorded. */
export async function settled(): Promise<void> {
    await runtime.waitForRPCs();
}

/** The recorded resources of one type (e.g. `kubernetes:apps/v1:StatefulSet`), with that type's inputs. */
export function ofType<T extends keyof TypeInputs>(recorded: readonly Recorded[], type: T): Recorded<TypeInputs[T]>[];
/** The recorded resources of a type without typed inputs (components: `elasticell:index:Tier`). */
export function ofType(recorded: readonly Recorded[], type: string): Recorded[];
export function ofType(recorded: readonly Recorded[], type: string): Recorded<unknown>[] {
    // The mock recorded the inputs this type registers; `TypeInputs` says what they are.
    return recorded.filter((r) => r.type === type);
}

/** The Kubernetes types of `TypeInputs` (objects with metadata). */
export type KubeType = Exclude<
    keyof TypeInputs,
    "pulumi-nodejs:dynamic/elasticell:StoreDrain" | "pulumi-nodejs:dynamic/elasticell:GuardRelease"
>;

/** The recorded inputs of one Kubernetes type, by `metadata.name`. */
export function inputsByName<T extends KubeType>(
    recorded: readonly Recorded[],
    type: T,
): Record<string, TypeInputs[T]> {
    return Object.fromEntries(ofType(recorded, type).map((r) => [r.inputs.metadata.name, r.inputs]));
}

export const Types = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    namespace: "kubernetes:core/v1:Namespace",
    pvc: "kubernetes:core/v1:PersistentVolumeClaim",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
    storeDrain: "pulumi-nodejs:dynamic/elasticell:StoreDrain",
    guardRelease: "pulumi-nodejs:dynamic/elasticell:GuardRelease",
    tier: "elasticell:index:Tier",
    cluster: "elasticell:index:CellCluster",
} as const satisfies Record<string, string>;
