/**
 * Advisory findings about tier containers, collapsed across tiers. A default stack has the same
 * advice for PD, Store and Proxy (e.g. three `:latest` images); reported per StatefulSet it repeats
 * three times and buries a mandatory refusal among the advisories. So the rules that use this run
 * as stack policies and report one violation per cluster and problem, listing every tier it
 * concerns (`test/policies/rules/image-pinned.test.ts`; docs/safety.md: "A refused preview").
 */
import type { EnforcementLevel, PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { knownString, readKnown } from "./known";
import { ResourceTypes, TierKinds } from "./naming";
import { forEachTierContainer, type ContainerInputs, type StatefulSetInputs, type TierIdentity } from "./statefulset";
import { clusterTiersText, objectRef } from "./subject";

/** One container's problem, as a rule sees it. */
export interface ContainerFinding {
    /** Groups findings: equal keys in one cluster become one violation (e.g. "uses the :latest tag"). */
    readonly problem: string;
    /** What this container shows, e.g. `"deepfabric/pd:latest"` (may be empty). */
    readonly detail: string;
}

/** Where a finding was seen. */
interface Seen extends ContainerFinding {
    readonly tier: TierIdentity["tier"];
    readonly where: string;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
    return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Runs `check` on every container of every elasticell tier StatefulSet of the stack and reports
 * one violation per (cluster, problem): the tiers, each container's detail and object, then
 * `advice(problem, tiers)`. Containers whose values are unknown at preview are skipped.
 */
export function reportCollapsed(
    resources: readonly PolicyResource[],
    reportViolation: ReportViolation,
    check: (container: ContainerInputs, id: TierIdentity) => ContainerFinding | undefined,
    advice: (problem: string, tiers: readonly string[]) => string,
): void {
    const groups = new Map<string, { cluster: string; problem: string; seen: Seen[] }>();
    for (const r of resources) {
        if (r.type !== ResourceTypes.statefulSet) {
            continue;
        }
        const props = r.props as StatefulSetInputs;
        const name = knownString(() => props.metadata?.name);
        const ns = knownString(() => props.metadata?.namespace);
        const object = objectRef(
            ns.known ? (ns.value ?? "<provider default namespace>") : "<unknown>",
            name.known ? (name.value ?? r.name) : "<unknown>",
        );
        // Unknown labels or containers at preview: nothing to say about this object yet.
        readKnown(() =>
            forEachTierContainer(props, (c, i, id) => {
                const finding = check(c, id);
                if (finding === undefined) {
                    return;
                }
                const key = JSON.stringify([id.cluster, finding.problem]);
                const group = groups.get(key) ?? { cluster: id.cluster, problem: finding.problem, seen: [] };
                group.seen.push({
                    ...finding,
                    tier: id.tier,
                    where: `StatefulSet ${object}, container ${c.name ?? `#${i}`}`,
                });
                groups.set(key, group);
            }),
        );
    }
    const order = (t: string) => (TierKinds as readonly string[]).indexOf(t);
    for (const { cluster, problem, seen: unordered } of groups.values()) {
        const seen = [...unordered].sort((a, b) => order(a.tier) - order(b.tier)); // PD, Store, Proxy: the start order
        const tiers = [...new Set(seen.map((s) => s.tier))];
        const items = seen.map((s) => `${s.tier}: ${s.where}${s.detail === "" ? "" : ` ${s.detail}`}`);
        reportViolation(
            `${clusterTiersText(cluster, listText(tiers), tiers.length !== 1)}: ${problem}: ${items.join("; ")}. ` +
                advice(problem, tiers),
        );
    }
}

/** A container rule reported collapsed across tiers: what the policy shows, and its check and advice. */
export interface CollapsedRule {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** One container's finding, or undefined when it is fine (see `reportCollapsed`). */
    readonly check: (container: ContainerInputs, id: TierIdentity) => ContainerFinding | undefined;
    /** The way forward for one problem and the tiers it concerns. */
    readonly advice: (problem: string, tiers: readonly string[]) => string;
}

/** The stack policy of a container rule: `reportCollapsed` over every resource of the stack. */
export function collapsedPolicy(rule: CollapsedRule): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateStack: (args, reportViolation) =>
            reportCollapsed(args.resources, reportViolation, rule.check, rule.advice),
    };
}
