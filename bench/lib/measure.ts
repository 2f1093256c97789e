/**
 * Timing helpers of the benchmark: a wall-clock timer, medians, and progress
 * lines on stderr in the project's log format ("[elasticell] <elapsed> ...",
 * elapsed since ELASTICELL_STARTED_AT, which scripts/lib/common.sh exports).
 */
import { performance } from "node:perf_hooks";

const startedAt = Number(process.env["ELASTICELL_STARTED_AT"] ?? "") * 1000 || Date.now();

function elapsed(): string {
    const s = Math.floor((Date.now() - startedAt) / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** A progress line on stderr; stdout is kept for the results table. */
export function progress(message: string): void {
    process.stderr.write(`[elasticell] ${elapsed().padStart(7)} bench: ${message}\n`);
}

/** Runs `fn`, returns its result and its wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const t0 = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - t0 };
}

/** Runs `fn` as the measurement `name`, logging its name and time. */
export async function measure<T>(name: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
    progress(`${name} ...`);
    const r = await timed(fn);
    progress(`${name}: ${formatMs(r.ms)}`);
    return r;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
    if (xs.length === 0) {
        throw new Error("median of no samples");
    }
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `1.23 s` above a second, `123 ms` or `1.23 ms` below. */
export function formatMs(ms: number): string {
    if (ms >= 1000) {
        return `${(ms / 1000).toFixed(2)} s`;
    }
    return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

/** A ratio as `1.00×`. */
export function formatRatio(r: number): string {
    return `${r.toFixed(2)}×`;
}
