/**
 * Benchmark program (npm run bench): `clusters` CellClusters of `storeReplicas`
 * stores each. bench/engine-sizes.ts runs it from a temporary copy.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildClusters } from "./clusters";

const config = new pulumi.Config();
const clusters = buildClusters({
    clusters: config.getNumber("clusters") ?? 1,
    storeReplicas: config.getNumber("storeReplicas") ?? 3,
});

/** Redis endpoints, one per cluster, so every output is resolved as in the real program. */
export const redisEndpoints = clusters.map((c) => c.redisEndpoint);
export const resourceClusters = clusters.length;
