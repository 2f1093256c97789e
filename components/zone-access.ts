/**
 * Registers what `store.topology.source: nodeApi` needs (`tier/zone.ts`
 * plans it): the stores' ServiceAccount, a ClusterRole that may `get` nodes,
 * and its binding. Registration only.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { TierKind } from "./labels";
import type { ClusterContext } from "./tier/profile";
import { buildZoneAccess } from "./tier/zone";

/** Arguments of `registerZoneAccess`. */
export interface ZoneAccessArgs {
    readonly ctx: ClusterContext;
    readonly tier: TierKind;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /** Resources the objects wait for (the namespace). */
    readonly dependsOn: pulumi.Resource[];
}

/** Creates the ServiceAccount, ClusterRole and ClusterRoleBinding; returns them for `dependsOn`. */
export function registerZoneAccess(parent: pulumi.Resource, args: ZoneAccessArgs): pulumi.Resource[] {
    const plan = buildZoneAccess(args);
    const opts = { parent, dependsOn: args.dependsOn };
    const account = new k8s.core.v1.ServiceAccount(plan.serviceAccount.metadata.name, plan.serviceAccount, opts);
    const role = new k8s.rbac.v1.ClusterRole(plan.clusterRole.metadata.name, plan.clusterRole, opts);
    const binding = new k8s.rbac.v1.ClusterRoleBinding(plan.binding.metadata.name, plan.binding, {
        parent,
        dependsOn: [account, role],
    });
    return [account, role, binding];
}
