/** Markdown pieces shared by the benchmark's report sections (bench/*-report.ts, bench/report.ts). */
import type { BenchSize } from "../program/clusters";

/** One table row: `| a | b |`. */
export const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;

/** Samples in seconds, two decimals, comma-separated (the tables give raw samples beside medians). */
export const samples = (xs: readonly number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(", ");

/** A benchmark size as a reader says it: `5 clusters × 3 stores`. */
export const sizeName = (s: BenchSize) =>
    `${s.clusters} cluster${s.clusters === 1 ? "" : "s"} × ${s.storeReplicas} stores`;
