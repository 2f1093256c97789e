/**
 * Status fixtures shared by the tests of scripts/operate/status-model.ts and status-format.ts:
 * a healthy report, and builders to break one thing per case.
 */
import type { StatusReport, TierStatus } from "../../../scripts/operate/status-model";

/** One tier's status: `n` replicas everywhere, all Ready, with `over` applied. */
export const tier = (t: TierStatus["tier"], n: number, over: Partial<TierStatus> = {}): TierStatus => ({
    tier: t,
    statefulSet: `opr-${t}`,
    stackReplicas: n,
    liveReplicas: n,
    ready: n,
    stackImage: `img/${t}:1`,
    liveImages: [`img/${t}:1`],
    pods: [],
    claims: [],
    ...over,
});

/** PD's view of the store at `ordinal`. */
export const store = (ordinal: number, state = "Up", id = ordinal + 1) => ({
    id,
    address: `opr-store-${ordinal}.opr-store-peer.ns.svc:10800`,
    ordinal,
    state,
    leaderCount: 2,
});

/** PD's healthy view with `over` applied. */
export const pdView = (
    over: { stores?: ReturnType<typeof store>[]; replicasNotFullCellCount?: number } = {},
): StatusReport["pd"] => ({
    reachable: true,
    source: "x",
    bootstrapped: true,
    replicasNotFullCellCount: 0,
    cellCount: 3,
    stores: [store(0), store(1), store(2)],
    ...over,
});

/** A healthy report; each case breaks one thing. */
export function report(over: Partial<StatusReport> = {}): StatusReport {
    return {
        stack: "dev",
        cluster: "opr",
        namespace: "ns",
        tiers: [tier("pd", 3), tier("store", 3), tier("proxy", 1)],
        members: [{ pod: "opr-pd-0", ready: true, health: "true" }],
        pd: pdView(),
        ...over,
    };
}
