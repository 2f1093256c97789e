/**
 * `elasticell-roll-healthy-tier` (mandatory): a plan that rolls the pods of a deployed PD or Store
 * StatefulSet (its pod template changes) needs every pod of that tier, and of the cluster's PD
 * tier, to be Ready. Pods are read live only when the template changes; a render directory has no
 * pods, so there the health check is skipped.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { podServes, podStateText } from "../baseline/pods";
import type { DeployedContainer, DeployedPodTemplate, DeployedStatefulSet } from "../baseline/types";
import { changedKeys, deepContains, sameList } from "../core/compare";
import type { PackConfig } from "../core/config";
import { defaultRuleDeps, makeStatefulSetRule, type RuleDeps, type StatefulSetCase } from "../core/mandatory-rule";
import { readPlain } from "../core/known";
import { LabelKeys, podName, StatefulTiers, tierSelector, type TierKind } from "../core/naming";
import { objectRef } from "../core/subject";
import { whyRollUnhealthy } from "../core/messages";
import type { ContainerInputs, StatefulSetInputs } from "../core/statefulset";

/** Policy name. */
export const rollHealthyTierName = "elasticell-roll-healthy-tier";

/** A planned container, reduced to the fields whose change rolls the pods. */
type PlannedContainer = Pick<ContainerInputs, "name" | "image" | "command" | "args" | "env"> & {
    readonly init: boolean;
};

/** The pod template as the plan sets it. */
interface PlannedTemplate {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly containers: readonly PlannedContainer[];
}

type Case = StatefulSetCase<PackConfig, PlannedTemplate>;

function pick(list: readonly ContainerInputs[] | undefined, init: boolean): PlannedContainer[] {
    return Array.from({ length: list?.length ?? 0 }, (_, i) => {
        const c = list?.[i];
        return { init, name: c?.name, image: c?.image, command: c?.command, args: c?.args, env: c?.env };
    });
}

function readPlan(props: StatefulSetInputs) {
    return readPlain<PlannedTemplate>(() => ({
        labels: props.spec?.template?.metadata?.labels,
        annotations: props.spec?.template?.metadata?.annotations,
        containers: [
            ...pick(props.spec?.template?.spec?.initContainers, true),
            ...pick(props.spec?.template?.spec?.containers, false),
        ],
    }));
}

function keyOf(c: { readonly init: boolean; readonly name?: string | undefined }): string {
    return `${c.init ? "init container" : "container"} ${c.name ?? ""}`;
}

function containerChanges(planned: PlannedContainer, live: DeployedContainer): string[] {
    const key = keyOf(planned);
    const out: string[] = [];
    if (planned.image !== undefined && planned.image !== live.image) {
        out.push(`${key} image ${live.image ?? "<none>"} -> ${planned.image}`);
    }
    for (const field of ["command", "args"] as const) {
        if (!sameList(planned[field] ?? [], live[field])) {
            out.push(`${key} ${field}`);
        }
    }
    if (!deepContains(planned.env ?? [], live.env)) {
        out.push(`${key} env`);
    }
    return out;
}

/** What in the pod template would change, each as a short phrase; empty when nothing rolls. */
function templateChanges(planned: PlannedTemplate, live: DeployedPodTemplate): string[] {
    const out: string[] = [];
    for (const [what, p, l] of [
        ["label", planned.labels ?? {}, live.labels],
        ["annotation", planned.annotations ?? {}, live.annotations],
    ] as const) {
        for (const k of changedKeys(p, l)) {
            out.push(`pod template ${what} ${k} ${l[k] ?? "<none>"} -> ${p[k] ?? "<none>"}`);
        }
    }
    const liveByKey = new Map(live.containers.map((c) => [keyOf(c), c]));
    for (const c of planned.containers) {
        const l = liveByKey.get(keyOf(c));
        out.push(...(l === undefined ? [`${keyOf(c)} added`] : containerChanges(c, l)));
    }
    const plannedKeys = new Set(planned.containers.map(keyOf));
    out.push(...live.containers.filter((c) => !plannedKeys.has(keyOf(c))).map((c) => `${keyOf(c)} removed`));
    return out;
}

/** A pod that does not serve: its name and its state, for messages. */
interface Down {
    readonly name: string;
    readonly text: string;
}

/**
 * The pods of `tier` that do not serve, plus the ordinals of `sts` that have no pod; undefined
 * when the target has no pods (render directory).
 */
async function notServing(c: Case, tier: TierKind, sts: DeployedStatefulSet | undefined): Promise<Down[] | undefined> {
    const pods = await c.baseline.listPods(c.namespace, tierSelector(c.cluster, tier));
    if (pods === undefined) {
        return undefined;
    }
    const sorted = [...pods].sort((a, b) => a.name.localeCompare(b.name));
    const out = sorted.filter((p) => !podServes(p)).map((p) => ({ name: p.name, text: podStateText(p) }));
    for (let i = 0; sts !== undefined && i < sts.replicas; i++) {
        const name = podName(sts.name, i);
        if (!pods.some((p) => p.name === name)) {
            out.push({ name, text: `${objectRef(c.namespace, name)} (missing: no pod)` });
        }
    }
    return out;
}

/** The live PD StatefulSet of the case's cluster, found by its labels. */
async function livePd(c: Case): Promise<DeployedStatefulSet | undefined> {
    const found = await c.baseline.listStatefulSets(tierSelector(c.cluster, "pd"), [c.namespace]);
    return found.find((s) => s.namespace === c.namespace);
}

async function judge(c: Case): Promise<string[]> {
    if (c.deployed === undefined) {
        return [];
    }
    const changes = templateChanges(c.planned, c.deployed.template);
    if (changes.length === 0) {
        return [];
    }
    const own = await notServing(c, c.tier, c.deployed);
    if (own === undefined) {
        return [];
    }
    const down = [...own, ...(c.tier === "pd" ? [] : ((await notServing(c, "pd", await livePd(c))) ?? []))];
    const [first] = down;
    if (first === undefined) {
        return [];
    }
    return [
        `${c.subject}: this plan changes the pod template (${changes.join("; ")}), so Kubernetes would roll every ` +
            `${c.tier} pod, one at a time, but ${down.length} pod(s) of cluster "${c.cluster}" do not serve: ${down.map((d) => d.text).join(", ")}.\n` +
            `Why this is unsafe: ${whyRollUnhealthy}\n` +
            `Instead: wait until \`kubectl -n ${c.namespace} get pods -l ${LabelKeys.instance}=${c.cluster}\` shows every pod ` +
            `Ready, or fix the failing pod first (\`kubectl -n ${c.namespace} describe pod ${first.name}\`), then re-run the preview.`,
    ];
}

const description =
    "A plan may roll the pods of a PD or Store tier only while every pod of that tier and of PD is Ready.";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeRollHealthyTier(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    return makeStatefulSetRule({ name: rollHealthyTierName, description, tiers: StatefulTiers, readPlan, judge }, deps);
}

/** The rule as the pack runs it. */
export const rollHealthyTier: ResourceValidationPolicy = makeRollHealthyTier();
