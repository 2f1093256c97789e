/**
 * Reads the live state behind a status report: each tier's StatefulSet, pods and volume claims
 * (through the pack's Kubernetes baseline, so the cluster is the one the provider uses), PD's
 * members, stores and system summary (pd-read.ts). Reads run in parallel with short deadlines.
 */
import escapeRegExp from "lodash/escapeRegExp";
import { KubernetesBaseline } from "../../policies/baseline/kubernetes";
import { podStateText } from "../../policies/baseline/pods";
import type { DeployedClaim, DeployedStatefulSet } from "../../policies/baseline/types";
import { readMemberHealth, readPd } from "./pd-read";
import type { ClaimStatus, StatusReport, TierStatus } from "./status-model";
import { Tiers, type StackInfo, type TierKind } from "./stack";

/** Deadline of one Kubernetes read. */
const KubeTimeoutMs = 5000;

/** The claims a StatefulSet's templates name: `<template>-<statefulset>-<ordinal>`. */
export function tierClaims(sts: string, templates: readonly string[], claims: readonly DeployedClaim[]): ClaimStatus[] {
    const names = templates.map((t) => new RegExp(`^${escapeRegExp(`${t}-${sts}-`)}(0|[1-9][0-9]*)$`));
    return claims
        .filter((c) => names.some((re) => re.test(c.name)))
        .map((c) => ({
            name: c.name,
            ...(c.storage === undefined ? {} : { size: c.storage }),
            ...(c.storageClassName === undefined ? {} : { storageClassName: c.storageClassName }),
        }))
        .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

async function readTier(
    b: KubernetesBaseline,
    info: StackInfo,
    tier: TierKind,
    claims: readonly DeployedClaim[],
): Promise<TierStatus> {
    const want = info.tiers[tier];
    const selector = { "app.kubernetes.io/instance": info.cluster, "app.kubernetes.io/component": tier };
    const [sts, pods] = await Promise.all([
        b.getStatefulSet(info.namespace, want.statefulSet),
        b.listPods(info.namespace, selector),
    ]);
    const live: DeployedStatefulSet | undefined = sts;
    const podList = [...(pods ?? [])].sort((a, c) => a.name.localeCompare(c.name, "en", { numeric: true }));
    const templates = live?.volumeClaimTemplates.map((t) => t.name) ?? [];
    return {
        tier,
        statefulSet: want.statefulSet,
        stackReplicas: want.replicas,
        ...(live === undefined ? {} : { liveReplicas: live.replicas }),
        ready: podList.filter((p) => p.ready && !p.deleting).length,
        stackImage: want.image,
        liveImages:
            live?.template.containers.filter((c) => !c.init && c.image !== undefined).map((c) => c.image!) ?? [],
        pods: podList.map((p) => ({
            name: p.name,
            ready: p.ready && !p.deleting,
            state: podStateText(p).replace(/^[^ ]+ \((.*)\)$/, "$1"),
        })),
        claims: tierClaims(want.statefulSet, templates, claims),
    };
}

/** Reads everything status shows; never throws for an unreachable cluster or PD (they are reported). */
export async function readStatus(info: StackInfo): Promise<StatusReport> {
    const b = new KubernetesBaseline(
        { origin: `stack ${info.stack}`, ...info.kube },
        { timeoutMs: KubeTimeoutMs, projectDir: () => info.projectDir },
    );
    const pdView = readPd(info);
    let tiers: TierStatus[] = [];
    let kubernetesError: string | undefined;
    try {
        const claims = (await b.listClaims(info.namespace)) ?? [];
        tiers = await Promise.all(Tiers.map((t) => readTier(b, info, t, claims)));
    } catch (err) {
        const e = err as { reason?: unknown; message?: string };
        kubernetesError = typeof e.reason === "string" ? e.reason : (e.message ?? String(err));
    }
    const pdPods = tiers.find((t) => t.tier === "pd")?.pods ?? [];
    const health =
        kubernetesError === undefined
            ? await readMemberHealth(
                  info,
                  pdPods.map((p) => p.name),
              )
            : {};
    return {
        stack: info.stack,
        cluster: info.cluster,
        namespace: info.namespace,
        ...(kubernetesError === undefined ? {} : { kubernetesError }),
        tiers,
        members: pdPods.map((p) => ({ pod: p.name, ready: p.ready, health: health[p.name] ?? "unknown" })),
        pd: await pdView,
    };
}
