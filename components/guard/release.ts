/**
 * `GuardRelease`: the step of a destroy between the guard and the tiers it guards. The guard's
 * ValidatingAdmissionPolicy depends on it, and it on the PD and Store StatefulSets, so a destroy
 * deletes binding, policy, this release, then the tiers. Its provider (`release-provider.ts`)
 * waits on delete until the API server stops enforcing the deleted policy (its admission policy
 * cache keeps it for 1 to 3 s), so the one-step destroy of docs/operations.md needs no rerun.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerAccess } from "../drain/store-drain";
import { guardReleaseProvider } from "./release-provider";

/** Arguments of a `GuardRelease`. */
export interface GuardReleaseArgs {
    readonly namespace: string;
    /** The guarded StatefulSets (`<cluster>-pd`, `<cluster>-store`). */
    readonly statefulSets: readonly string[];
    /** The guard's ValidatingAdmissionPolicy name. */
    readonly policy: string;
}

/** Waits, when destroyed, for the API server to drop the guard (see the file comment). */
export class GuardRelease extends pulumi.dynamic.Resource {
    constructor(name: string, args: GuardReleaseArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            guardReleaseProvider,
            name,
            {
                namespace: args.namespace,
                statefulSets: [...args.statefulSets],
                policy: args.policy,
                // Secret: it may hold the kubeconfig's contents.
                access: pulumi.secret(providerAccess()),
                // A render target has no cluster, hence no policy to wait for.
                render: new pulumi.Config("kubernetes").get("renderYamlToDirectory") !== undefined,
            },
            opts,
            "elasticell",
            "GuardRelease",
        );
    }
}
