/**
 * The elasticell library: what another Pulumi program imports (package.json
 * `main`/`exports` point here; the stack program is the root `index.ts`).
 *
 *   import { CellCluster } from "elasticell";
 *   const cell = new CellCluster("demo", { store: { replicas: 5 } });
 *   export const redis = cell.redisEndpoint;
 */
export { CellCluster, type TierOutputs } from "./cluster";
export { resolveClusterArgs, type CellClusterArgs, type ResolvedClusterArgs } from "./cluster-args";
/** The schema behind the arguments (and the stack config), and its pure parser, for programs that validate early. */
export {
    StackConfigSchema,
    StackConfigError,
    parseStackConfig,
    type StackConfig,
    type StackConfigInput,
} from "./config";
/** Label keys, names of the objects a cluster creates, and the replica ceilings. */
export {
    AppName,
    LabelKeys,
    ReplicaCeiling,
    StackAnnotation,
    TierKinds,
    type TierKind,
    configMapName,
    peerServiceName,
    pdClientServiceName,
    redisServiceName,
    statefulSetName,
    tierSelector,
} from "./labels";
/** Ports: Redis on the proxies, PD's client/peer/RPC ports; PD's client URL for a cluster and namespace. */
export { ProxyPorts } from "./proxy";
export { PdPorts, pdClientUrl } from "./pd";
