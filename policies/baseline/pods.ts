/**
 * Reading pods (API JSON) into `DeployedPod`: only their health. A pod serves when its `Ready`
 * condition is `True` and it is not being deleted.
 */
import { objectRef } from "../core/subject";
import { at, optString, stringMap } from "./json";
import type { DeployedPod } from "./types";

function conditionTrue(status: unknown, type: string): boolean {
    const conditions = at(status, "conditions");
    return Array.isArray(conditions) && conditions.some((c) => at(c, "type") === type && at(c, "status") === "True");
}

/** The first waiting or terminated reason among the pod's containers (init containers first). */
function containerReason(status: unknown): string | undefined {
    for (const list of ["initContainerStatuses", "containerStatuses"]) {
        const statuses = at(status, list);
        for (const s of Array.isArray(statuses) ? statuses : []) {
            const reason =
                optString(at(s, "state", "waiting", "reason")) ?? optString(at(s, "state", "terminated", "reason"));
            if (reason !== undefined) {
                return reason;
            }
        }
    }
    return undefined;
}

/** Reads a `v1` Pod; undefined when it has no name. `defaultNamespace` fills a missing namespace. */
export function podFromManifest(obj: unknown, defaultNamespace: string): DeployedPod | undefined {
    const name = optString(at(obj, "metadata", "name"));
    if (name === undefined) {
        return undefined;
    }
    const status = at(obj, "status");
    const phase = optString(at(status, "phase"));
    const reason = optString(at(status, "reason")) ?? containerReason(status);
    const deletion = at(obj, "metadata", "deletionTimestamp");
    return {
        namespace: optString(at(obj, "metadata", "namespace")) ?? defaultNamespace,
        name,
        labels: stringMap(at(obj, "metadata", "labels")),
        ...(phase === undefined ? {} : { phase }),
        ready: conditionTrue(status, "Ready"),
        deleting: deletion !== undefined && deletion !== null,
        ...(reason === undefined ? {} : { reason }),
    };
}

/** True when the pod serves: Ready and not being deleted. */
export function podServes(pod: DeployedPod): boolean {
    return pod.ready && !pod.deleting;
}

/** `ns/name (Pending, Unschedulable, not Ready)`, for messages. */
export function podStateText(pod: DeployedPod): string {
    const state = [pod.phase ?? "no phase", ...(pod.reason === undefined ? [] : [pod.reason])];
    state.push(pod.deleting ? "being deleted" : pod.ready ? "Ready" : "not Ready");
    return `${objectRef(pod.namespace, pod.name)} (${state.join(", ")})`;
}
