/** `elasticell-pdb-per-tier` (advisory, stack policy): each elasticell tier has a PodDisruptionBudget. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { knownString, readKnown } from "../known";
import { ResourceTypes, tierSelector } from "../labels";
import { matchesSelector } from "../baseline/types";
import { objectRef, tierOfLabels } from "../statefulset";

/** Policy name. */
export const pdbPerTierName = "elasticell-pdb-per-tier";

interface Pdb {
    readonly namespace: string | undefined;
    readonly matchLabels: Readonly<Record<string, string>>;
}

/** The rule. */
export const pdbPerTier: StackValidationPolicy = {
    name: pdbPerTierName,
    description: "Every elasticell tier should have a PodDisruptionBudget selecting its pods.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const pdbs: Pdb[] = [];
        for (const r of args.resources) {
            if (r.type !== ResourceTypes.podDisruptionBudget) {
                continue;
            }
            const ns = knownString(() => r.props["metadata"]?.["namespace"]);
            const labels = readKnown(
                () => ({ ...(r.props["spec"]?.["selector"]?.["matchLabels"] ?? {}) }) as Record<string, string>,
            );
            if (ns.known && labels.known) {
                pdbs.push({ namespace: ns.value, matchLabels: labels.value });
            }
        }
        for (const r of args.resources) {
            if (r.type !== ResourceTypes.statefulSet) {
                continue;
            }
            const labels = readKnown(() => ({ ...(r.props["metadata"]?.["labels"] ?? {}) }) as Record<string, string>);
            const id = labels.known ? tierOfLabels(labels.value) : undefined;
            const ns = knownString(() => r.props["metadata"]?.["namespace"]);
            const name = knownString(() => r.props["metadata"]?.["name"]);
            if (id === undefined || !ns.known || !name.known) {
                continue;
            }
            const selector = tierSelector(id.cluster, id.tier);
            if (pdbs.some((p) => p.namespace === ns.value && matchesSelector(p.matchLabels, selector))) {
                continue;
            }
            const stsName = name.value ?? r.name;
            reportViolation(
                `elasticell cluster "${id.cluster}", tier ${id.tier}, StatefulSet ${objectRef(ns.value ?? "<default>", stsName)}: ` +
                    `no PodDisruptionBudget (policy/v1) in its namespace selects ${JSON.stringify(selector)}. Without one a ` +
                    `node drain can evict several ${id.tier} pods at once, breaking PD quorum or taking 2 of a cell's 3 raft ` +
                    `replicas offline. Add a PodDisruptionBudget named ${stsName} with that selector and maxUnavailable: 1.`,
                r.urn,
            );
        }
    },
};
