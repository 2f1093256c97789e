/**
 * The shared frame of the advisory rules on one planned StatefulSet of an elasticell tier: find
 * the tier by its labels, let the rule name its problems, and report each after the object's
 * subject (`elasticell cluster "x", tier y, StatefulSet ns/name: ...`).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "./sdk";
import { describePlanned, StatefulSet, tierOf, type StatefulSetInputs, type TierIdentity } from "./statefulset";

/** An advisory rule on the planned StatefulSet of each elasticell tier. */
export interface AdvisoryStatefulSetSpec {
    readonly name: string;
    /** One sentence: what the rule wants. */
    readonly description: string;
    /** The problems of one tier's StatefulSet, each saying why and what to do; empty when fine. */
    problems(props: StatefulSetInputs, id: TierIdentity): readonly string[];
}

/** Builds the advisory `ResourceValidationPolicy` of `spec`; StatefulSets of no elasticell tier are skipped. */
export function makeAdvisoryStatefulSetRule(spec: AdvisoryStatefulSetSpec): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "advisory",
        validateResource: validateResourceOfType(StatefulSet, (props, args, reportViolation) => {
            const id = tierOf(props);
            if (id === undefined) {
                return;
            }
            for (const problem of spec.problems(props, id)) {
                reportViolation(`${describePlanned(props, id, args.name)}: ${problem}`);
            }
        }),
    };
}
