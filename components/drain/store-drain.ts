/**
 * `StoreDrain`: the reviewable drain of `store.drain`, a dynamic resource whose provider
 * (`provider.ts`) takes the listed stores offline in PD, waits for Tombstone, deletes their volumes
 * and records the drain on the Store StatefulSet. `pulumi preview` shows it (and which stores) as
 * a create or update. It never shrinks anything itself: lowering `store.replicas` is a later run,
 * which the policy pack allows because PD reports the removed stores Tombstone (the pack cannot see
 * a drain that only happens during the same run, so drain and shrink are two reviewed steps).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { storeDrainProvider, type DrainAccess, type DrainedStore } from "./provider";

/** Default deadline of a drain: PD moves every cell replica of the stores away within it. */
export const DefaultDrainTimeoutSeconds = 1800;

/** Arguments of a `StoreDrain`. */
export interface StoreDrainArgs {
    /** The elasticell cluster name. */
    readonly cluster: string;
    readonly namespace: string;
    /** The Store StatefulSet (`<cluster>-store`). */
    readonly statefulSet: string;
    /** Ordinals to drain, highest first (validated by the config: the top ordinals, 3 stay). */
    readonly ordinals: readonly number[];
    /** The Store StatefulSet's volume claim templates, to find each drained store's PVCs. */
    readonly claimTemplates: readonly string[];
    /** PD's client URL instead of the API server's service proxy (`pd.apiUrl`). */
    readonly pdApiUrl?: string;
    /** Deadline of the whole drain. @default DefaultDrainTimeoutSeconds */
    readonly timeoutSeconds?: number;
    /** Seconds between two reads of a draining store. @default 2 */
    readonly pollSeconds?: number;
}

/**
 * The API server access of the Kubernetes provider: stack config `kubernetes:kubeconfig` (a path,
 * made absolute here since the plugin may run elsewhere, or the contents) and `kubernetes:context`;
 * unset means the ambient kubeconfig, as the provider reads it.
 */
export function providerAccess(pdApiUrl?: string): DrainAccess {
    const k8s = new pulumi.Config("kubernetes");
    const kubeconfig = k8s.get("kubeconfig");
    const context = k8s.get("context");
    const file = kubeconfig === undefined ? undefined : path.resolve(kubeconfig);
    return {
        ...(kubeconfig === undefined
            ? {}
            : { kubeconfig: file !== undefined && fs.existsSync(file) ? file : kubeconfig }),
        ...(context === undefined ? {} : { context }),
        ...(pdApiUrl === undefined ? {} : { apiUrl: pdApiUrl }),
    };
}

/** The drain of some stores of one cluster (see the file comment). */
export class StoreDrain extends pulumi.dynamic.Resource {
    /** The drained stores: ordinal, PD store ID and state (2, Tombstone). */
    public readonly stores!: pulumi.Output<DrainedStore[]>;
    /** The drained ordinals, highest first. */
    public readonly ordinals!: pulumi.Output<number[]>;

    constructor(name: string, args: StoreDrainArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            storeDrainProvider,
            name,
            {
                cluster: args.cluster,
                namespace: args.namespace,
                statefulSet: args.statefulSet,
                ordinals: [...args.ordinals],
                claimTemplates: [...args.claimTemplates],
                // Secret: it may hold the kubeconfig's contents.
                access: pulumi.secret(providerAccess(args.pdApiUrl)),
                timeoutSeconds: args.timeoutSeconds ?? DefaultDrainTimeoutSeconds,
                pollSeconds: args.pollSeconds ?? 2,
                stores: undefined,
            },
            opts,
            "elasticell",
            "StoreDrain",
        );
    }
}
