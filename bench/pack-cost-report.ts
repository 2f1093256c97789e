/**
 * Renders section 2 of the benchmark, the pack cost: previews without and with the policy pack
 * (bench/pack-cost.ts, and the largest size of bench/sizes.ts), then the pack's baseline reader
 * (bench/baseline.ts).
 */
import { spread } from "./lib/growth";
import { row, samples, sizeName } from "./lib/markdown";
import { formatMs, formatRatio, median } from "./lib/measure";
import type { ReadFigures } from "./baseline";
import type { Results } from "./report";

/** The reader's rows: first read, new reader per read, one more object, list. */
/** The reader's rows: first read, new reader per read, one more object, list. */
function readRows(label: string, f: ReadFigures): string[] {
    return [
        row([`${label}: first read (kubeconfig load, connection, one GET)`, formatMs(f.firstMs)]),
        row([`${label}: new reader per read (median of ${f.samples})`, formatMs(f.newReaderMs)]),
        row([`${label}: one more object, same reader (median of ${f.samples})`, formatMs(f.getMs)]),
        row([`${label}: list by label, all namespaces (median of ${f.samples})`, formatMs(f.listMs)]),
        row([`${label}: object read`, f.found]),
    ];
}

/** A preview without and with the pack, as one row: medians, ratio, difference and samples. */
/** A preview without and with the pack as one row: medians, ratio, difference and samples. */
function previewPair(label: string, withoutMs: readonly number[], withMs: readonly number[]): string[] {
    const without = median(withoutMs);
    const withPack = median(withMs);
    return [
        row([
            `${label}: preview without / with \`--policy-pack policies\` (median of ${withMs.length} each)`,
            `${formatMs(without)} / ${formatMs(withPack)} = ${formatRatio(withPack / without)}; with − without: ${formatMs(withPack - without)} (samples ${samples(withoutMs)} / ${samples(withMs)} s)`,
        ]),
    ];
}

/** The pack cost table: measure and value rows. */
export function packCostTable(r: Results): string[] {
    const lines = [row(["measure", "value"]), row(["---", "---"])];
    const g = r.packCost;
    if (g === undefined) {
        lines.push(row(["preview with/without the pack", r.engineSkipped ?? "not measured"]));
    } else {
        const delta = median(g.withMs) - median(g.withoutMs);
        lines.push(
            row([
                `dev-like stack, render target: preview without the pack (median of ${g.withoutMs.length})`,
                `${formatMs(median(g.withoutMs))} (samples ${samples(g.withoutMs)} s)`,
            ]),
            row([
                `dev-like stack, render target: preview with \`--policy-pack policies\` (median of ${g.withMs.length})`,
                `${formatMs(median(g.withMs))} (samples ${samples(g.withMs)} s)`,
            ]),
            row(["ratio with / without", formatRatio(median(g.withMs) / median(g.withoutMs))]),
            row(["pack cost per preview (with − without)", formatMs(delta)]),
            row([
                "resources validated",
                `${g.resources} (every resource in the state: stack, provider and components included; ${g.statefulSets} StatefulSets, whose baseline is read)`,
            ]),
            row(["per resource validated ((with − without) / resources)", formatMs(delta / g.resources)]),
        );
        const large = r.clusterSeries[r.clusterSeries.length - 1];
        const lg = large?.engine?.packCost;
        if (large?.engine !== undefined && lg !== undefined) {
            const largeDelta = median(lg.withMs) - median(lg.withoutMs);
            const extra = large.engine.resources - g.resources;
            const marginal = (largeDelta - delta) / extra;
            const noise = (spread(lg.withMs) + spread(lg.withoutMs) + spread(g.withMs) + spread(g.withoutMs)) / extra;
            const within =
                Math.abs(marginal) <= noise
                    ? "within the noise of the samples, not distinguishable from 0: the pack costs a fixed time per preview (starting the pack), not time per resource"
                    : "the pack's work per resource beyond its fixed start-up";
            lines.push(
                ...previewPair(
                    `${sizeName(large.size)} (bench program, ${large.engine.resources} resources)`,
                    lg.withoutMs,
                    lg.withMs,
                ),
                row([
                    `marginal validation cost per resource ((Δ at ${large.engine.resources} − Δ at ${g.resources} resources) / ${extra})`,
                    `${formatMs(marginal)} ± ${formatMs(noise)}: ${within}`,
                ]),
            );
        }
    }
    if (r.clusterPackCost !== undefined) {
        const c = r.clusterPackCost;
        lines.push(
            ...previewPair(
                `local cluster target, fresh stack (namespace ${c.namespace}, ${c.resources} planned steps, every baseline read a 404)`,
                c.withoutMs,
                c.withMs,
            ),
        );
    } else if (r.cluster !== undefined && !r.cluster.running) {
        lines.push(row(["local cluster target: preview without / with the pack", `local cluster: ${r.cluster.why}`]));
    }
    if (r.clientNodeImport !== undefined) {
        const c = r.clientNodeImport;
        lines.push(
            row([
                `baseline reader: \`import("@kubernetes/client-node")\`, once per pack process, cluster targets only (median of ${c.samplesMs.length} fresh processes)`,
                `${formatMs(c.medianMs)} (samples ${samples(c.samplesMs)} s)`,
            ]),
        );
    }
    if (r.fakeApi !== undefined) {
        lines.push(...readRows("baseline reader, loopback fake API (HTTP)", r.fakeApi));
    }
    if (r.cluster !== undefined) {
        if (r.cluster.running) {
            lines.push(...readRows("baseline reader, local cluster (HTTPS, client certificate)", r.cluster.reads));
        } else {
            lines.push(row(["baseline reader, local cluster", `local cluster: ${r.cluster.why}`]));
        }
    }
    return lines;
}
