/** `elasticell-pdb-per-tier` (advisory, stack policy): each elasticell tier has a PodDisruptionBudget. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { knownString, readKnown } from "../core/known";
import { ResourceTypes, tierSelector } from "../core/naming";
import { matchesSelector } from "../baseline/types";
import { tierOfLabels, type ObjectMetaInputs, type StatefulSetInputs } from "../core/statefulset";

/** The subset of `policy/v1` PodDisruptionBudget inputs the rule reads. */
interface PdbInputs {
    readonly metadata?: ObjectMetaInputs;
    readonly spec?: { readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } };
}
import { objectRef, tierSubject } from "../core/subject";

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
            const props = r.props as PdbInputs;
            const ns = knownString(() => props.metadata?.namespace);
            const labels = readKnown(() => ({ ...(props.spec?.selector?.matchLabels ?? {}) }));
            if (ns.known && labels.known) {
                pdbs.push({ namespace: ns.value, matchLabels: labels.value });
            }
        }
        for (const r of args.resources) {
            if (r.type !== ResourceTypes.statefulSet) {
                continue;
            }
            const props = r.props as StatefulSetInputs;
            const labels = readKnown(() => ({ ...(props.metadata?.labels ?? {}) }));
            const id = labels.known ? tierOfLabels(labels.value) : undefined;
            const ns = knownString(() => props.metadata?.namespace);
            const name = knownString(() => props.metadata?.name);
            if (id === undefined || !ns.known || !name.known) {
                continue;
            }
            const selector = tierSelector(id.cluster, id.tier);
            if (pdbs.some((p) => p.namespace === ns.value && matchesSelector(p.matchLabels, selector))) {
                continue;
            }
            const stsName = name.value ?? r.name;
            reportViolation(
                `${tierSubject(id.cluster, id.tier, objectRef(ns.value ?? "<default>", stsName))}: ` +
                    `no PodDisruptionBudget (policy/v1) in its namespace selects ${JSON.stringify(selector)}. Without one a ` +
                    `node drain can evict several ${id.tier} pods at once, breaking PD quorum or taking 2 of a cell's 3 raft ` +
                    `replicas offline. Add a PodDisruptionBudget named ${stsName} with that selector and maxUnavailable: 1.`,
                r.urn,
            );
        }
    },
};
