/**
 * Pulumi mocks for component tests: every registered resource is recorded
 * with its inputs; the mock echoes the inputs as outputs and fills in
 * `metadata.name` when it is missing (mocks do not auto-name).
 */
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly inputs: any;
}

/** Installs mocks and returns the list that fills as resources register. */
export async function installMocks(
    opts: { project?: string; stack?: string; preview?: boolean } = {},
): Promise<Recorded[]> {
    const recorded: Recorded[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
                const metadata = { ...(args.inputs.metadata ?? {}), name: args.inputs.metadata?.name ?? args.name };
                return { id: `${args.name}-id`, state: { ...args.inputs, metadata } };
            },
            call(args) {
                return args.inputs;
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

/** Waits until every registration queued so far has been recorded. */
export async function settled(): Promise<void> {
    await new Promise((r) => setTimeout(r, 50));
}

/** The recorded resources of one type (e.g. `kubernetes:apps/v1:StatefulSet`). */
export function ofType(recorded: readonly Recorded[], type: string): Recorded[] {
    return recorded.filter((r) => r.type === type);
}

export const Types = {
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    namespace: "kubernetes:core/v1:Namespace",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
    tier: "elasticell:index:Tier",
    cluster: "elasticell:index:CellCluster",
} as const;
