/**
 * The status report of one stack and the judgement of it: what `npm run status` prints and what
 * decides its exit code. Pure: the reads are in status-read.ts, the text in status-format.ts.
 */
import type { PdView } from "./pd-read";
import type { TierKind } from "./stack";

/** One pod of a tier. */
export interface PodStatus {
    readonly name: string;
    readonly ready: boolean;
    /** `Running`, `Pending, Unschedulable, not Ready`, ... */
    readonly state: string;
}

/** One volume claim of a tier. */
export interface ClaimStatus {
    readonly name: string;
    readonly size?: string;
    readonly storageClassName?: string;
}

/** One tier: what the stack asks for and what the cluster runs. */
export interface TierStatus {
    readonly tier: TierKind;
    readonly statefulSet: string;
    /** Replicas the stack's last `pulumi up` asked for. */
    readonly stackReplicas: number;
    /** Live `spec.replicas`; undefined when the StatefulSet is missing. */
    readonly liveReplicas?: number;
    readonly ready: number;
    readonly stackImage: string;
    readonly liveImages: readonly string[];
    readonly pods: readonly PodStatus[];
    readonly claims: readonly ClaimStatus[];
}

/** One PD member: its pod and `GET /health`. */
export interface MemberStatus {
    readonly pod: string;
    readonly ready: boolean;
    /** "true", "false" or "unknown: <why>". */
    readonly health: string;
}

/** Everything status shows. */
export interface StatusReport {
    readonly stack: string;
    readonly cluster: string;
    readonly namespace: string;
    /** Set when the Kubernetes API could not be read at all: tiers are then empty. */
    readonly kubernetesError?: string;
    readonly tiers: readonly TierStatus[];
    readonly members: readonly MemberStatus[];
    readonly pd: PdView;
}

/** What `npm run status -- --json` prints: the report, its verdict and the problems behind it. */
export interface StatusJson extends StatusReport {
    readonly healthy: boolean;
    readonly problems: readonly string[];
}

/** The replicas a tier should have Ready: the larger of what the stack and the live object ask. */
export function desiredReplicas(t: TierStatus): number {
    return Math.max(t.stackReplicas, t.liveReplicas ?? 0);
}

/**
 * Every reason the cluster is not healthy, as lines for the terminal; empty when healthy. A store
 * counts when its ordinal is below the live replicas: a Tombstone above them is a drained store.
 */
export function problems(r: StatusReport): string[] {
    const out: string[] = [];
    if (r.kubernetesError !== undefined) {
        out.push(`Kubernetes API not readable: ${r.kubernetesError}`);
    }
    for (const t of r.tiers) {
        if (t.liveReplicas === undefined) {
            out.push(`${t.tier}: StatefulSet ${r.namespace}/${t.statefulSet} not found`);
            continue;
        }
        const want = desiredReplicas(t);
        if (t.ready < want) {
            out.push(`${t.tier}: ${t.ready} of ${want} pods Ready (stack ${t.stackReplicas}, live ${t.liveReplicas})`);
        }
    }
    for (const m of r.members) {
        if (m.health === "false") {
            out.push(`pd: member ${m.pod} reports unhealthy (/health false)`);
        }
    }
    if (!r.pd.reachable) {
        out.push(`PD not reachable: ${r.pd.reason}; store states unknown`);
        return out;
    }
    if (!r.pd.bootstrapped) {
        out.push("PD: cluster not bootstrapped (no store has joined)");
    }
    const store = r.tiers.find((t) => t.tier === "store");
    const live = store?.liveReplicas ?? store?.stackReplicas ?? 0;
    for (let i = 0; i < live; i++) {
        const seen = r.pd.stores.filter((s) => s.ordinal === i);
        const current = seen.find((s) => s.state !== "Tombstone") ?? seen[seen.length - 1];
        if (current === undefined) {
            out.push(`store ${r.cluster}-store-${i}: not registered in PD`);
        } else if (current.state !== "Up") {
            out.push(`store ${r.cluster}-store-${i} (PD store ${current.id}): ${current.state}`);
        }
    }
    for (const s of r.pd.stores) {
        if (s.state === "Offline" && (s.ordinal === undefined || s.ordinal >= live)) {
            out.push(`PD store ${s.id} (${s.address}): Offline (a drain in progress)`);
        }
    }
    if (r.pd.replicasNotFullCellCount !== undefined && r.pd.replicasNotFullCellCount > 0) {
        out.push(
            `PD: ${r.pd.replicasNotFullCellCount} cell(s) miss replicas (replicasNotFullCellCount): do not restart or remove a store now`,
        );
    }
    return out;
}
