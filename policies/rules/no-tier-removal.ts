/**
 * `elasticell-no-tier-removal` (mandatory, stack policy): refuses a plan that drops a deployed
 * PD or Store StatefulSet owned by this stack (cluster renamed or removed). Deployed objects are
 * listed from every target the plan uses; an object is this stack's when its
 * `elasticell.io/pulumi-stack` annotation is `<project>/<stack>` of the running stack.
 */
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { targetOf, type Target } from "../baseline/resolve";
import { BaselineUnreadableError, type DeployedStatefulSet } from "../baseline/types";
import { packSchemaProperties, type PackConfig } from "../core/config";
import { defaultRuleDeps, reportMandatory, reportUnknown, reportUnreadable } from "../core/mandatory-rule";
import type { RuleDeps, RuleRun } from "../core/mandatory-rule";
import { knownString } from "../core/known";
import { AppName, LabelKeys, ResourceTypes, StackAnnotation, StatefulTiers } from "../core/naming";
import { overrideHowTo, whyTierRemoval } from "../core/messages";
import { overrideExample, type OverrideScope } from "../core/override";
import { configuredStack, stackFromAnnotations, stackSchemaProperties } from "../core/stack-identity";
import type { StackConfig, StackIdentity } from "../core/stack-identity";
import { tierOfLabels, type StatefulSetInputs } from "../core/statefulset";
import { objectRef, tierSubject } from "../core/subject";

/** Policy name. */
export const noTierRemovalName = "elasticell-no-tier-removal";

/** Config of this rule. */
export interface NoTierRemovalConfig extends PackConfig, StackConfig {}

interface Plan {
    /** `ns/name` of every StatefulSet in the plan, whatever its target. */
    readonly objects: Set<string>;
    /** Targets to list, by key. */
    readonly targets: Map<string, Target>;
    /** Namespaces seen in the plan, for targets that cannot be listed cluster-wide. */
    readonly namespaces: Set<string>;
    /** `elasticell.io/pulumi-stack` values on planned elasticell StatefulSets. */
    readonly owners: Set<string>;
    /** Why the plan is incomplete at preview (computed names or providers), if it is. */
    readonly unknown: string[];
}

function readPlan(resources: readonly PolicyResource[], deps: RuleDeps): Plan {
    const plan: Plan = {
        objects: new Set(),
        targets: new Map(),
        namespaces: new Set(),
        owners: new Set(),
        unknown: [],
    };
    const addTarget = (t: ReturnType<typeof targetOf>): Target | undefined => {
        if (!t.known) {
            plan.unknown.push(t.detail);
            return undefined;
        }
        plan.targets.set(t.value.key, t.value);
        if (t.value.namespace !== undefined) {
            plan.namespaces.add(t.value.namespace);
        }
        return t.value;
    };
    for (const r of resources) {
        if (r.type === ResourceTypes.provider) {
            addTarget(targetOf({ type: r.type, props: r.props, urn: r.urn, name: r.name }, deps.projectDir));
            continue;
        }
        if (r.type !== ResourceTypes.statefulSet) {
            continue;
        }
        const target = addTarget(targetOf(r.provider, deps.projectDir));
        const props = r.props as StatefulSetInputs;
        const name = knownString(() => props.metadata?.name);
        const ns = knownString(() => props.metadata?.namespace);
        if (!name.known || !ns.known) {
            plan.unknown.push(`StatefulSet ${r.name}: ${!name.known ? name.detail : ns.known ? "" : ns.detail}`);
            continue;
        }
        const namespace = ns.value ?? target?.namespace ?? "default";
        plan.namespaces.add(namespace);
        plan.objects.add(objectRef(namespace, name.value ?? r.name));
        const labels = knownString(() => props.metadata?.labels?.[LabelKeys.name]);
        const owner = knownString(() => props.metadata?.annotations?.[StackAnnotation]);
        if (labels.known && labels.value === AppName && owner.known && owner.value !== undefined) {
            plan.owners.add(owner.value);
        }
    }
    if (plan.targets.size === 0) {
        addTarget(targetOf(undefined, deps.projectDir));
    }
    return plan;
}

function identityOf(config: NoTierRemovalConfig, deps: RuleDeps, plan: Plan): StackIdentity | undefined {
    return configuredStack(config, deps.context()) ?? stackFromAnnotations(plan.owners, "the planned StatefulSets");
}

function projectOf(args: StackValidationArgs, deps: RuleDeps): string | undefined {
    return deps.context().project ?? args.stackTags.get("pulumi:project");
}

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeNoTierRemoval(deps: RuleDeps = defaultRuleDeps()): StackValidationPolicy {
    const description =
        "A plan must not delete a deployed PD or Store StatefulSet of an elasticell cluster owned by this stack.";
    return {
        name: noTierRemovalName,
        description,
        enforcementLevel: "mandatory",
        configSchema: {
            properties: { ...packSchemaProperties, ...stackSchemaProperties },
        },
        validateStack: async (args, reportViolation) => {
            const config = args.getConfig<NoTierRemovalConfig>();
            const run: RuleRun = { rule: noTierRemovalName, reporter: { reportViolation, description }, config, deps };
            const plan = readPlan(args.resources, deps);
            const identity = identityOf(config, deps, plan);
            const project = projectOf(args, deps);
            for (const target of [...plan.targets.values()].sort((a, b) => a.key.localeCompare(b.key))) {
                const baseline = deps.resolver.baselineFor(target);
                let deployed: readonly DeployedStatefulSet[];
                try {
                    deployed = await baseline.listStatefulSets({ [LabelKeys.name]: AppName }, [...plan.namespaces]);
                } catch (err) {
                    if (err instanceof BaselineUnreadableError) {
                        reportUnreadable(run, `elasticell StatefulSets of ${identity?.value ?? "this stack"}`, err);
                        continue;
                    }
                    throw err;
                }
                for (const sts of deployed) {
                    judge(run, sts, baseline.target, plan, identity, project);
                }
            }
        },
    };
}

function judge(
    run: RuleRun,
    sts: DeployedStatefulSet,
    target: string,
    plan: Plan,
    identity: StackIdentity | undefined,
    project: string | undefined,
): void {
    const id = tierOfLabels(sts.labels);
    if (id === undefined || !(StatefulTiers as readonly string[]).includes(id.tier)) {
        return;
    }
    const ref = objectRef(sts.namespace, sts.name);
    if (plan.objects.has(ref)) {
        return;
    }
    const owner = sts.annotations[StackAnnotation];
    if (owner === undefined) {
        return;
    }
    const subject = tierSubject(id.cluster, id.tier, ref);
    const scope: OverrideScope = { cluster: id.cluster, tier: id.tier };
    if (identity === undefined) {
        if (project !== undefined && !owner.startsWith(`${project}/`)) {
            return;
        }
        reportMandatory(
            run,
            `${subject} (owned by ${owner}, ${sts.replicas} replicas, in ${target}) is not in this plan, and the pack ` +
                "cannot tell which stack is running (the engine and the environment did not say), so it cannot rule out " +
                `that this plan deletes it.\nSet {"${run.rule}": {"stack": "<project>/<stack>"}} in the policy config ` +
                "(`--policy-pack-config <file>`) so the pack knows which objects this stack owns.",
            { scope },
        );
        return;
    }
    if (owner !== identity.value) {
        return;
    }
    if (plan.unknown.length > 0) {
        reportUnknown(run, subject, `the plan (${plan.unknown.join("; ")})`, { scope });
        return;
    }
    const tierName = id.tier === "pd" ? "PD" : "Store";
    reportMandatory(
        run,
        `${subject}: deployed with ${sts.replicas} replicas in ${target} and owned by this stack (${owner}, from ` +
            `${identity.source}), but this plan no longer has it, so it would be deleted (cluster renamed or removed?).\n` +
            `Why this is unsafe: ${whyTierRemoval}\n` +
            `Instead: keep cluster "${id.cluster}" in the program under the same name; to retire it, move its data off first. ` +
            `If the ${tierName} StatefulSet now belongs to another stack, change its ${StackAnnotation} annotation.\n` +
            overrideHowTo(run.rule, overrideExample(run.rule, scope, run.deps.now())),
        { scope },
    );
}

/** The rule as the pack runs it. */
export const noTierRemoval: StackValidationPolicy = makeNoTierRemoval();
