/**
 * The arguments another Pulumi program passes to `new CellCluster(name, args)`:
 * the stack-config contract's input shape (`z.input` of `StackConfigSchema`),
 * every key optional, parsed by the same schema inside the component so the
 * defaults and checks are those of a stack's `Pulumi.<stack>.yaml`.
 */
import * as pulumi from "@pulumi/pulumi";
import omit from "lodash/omit";
import { parseStackConfig, StackConfigError, type StackConfig, type StackConfigInput } from "./config";
import { argsPath } from "./config-errors";
import type { TierKind } from "./labels";
import type { ServiceSettings } from "./tier/spec-args";

type ArgsInput = Omit<StackConfigInput, "name">;

/**
 * Arguments of a `CellCluster`. Every key is optional; the component applies
 * the defaults (stated per key; nested keys as docs/configuration.md
 * lists them) and refuses bad values with one `pulumi.ResourceError` that
 * lists every problem, before it registers any child.
 *
 * Plain values, not `pulumi.Input`s: the namespace, replica counts and storage
 * decide object names, the PD member list and what the pack and the guard allow; the
 * image decides the `app.kubernetes.io/version` label; labels, annotations
 * and resources are checked (key syntax, the 256 KiB annotation budget,
 * requests within limits) before anything is registered. An unknown value
 * could be none of these. Pass values you have, e.g. from `pulumi.Config`, or
 * build the cluster in a separate stack from a `StackReference`'s
 * `getOutputValue` (never construct it inside an `apply`).
 */
export interface CellClusterArgs extends ArgsInput {
    /** Namespace of every object (a DNS label). @default "elasticell" */
    readonly namespace?: ArgsInput["namespace"];
    /** Create the namespace (kept on destroy, with the retained volumes); false: it must exist. @default true */
    readonly createNamespace?: ArgsInput["createNamespace"];
    /** `TZ` of every container. @default "UTC" */
    readonly timezone?: ArgsInput["timezone"];
    /** Extra labels on every object, never in selectors; not the `app.kubernetes.io/*` keys the component sets. @default {} */
    readonly labels?: ArgsInput["labels"];
    /** Extra annotations on every object; `pulumi.com/*` keys are refused. @default {} */
    readonly annotations?: ArgsInput["annotations"];
    /** Mark the PD and Store StatefulSets `protect`ed (the engine refuses to delete or replace them). @default true */
    readonly protect?: ArgsInput["protect"];
    /** PD tier: replicas (odd, 1 to 7, fixed after the first deploy), image, resources, storage, scheduling. @default { replicas: 3, image: "deepfabric/pd:latest", storage: { size: "1Gi" } } */
    readonly pd?: ArgsInput["pd"];
    /** Store tier: replicas (3 to 300; may only grow, or shrink to drained stores), image, resources, storage, drain, topology. @default { replicas: 3, image: "deepfabric/cell:latest", storage: { size: "10Gi" } } */
    readonly store?: ArgsInput["store"];
    /** Proxy tier: replicas (1 to 100), image, resources, scheduling, service. @default { replicas: 1, image: "deepfabric/proxy:latest", service: { type: "ClusterIP" } } */
    readonly proxy?: ArgsInput["proxy"];
    /** In-cluster ValidatingAdmissionPolicy holding every client to the PD and Store rules (Kubernetes 1.30+). @default { admissionPolicy: true } */
    readonly guard?: ArgsInput["guard"];
    /** NetworkPolicies per tier and who may reach Redis and PD; nothing named: nobody. @default { enabled: true, restrictEgress: true } */
    readonly networkPolicy?: ArgsInput["networkPolicy"];
}

/** The arguments with every default applied: what the tiers are built from. */
export type ResolvedClusterArgs = Omit<StackConfig, "name">;

/**
 * The client Service settings of a tier: the proxies' Redis Service takes all of `proxy.service`;
 * PD's client Service only its type (its annotations are the cluster's); the stores have none.
 */
export function tierServiceSettings(
    kind: TierKind,
    args: Pick<ResolvedClusterArgs, "pd" | "proxy">,
): ServiceSettings | undefined {
    switch (kind) {
        case "pd":
            return { type: args.pd.service.type, annotations: {} };
        case "proxy":
            return args.proxy.service;
        case "store":
            return undefined;
    }
}

/** Paths of `pulumi.Output`s and promises inside `value` (args must be plain data). */
function unresolved(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return [path];
    }
    if (value === null || typeof value !== "object") {
        return [];
    }
    return Object.entries(value).flatMap(([k, v]) => unresolved(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

/**
 * Validates `name` and `args` and applies the defaults. Throws one
 * `pulumi.ResourceError` on `component` (shown without a stack trace)
 * listing every problem as `args.<path>: problem (got X)` with its fix.
 */
export function resolveClusterArgs(
    component: pulumi.Resource,
    name: string,
    args: CellClusterArgs,
): ResolvedClusterArgs {
    let problems = unresolved(args).map(
        (p) =>
            `  - ${argsPath(p)}: is a pulumi Output or a promise; CellCluster needs plain values (see CellClusterArgs)\n` +
            `    fix: build the cluster where the value is known (a separate stack reading it with StackReference.getOutputValue)`,
    );
    if (problems.length === 0) {
        try {
            return omit(parseStackConfig({ ...args, name }, new Set(), "args"), "name");
        } catch (err) {
            if (!(err instanceof StackConfigError)) {
                throw err;
            }
            problems = err.problems;
        }
    }
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    throw new pulumi.ResourceError(
        `invalid arguments of CellCluster "${name}" (${count}); none of its objects were registered:\n${problems.join("\n")}`,
        component,
        // The list says everything: the engine prints it without a stack trace, as for bad stack config.
        true,
    );
}
