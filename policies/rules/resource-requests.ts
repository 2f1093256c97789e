/**
 * `elasticell-resource-requests` (advisory, stack policy): every elasticell container requests cpu
 * and memory. One violation per cluster and problem lists every tier it concerns
 * (`../core/tier-findings.ts`), so a default stack gets one line, not one per tier.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../core/known";
import { collapsedPolicy, listText } from "../core/tier-findings";

/** Policy name. */
export const resourceRequestsName = "elasticell-resource-requests";

const required = ["cpu", "memory"] as const;

/** The rule. */
export const resourceRequests: StackValidationPolicy = collapsedPolicy({
    name: resourceRequestsName,
    description: "Elasticell containers should set cpu and memory requests.",
    enforcementLevel: "advisory",
    check: (c) => {
        const requests = readKnown(() => c.resources?.requests);
        const unset = (v: unknown) => v === undefined || v === null || v === "";
        // Unknown at preview: nothing to say yet.
        const missing = requests.known ? required.filter((k) => unset(requests.value?.[k])) : [];
        return missing.length === 0 ? undefined : { problem: `no ${missing.join(" or ")} request`, detail: "" };
    },
    advice: (_problem, tiers) =>
        "Without requests the scheduler can pack these pods onto a busy node and they are evicted first under " +
        "pressure; each eviction re-elects raft leaders and clients see timeouts. Set " +
        listText(tiers.map((t) => `${t}.resources.requests.{cpu,memory}`)) +
        ` (e.g. pulumi config set --path ${tiers[0] ?? "store"}.resources.requests.cpu 500m).`,
});
