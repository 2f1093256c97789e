/**
 * How a measured series grows: flat (Store replicas) or linear (clusters),
 * judged against the spread of the samples so noise is not called growth.
 */
import { formatMs, formatRatio, median } from "./measure";

/** A marginal cost per unit this much above the previous step's counts as faster than linear. */
const SuperlinearFactor = 1.5;
/** A ratio below this counts as flat (run-to-run noise on a shared 2-core machine is about that). */
const FlatRatio = 1.25;

/** One size of a series: x (replicas or clusters) and its samples, ms. */
export interface Point {
    readonly x: number;
    readonly samples: readonly number[];
}

/** Range of the samples (0 for one sample). */
export const spread = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs));

/**
 * Verdict for a series: flat (replicas) or linear (clusters), or what grows
 * faster. Linear is judged by extrapolating the line through the first two
 * sizes to the last; the extrapolation widens the first two sizes' sample
 * spread by the same factor, so only an excess beyond that noise (and beyond
 * 10%) counts as faster than linear.
 */
export function verdict(points: readonly Point[], expect: "flat" | "linear", unit: string): string {
    const [first, mid, last] = points;
    if (first === undefined || mid === undefined) {
        return "n/a";
    }
    const end = last ?? mid;
    const t = (p: Point) => median(p.samples);
    if (expect === "flat") {
        const ratio = t(end) / t(first);
        const noise = spread(end.samples) + spread(first.samples);
        return ratio < FlatRatio || t(end) - t(first) <= noise
            ? `flat (${end.x} vs ${first.x} ${unit}: ${formatRatio(ratio)})`
            : `**grows**: ${formatRatio(ratio)} from ${first.x} to ${end.x} ${unit}`;
    }
    const one = unit.replace(/s$/, "");
    const m1 = (t(mid) - t(first)) / (mid.x - first.x);
    if (last === undefined) {
        return `marginal per ${one}: ${formatMs(m1)}`;
    }
    const m2 = (t(last) - t(mid)) / (last.x - mid.x);
    const steps = `marginal per ${one}: ${first.x}→${mid.x}: ${formatMs(m1)}, ${mid.x}→${last.x}: ${formatMs(m2)}`;
    const predicted = t(mid) + Math.max(m1, 0) * (last.x - mid.x);
    const factor = (last.x - first.x) / (mid.x - first.x);
    const noise = (spread(first.samples) + spread(mid.samples)) * factor + spread(last.samples);
    const excess = t(last) - predicted;
    if (excess > noise && excess > 0.1 * t(last) && m2 > SuperlinearFactor * Math.max(m1, 0)) {
        return `**faster than linear**: ${last.x} ${unit} take ${formatMs(t(last))}, the line through ${first.x} and ${mid.x} predicts ${formatMs(predicted)} (${steps})`;
    }
    return `linear within noise (${steps}; ${noise === 0 ? "single runs, no noise estimate" : `extrapolation noise ±${formatMs(noise)}`})`;
}
