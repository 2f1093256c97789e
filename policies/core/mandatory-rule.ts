/**
 * The shared flow of the mandatory rules: find the deployed object, judge the transition, and
 * report at the right level (override, unknown-at-preview, unreadable baseline).
 */
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { findProjectDir } from "../baseline/project-dir";
import { DefaultBaselineResolver, targetOf, type BaselineResolver } from "../baseline/resolve";
import { BaselineUnreadableError, type Baseline, type DeployedStatefulSet } from "../baseline/types";
import { packSchemaProperties, type PackConfig } from "./config";
import { runContext, type RunContext } from "./engine-context";
import type { Known } from "./known";
import type { TierKind } from "./naming";
import { overrideHowTo, unreadableHowTo } from "./messages";
import { evaluateOverride, overrideExample, type OverrideScope, type Transition } from "./override";
import { report, type Reporter } from "./report";
import { validateResourceOfType, type PolicyConfigSchema } from "./sdk";
import { unreadableAllowance, unreadableAllowExample } from "./unreadable";
import { plannedName, plannedNamespace, StatefulSet, tierOf, type StatefulSetInputs } from "./statefulset";
import { objectRef, tierSubject } from "./subject";

/** What the mandatory rules depend on; tests swap them. */
export interface RuleDeps {
    /** Picks the baseline of a target. */
    readonly resolver: BaselineResolver;
    /** The current time (override expiry). */
    readonly now: () => Date;
    /** Project, stack, preview flag. */
    readonly context: () => RunContext;
    /** Base of relative render directories. */
    readonly projectDir: () => string;
}

let sharedResolver: DefaultBaselineResolver | undefined;

/** The pack's dependencies: one shared resolver (and so one cache) for all rules of the process. */
export function defaultRuleDeps(): RuleDeps {
    sharedResolver ??= new DefaultBaselineResolver();
    return {
        resolver: sharedResolver,
        now: () => new Date(),
        context: () => runContext(),
        projectDir: () => findProjectDir(),
    };
}

/** One evaluation of a mandatory rule. */
export interface RuleRun {
    readonly rule: string;
    readonly reporter: Reporter;
    readonly config: PackConfig;
    readonly deps: RuleDeps;
}

/** Where a violation applies, for break-glass and the engine. */
export interface ViolationOptions {
    /** The cluster, tier and transition it is about; without it no override applies. */
    readonly scope?: OverrideScope;
    /** Why no override may allow it, when none may (the store floor, more than one store at a time). */
    readonly notOverridable?: string;
    /** The resource it is about, for stack policies. */
    readonly urn?: string;
}

/** Reports a mandatory violation, or an advisory one while a valid break-glass override for it is active. */
export function reportMandatory(run: RuleRun, message: string, options: ViolationOptions = {}): void {
    const { scope, notOverridable, urn } = options;
    const o = evaluateOverride(run.config.override, run.rule, scope, run.deps.now());
    if (o.kind !== "none" && notOverridable !== undefined) {
        report(run.reporter, "mandatory", `${message}\nBreak-glass override does not apply: ${notOverridable}.`, urn);
    } else if (o.kind === "active") {
        report(
            run.reporter,
            "advisory",
            `ALLOWED by break-glass override until ${o.expires}; reason: "${o.reason}".\n${message}`,
            urn,
        );
    } else if (o.kind === "ignored") {
        report(run.reporter, "mandatory", `${message}\nBreak-glass override ignored: ${o.why}.`, urn);
    } else {
        report(run.reporter, "mandatory", message, urn);
    }
}

/** A value the rule needs is unknown: advisory during preview, mandatory during the update. */
export function reportUnknown(run: RuleRun, subject: string, what: string, options: ViolationOptions = {}): void {
    if (run.deps.context().dryRun === false) {
        reportMandatory(
            run,
            `${subject}: ${what} is still unknown during the update, so ${run.rule} cannot check it; refusing.`,
            options,
        );
        return;
    }
    report(
        run.reporter,
        "advisory",
        `${subject}: cannot check at preview: ${what} is computed from another resource's output. ` +
            "It will be checked at `pulumi up`.",
        options.urn,
    );
}

/** The baseline cannot be read: fail closed unless a valid `baselineUnreadable` allowance (or an override). */
export function reportUnreadable(
    run: RuleRun,
    subject: string,
    err: BaselineUnreadableError,
    options: ViolationOptions = {},
): void {
    const { urn } = options;
    if (err.unknownAtPreview) {
        reportUnknown(run, subject, err.reason, options);
        return;
    }
    const message =
        `${subject}: cannot read the deployed state from ${err.target}: ${err.reason}. ` +
        `Without it ${run.rule} cannot compare the plan with what is deployed (or tell it from a first deployment), so it fails closed.\n` +
        unreadableHowTo(unreadableAllowExample(run.rule, run.deps.now()));
    const allowance = unreadableAllowance(run.config.baselineUnreadable, run.rule, run.deps.now());
    if (allowance.kind === "allowed") {
        report(
            run.reporter,
            "advisory",
            `${message}\nAllowed by baselineUnreadable until ${allowance.expires}; reason: "${allowance.reason}".`,
            urn,
        );
        return;
    }
    reportMandatory(
        run,
        allowance.kind === "refused" ? `${message}\nbaselineUnreadable allowance ignored: ${allowance.why}.` : message,
        options,
    );
}

/** Input to the judgement of a StatefulSet rule. */
export interface StatefulSetCase<C, P> {
    readonly cluster: string;
    readonly tier: TierKind;
    readonly namespace: string;
    readonly name: string;
    readonly subject: string;
    /** The deployed object, undefined on a first deployment. */
    readonly deployed: DeployedStatefulSet | undefined;
    /** What `readPlan` read from the planned inputs. */
    readonly planned: P;
    readonly config: C;
    /** The baseline the object was read from, for further reads (pods). */
    readonly baseline: Baseline;
}

/** A mandatory rule on the StatefulSets of some tiers, judged against the deployed object. */
export interface StatefulSetRuleSpec<C extends PackConfig, P> {
    readonly name: string;
    readonly description: string;
    /** Tiers the rule judges (from the labels); other StatefulSets are ignored. */
    readonly tiers: readonly TierKind[];
    /** Rule-specific schema properties, added to the shared ones. */
    readonly extraSchema?: PolicyConfigSchema["properties"];
    /** Reads what the rule needs from the plan; unknown at preview, with what and why (reported advisory). */
    readPlan(props: StatefulSetInputs, config: C, deps: RuleDeps): Known<P>;
    /**
     * One problem per violation (each message already says why and what to do); empty when allowed.
     * May read more of the baseline: a `BaselineUnreadableError` is reported like an unreadable
     * StatefulSet.
     */
    judge(c: StatefulSetCase<C, P>): readonly (string | Problem)[] | Promise<readonly (string | Problem)[]>;
}

/** A violation found by a judgement; a plain string is a message without a transition. */
export interface Problem {
    readonly message: string;
    /** The replica transition it is about: a break-glass override must name exactly this one. */
    readonly transition?: Transition;
    /** Why no break-glass override may allow it, when none may. */
    readonly notOverridable?: string;
}

/** `k`, with its unknown detail prefixed by the field it is about: `spec.replicas (...)`. */
export function labelled<T>(what: string, k: Known<T>): Known<T> {
    return k.known ? k : { known: false, detail: `${what} (${k.detail})` };
}

/** Where a planned object stands, as far as the plan knows it: its name, namespace and target. */
export interface PlannedPlace {
    readonly name: Known<string | undefined>;
    readonly namespace: Known<string>;
    readonly target: Known<unknown>;
}

/** `ns/name` of a planned object, `<unknown>` for what the preview does not know yet. */
export function plannedRef(place: PlannedPlace, resourceName: string): string {
    const { name, namespace } = place;
    return objectRef(
        namespace.known ? namespace.value : "<unknown>",
        name.known ? (name.value ?? resourceName) : "<unknown>",
    );
}

/** What of `planned` and `place` is unknown, field by field, for `reportUnknown`. */
export function unknownDetail(planned: Known<unknown>, place: PlannedPlace): string {
    const fields = [
        planned,
        labelled("metadata.name", place.name),
        labelled("metadata.namespace", place.namespace),
        labelled("the provider", place.target),
    ];
    return fields.flatMap((k) => (k.known ? [] : [k.detail])).join("; ");
}

/**
 * Builds a mandatory `ResourceValidationPolicy` for StatefulSets of `spec.tiers`: finds the planned
 * name, namespace and target, reads the deployed object, and reports what `judge` finds (break-glass
 * aware), or an unknown (preview) or unreadable baseline.
 */
export function makeStatefulSetRule<C extends PackConfig, P>(
    spec: StatefulSetRuleSpec<C, P>,
    deps: RuleDeps = defaultRuleDeps(),
): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        configSchema: { properties: { ...packSchemaProperties, ...spec.extraSchema } },
        validateResource: validateResourceOfType(StatefulSet, async (props, args, reportViolation: ReportViolation) => {
            const id = tierOf(props);
            if (id === undefined || !spec.tiers.includes(id.tier)) {
                return;
            }
            const config = args.getConfig<C>();
            const run: RuleRun = {
                rule: spec.name,
                reporter: { reportViolation, description: spec.description, urn: args.urn },
                config,
                deps,
            };
            const name = plannedName(props);
            const target = targetOf(args.provider, deps.projectDir);
            const providerNs = target.known ? target.value.namespace : undefined;
            const namespace = plannedNamespace(props, providerNs);
            const subject = tierSubject(id.cluster, id.tier, plannedRef({ name, namespace, target }, args.name));
            const planned = spec.readPlan(props, config, deps);
            const tierScope: OverrideScope = { cluster: id.cluster, tier: id.tier };
            if (!planned.known || !name.known || !namespace.known || !target.known) {
                reportUnknown(run, subject, unknownDetail(planned, { name, namespace, target }), { scope: tierScope });
                return;
            }
            if (name.value === undefined) {
                reportUnreadable(
                    run,
                    subject,
                    new BaselineUnreadableError(
                        "the program",
                        "the StatefulSet has no explicit metadata.name, so its deployed object cannot be found",
                    ),
                );
                return;
            }
            let problems: readonly (string | Problem)[];
            try {
                const baseline = deps.resolver.baselineFor(target.value);
                const deployed = await baseline.getStatefulSet(namespace.value, name.value);
                problems = await spec.judge({
                    cluster: id.cluster,
                    tier: id.tier,
                    namespace: namespace.value,
                    name: name.value,
                    subject,
                    deployed,
                    planned: planned.value,
                    config,
                    baseline,
                });
            } catch (err) {
                if (err instanceof BaselineUnreadableError) {
                    reportUnreadable(run, subject, err, { scope: tierScope });
                    return;
                }
                throw err;
            }
            for (const p of problems) {
                const problem = typeof p === "string" ? { message: p } : p;
                const scope: OverrideScope = {
                    cluster: id.cluster,
                    tier: id.tier,
                    ...(problem.transition === undefined ? {} : { transition: problem.transition }),
                };
                const howTo =
                    problem.notOverridable === undefined
                        ? `\n${overrideHowTo(spec.name, overrideExample(spec.name, scope, deps.now()))}`
                        : "";
                reportMandatory(run, `${problem.message}${howTo}`, {
                    scope,
                    ...(problem.notOverridable === undefined ? {} : { notOverridable: problem.notOverridable }),
                });
            }
        }),
    };
}
