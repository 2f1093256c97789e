/**
 * Where each store learns its node's zone and rack (`cell --zone/--rack`), so
 * PD spreads each cell's 3 replicas over zones. The default works on every
 * cluster this program supports; see docs/operations.md "Zones" for which clusters need what.
 */
import { z } from "zod";
import { image } from "./config-fields";
import { qualifiedNameProblems } from "./k8s-validation";

/**
 * - `podLabels`: the pod's own `topology.kubernetes.io/zone` label, which the API server copies
 *   from the node when the pod is bound (admission plugin PodTopologyLabels, feature gate
 *   PodTopologyLabelsAdmission: alpha in 1.33, beta and on by default from 1.35). Rack = zone.
 * - `nodeApi`: an init container reads the node's labels through the API (a ServiceAccount with
 *   `get nodes` on a ClusterRole); works on any cluster, and reads the rack from `rackLabel`.
 * - `none`: every store reports zone `default` (the operator's behaviour: no zone awareness).
 */
export const ZoneSources = ["podLabels", "nodeApi", "none"] as const;
/** One of `ZoneSources`. */
export type ZoneSource = (typeof ZoneSources)[number];

/** A label key (qualified name), as `ValidateLabels` checks it. */
const labelKey = z.string().superRefine((key, ctx) => {
    const problems = qualifiedNameProblems(key);
    if (problems.length > 0) {
        ctx.addIssue({
            code: "custom",
            input: key,
            message: `is not a valid label key: ${problems.join("; ")}`,
            params: { fix: DefaultRackLabel },
        });
    }
});

/** The node label `nodeApi` reads the rack from (no Kubernetes-wide rack label exists). */
export const DefaultRackLabel = "topology.elasticell.io/rack";

/** The image of the `nodeApi` init container: the Kubernetes project's kubectl image (go-runner base). */
export const DefaultNodeApiImage = "registry.k8s.io/kubectl:v1.36.3";

/** `store.topology`: zone discovery of the stores. */
export const topologySchema = z
    .strictObject({
        /** How a store learns its node's zone. @default podLabels */
        source: z.enum(ZoneSources).default("podLabels"),
        /** Node label holding the rack (`nodeApi` only); a node without it reports rack = zone. */
        rackLabel: labelKey.default(DefaultRackLabel),
        /** Image of the `nodeApi` init container: must hold `/go-runner` and `/bin/kubectl`. */
        nodeApiImage: image(DefaultNodeApiImage),
    })
    .prefault({});

/** Parsed `store.topology`. */
export type TopologyConfig = z.infer<typeof topologySchema>;
