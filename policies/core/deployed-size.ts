/**
 * The deployed size of a stateful tier: the most conservative of what the target shows (DESIGN.md,
 * "Defense in depth"). A StatefulSet that is gone leaves its volumes, and a `kubectl scale` of PD
 * changes `spec.replicas` but never the member list its pods were started with, so:
 * - PD: the member list of the live tier (`--initial-cluster`, read from the StatefulSet's
 *   `PD_INITIAL_CLUSTER` env), else the live `spec.replicas`, else its volumes.
 * - Store: the larger of the live `spec.replicas` and its volumes.
 * Volumes are the PVCs named as the StatefulSet names them (`<template>-<statefulset>-<ordinal>`),
 * whatever their labels, neither being deleted nor still Pending (never bound: no data); they count
 * as highest ordinal + 1. No StatefulSet and no volume: a first deployment.
 */
import type { Baseline, DeployedStatefulSet } from "../baseline/types";
import { claimNamePattern, PdMembersEnv, type TierKind } from "./naming";

/** A PVC of the tier, with the pod ordinal its name gives. */
export interface TierVolume {
    readonly name: string;
    readonly ordinal: number;
}

/** What the target says about a tier's size. */
export interface DeployedSize {
    /** The size the rules judge against. */
    readonly count: number;
    /** Where `count` comes from, phrased to follow "the deployed size comes from ". */
    readonly source: string;
    /** `spec.replicas` of the live StatefulSet; undefined when it is gone. */
    readonly replicas?: number;
    /** The tier's PVCs, by ordinal. */
    readonly volumes: readonly TierVolume[];
    /** PD: the member names of the live tier's `--initial-cluster`. */
    readonly members?: readonly string[];
}

/** The PVCs among `names` that belong to StatefulSet `statefulSet` through one of `templates`. */
export function tierVolumes(names: readonly string[], statefulSet: string, templates: readonly string[]): TierVolume[] {
    if (templates.length === 0) {
        return [];
    }
    const pattern = claimNamePattern(statefulSet, templates);
    return names
        .flatMap((name) => {
            const m = pattern.exec(name);
            return m === null ? [] : [{ name, ordinal: Number(m[1]) }];
        })
        .sort((a, b) => a.ordinal - b.ordinal || a.name.localeCompare(b.name));
}

/** Member names of PD's `--initial-cluster` (`name=url,...`) on the live StatefulSet, if it carries it. */
export function pdMembers(sts: DeployedStatefulSet): string[] | undefined {
    for (const c of sts.template.containers) {
        for (const e of c.env) {
            const { name, value } = e as { name?: unknown; value?: unknown };
            if (name === PdMembersEnv && typeof value === "string" && value !== "") {
                return value.split(",").map((m) => m.split("=")[0]!.trim());
            }
        }
    }
    return undefined;
}

/** `a, b, c`, or `a ... z (n)` for long lists. */
export function listText(names: readonly string[]): string {
    return names.length <= 6
        ? names.join(", ")
        : `${names.slice(0, 3).join(", ")} ... ${names[names.length - 1]!} (${names.length})`;
}

/**
 * Reads the deployed size of `tier` (StatefulSet `namespace/name`, claim templates `templates`
 * from the plan and the live object). Undefined on a first deployment. Throws
 * `BaselineUnreadableError` when the PVCs cannot be listed.
 */
export async function deployedSize(
    baseline: Baseline,
    tier: TierKind,
    namespace: string,
    name: string,
    deployed: DeployedStatefulSet | undefined,
    plannedTemplates: readonly string[],
): Promise<DeployedSize | undefined> {
    const templates = [...new Set([...plannedTemplates, ...(deployed?.volumeClaimTemplates.map((t) => t.name) ?? [])])];
    const claims = (await baseline.listClaims(namespace)) ?? [];
    // A PVC being deleted goes once its pod is gone (the drain deletes the drained store's PVC), and
    // a Pending one was never bound, so holds no data (the program creates claims before the
    // StatefulSet: a refused scale-out leaves them Pending).
    const volumes = tierVolumes(
        claims.filter((c) => !c.deleting && c.phase !== "Pending").map((c) => c.name),
        name,
        templates,
    );
    const byVolumes = volumes.length === 0 ? 0 : volumes[volumes.length - 1]!.ordinal + 1;
    const volumeText = `its volumes (PVCs ${listText(volumes.map((v) => v.name))})`;
    if (deployed === undefined) {
        return volumes.length === 0
            ? undefined
            : { count: byVolumes, source: `${volumeText}: the StatefulSet is gone, its data is not`, volumes };
    }
    const replicas = deployed.replicas;
    if (tier === "pd") {
        const members = pdMembers(deployed);
        if (members !== undefined) {
            return {
                count: members.length,
                source: `PD's member list (--initial-cluster of the live StatefulSet: ${listText(members)})`,
                replicas,
                volumes,
                members,
            };
        }
        return { count: replicas, source: "the live StatefulSet (spec.replicas)", replicas, volumes };
    }
    if (byVolumes > replicas) {
        return {
            count: byVolumes,
            source: `${volumeText}; the StatefulSet has ${replicas} replicas`,
            replicas,
            volumes,
        };
    }
    return { count: replicas, source: "the live StatefulSet (spec.replicas)", replicas, volumes };
}
