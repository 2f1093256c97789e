/**
 * Whether PD says a Store scale-in is safe: every store being removed (ordinals `requested` up to
 * `deployed - 1`) is Tombstone in PD (its cell replicas have moved away), and enough stores stay Up.
 * Pure: `readPdStores` (baseline/pd.ts) does the reading.
 */
import { PdStoreState, stateName, type PdStore } from "../baseline/pd";
import { podName } from "./naming";

/** The verdict: allowed, or why not (one line per store or rule). */
export type DrainVerdict = { readonly drained: true } | { readonly drained: false; readonly why: readonly string[] };

/**
 * Judges a scale-in `deployed -> requested` of Store StatefulSet `statefulSet` against PD's stores.
 * An ordinal counts as drained when PD knows at least one store at its address and every store
 * there is Tombstone (an ordinal scaled out again after a drain registers a new store at the old
 * address). At least `minUp` distinct ordinals below `requested` must be Up.
 */
export function judgeDrain(
    stores: readonly PdStore[],
    statefulSet: string,
    requested: number,
    deployed: number,
    minUp: number,
): DrainVerdict {
    const why: string[] = [];
    for (let ordinal = deployed - 1; ordinal >= requested; ordinal--) {
        const pod = podName(statefulSet, ordinal);
        const at = stores.filter((s) => s.ordinal === ordinal);
        if (at.length === 0) {
            why.push(`${pod}: PD knows no store at its address, so nothing shows it was drained`);
            continue;
        }
        const live = at.filter((s) => s.state !== PdStoreState.Tombstone);
        if (live.length > 0) {
            why.push(`${pod}: ${live.map((s) => `store ${s.id} is ${stateName(s.state)}`).join(", ")}, not Tombstone`);
        }
    }
    const up = new Set(
        stores
            .filter((s) => s.ordinal !== undefined && s.ordinal < requested && s.state === PdStoreState.Up)
            .map((s) => s.ordinal),
    );
    if (up.size < minUp) {
        why.push(
            `only ${up.size} of the ${requested} remaining stores are Up in PD; at least ${minUp} must stay Up (each cell keeps 3 replicas on distinct stores)`,
        );
    }
    return why.length === 0 ? { drained: true } : { drained: false, why };
}
