/**
 * `elasticell-tier-owner` (mandatory): a plan may only change a deployed PD or Store StatefulSet
 * that this stack owns, i.e. whose `elasticell.io/pulumi-stack` annotation is `<project>/<stack>`
 * of the running stack (see `core/stack-identity.ts`). A live object owned by another stack, or by no
 * stack at all, is refused: adopting it could resize or roll a running tier.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackConfig } from "../core/config";
import {
    defaultRuleDeps,
    labelled,
    makeStatefulSetRule,
    type RuleDeps,
    type StatefulSetCase,
} from "../core/mandatory-rule";
import { knownString, type Known } from "../core/known";
import { StackAnnotation, StatefulTiers } from "../core/naming";
import { whyAdoption } from "../core/messages";
import { configuredStack, stackFromAnnotations, stackSchemaProperties } from "../core/stack-identity";
import type { StackConfig, StackIdentity } from "../core/stack-identity";
import type { StatefulSetInputs } from "../core/statefulset";

/** Policy name. */
export const tierOwnerName = "elasticell-tier-owner";

/** Config of this rule. */
export interface TierOwnerConfig extends PackConfig, StackConfig {}

/** The running stack: config, then run context, then the planned object's own annotation. */
function runningStack(
    props: StatefulSetInputs,
    config: TierOwnerConfig,
    deps: RuleDeps,
): Known<StackIdentity | undefined> {
    const known = configuredStack(config, deps.context());
    if (known !== undefined) {
        return { known: true, value: known };
    }
    const own = labelled(
        `metadata.annotations["${StackAnnotation}"]`,
        knownString(() => props.metadata?.annotations?.[StackAnnotation]),
    );
    if (!own.known) {
        return own;
    }
    return {
        known: true,
        value: own.value === undefined ? undefined : stackFromAnnotations([own.value], "the planned StatefulSet"),
    };
}

function judge(c: StatefulSetCase<TierOwnerConfig, StackIdentity | undefined>): string[] {
    if (c.deployed === undefined) {
        return [];
    }
    const owner = c.deployed.annotations[StackAnnotation];
    const running = c.planned;
    if (running !== undefined && owner === running.value) {
        return [];
    }
    const where = `${c.subject} is already deployed in ${c.baseline.target}`;
    const rename =
        `give this stack's cluster another name (\`pulumi config set name <new-name>\`) or namespace ` +
        `(\`pulumi config set namespace <new-namespace>\`)`;
    if (owner === undefined) {
        const self = running?.value ?? "<project>/<stack>";
        return [
            `${where}, but it has no ${StackAnnotation} annotation: it is not managed by a Pulumi stack of this project; ` +
                `adopting it could resize or roll a running tier.\n` +
                `Why this is unsafe: ${whyAdoption}\n` +
                `Instead: ${rename}. If this stack (${self}) did deploy it, before the annotation existed, mark it as ` +
                `this stack's with \`kubectl -n ${c.namespace} annotate statefulset ${c.name} ${StackAnnotation}=${self}\` ` +
                "and re-run the preview.",
        ];
    }
    if (running === undefined) {
        return [
            `${where} and owned by stack ${owner}, but the pack cannot tell which stack is running (the engine and the ` +
                `environment did not say, and the plan sets no ${StackAnnotation} annotation).\n` +
                `Instead: set {"${tierOwnerName}": {"stack": "<project>/<stack>"}} in the policy config ` +
                "(`--policy-pack-config <file>`) so the pack knows which objects this stack owns.",
        ];
    }
    return [
        `${where} and owned by stack ${owner} (its ${StackAnnotation} annotation), but this is stack ${running.value} ` +
            `(from ${running.source}).\n` +
            `Why this is unsafe: ${whyAdoption}\n` +
            `Instead: ${rename}, or manage cluster "${c.cluster}" from its owning stack ${owner}.`,
    ];
}

const description = "A plan must not change a deployed PD or Store StatefulSet that another stack, or no stack, owns.";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeTierOwner(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    const rule = { name: tierOwnerName, description, tiers: StatefulTiers, extraSchema: stackSchemaProperties };
    return makeStatefulSetRule({ ...rule, readPlan: runningStack, judge }, deps);
}

/** The rule as the pack runs it. */
export const tierOwner: ResourceValidationPolicy = makeTierOwner();
