/**
 * Shared text of violation messages: why a change is unsafe and how to proceed. Rules add the
 * specifics (cluster, tier, object, counts). Every value interpolated here is defined.
 */
import { MaxOverrideDays } from "./config";
import { AppName, LabelKeys, podName } from "./naming";

/** Why changing the PD replica count breaks a running cluster. */
export const whyPdFixed =
    "PD embeds etcd with a static member list: every PD pod starts with an --initial-cluster list computed from " +
    "the replica count and elasticell has no way to add or remove an etcd member, so added PD pods can never join " +
    "and removed ones leave etcd short of quorum; the whole cluster stops.";

/** Why lowering the Store replica count loses data. */
export const whyStoreNoScaleIn =
    "every cell is a raft group of 3 replicas on distinct stores; Kubernetes deletes the highest-ordinal store pods " +
    "at once, without draining them in PD, so the replicas they hold are lost, and cells that lose 2 of 3 replicas " +
    "lose quorum and data.";

/** Why the store count has a floor. */
export const whyStoreFloor =
    "every cell keeps 3 raft replicas on distinct stores (PD --limit-replicas 3), so with fewer stores than that PD " +
    "cannot place the replicas and has nowhere to move them when a store fails.";

/** Why deleting a PD or Store StatefulSet is unsafe. */
export const whyTierRemoval =
    "deleting the StatefulSet deletes all its pods at once: without PD the cluster has no metadata or routing, " +
    "without stores it has no data online. The PVCs are retained, but a renamed cluster starts empty next to the " +
    "old data, and a new PD can never rejoin the old stores.";

/** Why changing a field the API server never updates (volume templates, selector, ...) is unsafe. */
export const whyReplace =
    "the API server forbids updating this field of a StatefulSet, so the provider would delete the StatefulSet and " +
    "re-create it: every pod of the tier restarts at once (PD loses etcd quorum, every cell loses its raft majority), " +
    "and a new size or class is never applied to the existing volumes, which are kept as they are.";

/** Why rolling the pods of a tier that is not fully Ready is unsafe. */
export const whyRollUnhealthy =
    "a rolling update restarts one pod at a time on the assumption that the others serve; with a member already " +
    "down, restarting another makes PD lose etcd quorum or a cell lose its raft majority, and the cluster stops serving.";

/** Why applying a plan to a tier this stack does not own is unsafe. */
export const whyAdoption =
    "the plan would take over a running tier: it could resize it, roll its pods or replace its StatefulSet, and two " +
    "owners would then overwrite each other on every update.";

/** How to bypass a rule for one change with a break-glass override; `example` is the matching JSON. */
export function overrideHowTo(rule: string, example: string): string {
    return (
        `Break-glass override, for a deliberate exception (recovery, or after the steps above): put ${example} in a JSON file ` +
        `(a real reason; expires at most ${MaxOverrideDays} days ahead) and run ` +
        `\`pulumi up --policy-pack policies --policy-pack-config <file>\`; this one violation of ${rule} is then reported as advisory.`
    );
}

/** How to proceed when the deployed state cannot be read; `allowExample` is the allowance JSON. */
export function unreadableHowTo(allowExample: string): string {
    return (
        "Make it readable (check the kubeconfig and context the provider uses, e.g. " +
        `\`kubectl get statefulsets -A -l ${LabelKeys.name}=${AppName}\`), then retry. If you accept deploying ` +
        `blind for a while, put ${allowExample} in a policy config file (a real reason; expires at most ` +
        `${MaxOverrideDays} days ahead) and pass \`--policy-pack-config <file>\`; the violation is then reported as advisory.`
    );
}

/** Pod names a scale-in from `from` to `to` replicas deletes, highest ordinal first. */
export function removedPods(statefulSet: string, from: number, to: number): string[] {
    const pods: string[] = [];
    for (let i = from - 1; i >= Math.max(to, 0); i--) {
        pods.push(podName(statefulSet, i));
    }
    return pods;
}
