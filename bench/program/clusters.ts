/**
 * What the benchmark program builds: `count` CellClusters, each with its own
 * name and namespace, through the same config contract as the real program
 * (`parseStackConfig`), so defaults and validation cost are included.
 * Shared by the engine program (index.ts) and the mocks benchmark.
 */
import { CellCluster } from "../../components/cluster";
import { parseStackConfig } from "../../components/config";

/** Size of one benchmark program. */
export interface BenchSize {
    /** Number of CellCluster components. */
    readonly clusters: number;
    /** Store replicas of every cluster. */
    readonly storeReplicas: number;
}

/** Name of the i-th cluster (1-based) with an optional prefix: `c01`, `r2c01`. */
export function benchClusterName(i: number, prefix = ""): string {
    return `${prefix}c${String(i).padStart(2, "0")}`;
}

/** Builds the clusters; names and namespaces are distinct per index and prefix. */
export function buildClusters(size: BenchSize, prefix = ""): CellCluster[] {
    const out: CellCluster[] = [];
    for (let i = 1; i <= size.clusters; i++) {
        const name = benchClusterName(i, prefix);
        const { name: parsedName, ...config } = parseStackConfig({
            name,
            namespace: `bench-${name}`,
            store: { replicas: size.storeReplicas },
        });
        out.push(new CellCluster(parsedName, config));
    }
    return out;
}
