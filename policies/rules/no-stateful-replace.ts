/**
 * `elasticell-no-stateful-replace` (mandatory): a deployed PD or Store StatefulSet keeps the fields
 * the API server refuses to update (`volumeClaimTemplates`, `selector`, `serviceName`,
 * `podManagementPolicy`). Changing one makes the provider delete and re-create the StatefulSet,
 * which takes the whole tier down at once. Only what the plan sets is compared, against the live
 * object, allowing for the defaults the API server fills in.
 *
 * The engine hands the pack a resource's inputs after `ignoreChanges` (pulumi step_generator:
 * `processIgnoreChanges` runs before the analyzers), and the program registers the StatefulSet with
 * `ignoreChanges: ["spec.volumeClaimTemplates"]`: a `storage.size` change therefore reaches this
 * rule only from a program or stack without that, and the claims' own rule,
 * `elasticell-volume-growth`, judges the size the program asks of each volume.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { DeployedClaimTemplate, DeployedStatefulSet } from "../baseline/types";
import { changedKeys, listText, mapText, sameList } from "../core/compare";
import type { PackConfig } from "../core/config";
import { defaultRuleDeps, makeStatefulSetRule, type RuleDeps, type StatefulSetCase } from "../core/mandatory-rule";
import { readPlain } from "../core/known";
import { StatefulTiers } from "../core/naming";
import { whyReplace } from "../core/messages";
import { compareQuantities, sameQuantity } from "../core/quantity";
import type { ClaimTemplateInputs, StatefulSetInputs } from "../core/statefulset";

/** Policy name. */
export const noStatefulReplaceName = "elasticell-no-stateful-replace";

/** The API server's default of `spec.podManagementPolicy`. */
const DefaultPodManagementPolicy = "OrderedReady";
const none = "<none>";

/** The immutable fields as the plan sets them. */
interface ImmutablePlan {
    readonly volumeClaimTemplates?: readonly ClaimTemplateInputs[];
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly serviceName?: string;
    readonly podManagementPolicy?: string;
}

/** One field that would change: `path: deployed -> requested`, and how to keep it. */
interface Difference {
    readonly path: string;
    readonly deployed: string;
    readonly requested: string;
    readonly instead: string;
}

type Case = StatefulSetCase<PackConfig, ImmutablePlan>;

const newCluster = "a different value needs a new cluster under a new name and a data migration";

function storageDifference(
    c: Case,
    live: DeployedClaimTemplate,
    size: string | number | undefined,
): Difference | undefined {
    const requested = String(size);
    if (size === undefined || (live.storage !== undefined && sameQuantity(live.storage, requested))) {
        return undefined;
    }
    const path = `spec.volumeClaimTemplates[${live.name}].resources.requests.storage`;
    if (live.storage === undefined) {
        return {
            path,
            deployed: none,
            requested,
            instead: `keep the template without a storage request; ${newCluster}.`,
        };
    }
    const keep = `keep the deployed size ${live.storage}: \`pulumi config set --path ${c.tier}.storage.size ${live.storage}\`.`;
    const order = compareQuantities(requested, live.storage);
    const instead =
        order === undefined
            ? `${keep} ${requested} is not a Kubernetes quantity (e.g. 20Gi).`
            : order > 0
              ? `${keep} Volumes grow through their claims, never through this template: the elasticell program registers ` +
                `the StatefulSet with \`ignoreChanges: ["spec.volumeClaimTemplates"]\` and one PersistentVolumeClaim per ordinal ` +
                `sized from ${c.tier}.storage.size, grown in place where the StorageClass allows expansion (rule ` +
                `elasticell-volume-growth). A plan that changes the template comes from a program without that ignoreChanges, ` +
                `or from a stack with no state for this StatefulSet: raise the size from the stack that deployed it, with the current program.`
              : `${keep} Volumes cannot shrink: a smaller size needs a new cluster under a new name and a data migration.`;
    return { path, deployed: live.storage, requested, instead };
}

function classDifference(c: Case, live: DeployedClaimTemplate, className: string | undefined): Difference | undefined {
    // Unset: the API server fills in the default class, which is no change. "" asks for no class.
    if (className === undefined || live.storageClassName === (className === "" ? undefined : className)) {
        return undefined;
    }
    const rm = `\`pulumi config rm --path ${c.tier}.storage.className\``;
    const keep =
        live.storageClassName === undefined
            ? `keep no storage class: ${rm}.`
            : `keep the deployed class ${live.storageClassName}: \`pulumi config set --path ${c.tier}.storage.className ` +
              `${live.storageClassName}\` (or ${rm} when ${live.storageClassName} is the cluster's default class).`;
    return {
        path: `spec.volumeClaimTemplates[${live.name}].storageClassName`,
        deployed: live.storageClassName ?? none,
        requested: className === "" ? `"" (no class)` : className,
        instead: `${keep} A different class needs a new cluster under a new name and a data migration.`,
    };
}

function modesDifference(live: DeployedClaimTemplate, modes: readonly string[] | undefined): Difference | undefined {
    if (modes === undefined || sameList(modes, live.accessModes)) {
        return undefined;
    }
    const deployed = listText(live.accessModes);
    const path = `spec.volumeClaimTemplates[${live.name}].accessModes`;
    return {
        path,
        deployed,
        requested: listText(modes),
        instead: `keep the deployed access modes ${deployed}; ${newCluster}.`,
    };
}

function templateDifferences(c: Case, sts: DeployedStatefulSet, planned: readonly ClaimTemplateInputs[]): Difference[] {
    const out: Difference[] = [];
    const byName = new Map(sts.volumeClaimTemplates.map((t) => [t.name, t]));
    const deployedNames = listText(sts.volumeClaimTemplates.map((t) => t.name));
    const plannedNames = new Set<string>();
    for (const t of planned) {
        const name = t.metadata?.name ?? "";
        plannedNames.add(name);
        const live = byName.get(name);
        if (live === undefined) {
            const instead = `keep the deployed templates ${deployedNames}; ${newCluster}.`;
            out.push({ path: `spec.volumeClaimTemplates[${name}]`, deployed: none, requested: "added", instead });
            continue;
        }
        const found = [
            storageDifference(c, live, t.spec?.resources?.requests?.storage),
            classDifference(c, live, t.spec?.storageClassName),
            modesDifference(live, t.spec?.accessModes),
        ];
        out.push(...found.filter((d): d is Difference => d !== undefined));
    }
    for (const live of sts.volumeClaimTemplates.filter((t) => !plannedNames.has(t.name))) {
        const path = `spec.volumeClaimTemplates[${live.name}]`;
        const instead = `keep the deployed templates ${deployedNames}; removing one needs a new cluster and a data migration.`;
        out.push({ path, deployed: "present", requested: "removed", instead });
    }
    return out;
}

/** Every difference between the plan's immutable fields and the deployed object. */
function immutableDifferences(c: Case, sts: DeployedStatefulSet): Difference[] {
    const p = c.planned;
    const out = templateDifferences(c, sts, p.volumeClaimTemplates ?? []);
    const matchLabels = p.matchLabels ?? {};
    if (changedKeys(matchLabels, sts.selector).length > 0) {
        const deployed = mapText(sts.selector);
        out.push({
            path: "spec.selector.matchLabels",
            deployed,
            requested: mapText(matchLabels),
            instead: `keep the deployed selector ${deployed}: a selector holds only the stable tier labels (name, instance, component).`,
        });
    }
    const serviceName = p.serviceName ?? "";
    if (serviceName !== (sts.serviceName ?? "")) {
        const deployed = sts.serviceName ?? none;
        out.push({
            path: "spec.serviceName",
            deployed,
            requested: serviceName || none,
            instead: `keep serviceName ${deployed}; ${newCluster}.`,
        });
    }
    const policy = p.podManagementPolicy ?? DefaultPodManagementPolicy;
    const livePolicy = sts.podManagementPolicy ?? DefaultPodManagementPolicy;
    if (policy !== livePolicy) {
        const requested =
            p.podManagementPolicy === undefined ? `${policy} (not set in the plan: the API server's default)` : policy;
        const instead = `keep podManagementPolicy ${livePolicy}; ${newCluster}.`;
        out.push({ path: "spec.podManagementPolicy", deployed: livePolicy, requested, instead });
    }
    return out;
}

function judge(c: Case): string[] {
    if (c.deployed === undefined) {
        return [];
    }
    return immutableDifferences(c, c.deployed).map(
        (d) =>
            `${c.subject}: ${d.path}: ${d.deployed} -> ${d.requested} (deployed -> requested).\n` +
            `Why this is unsafe: ${whyReplace}\n` +
            `Instead: ${d.instead}`,
    );
}

function readPlan(props: StatefulSetInputs) {
    return readPlain<ImmutablePlan>(() => ({
        volumeClaimTemplates: props.spec?.volumeClaimTemplates,
        matchLabels: props.spec?.selector?.matchLabels,
        serviceName: props.spec?.serviceName,
        podManagementPolicy: props.spec?.podManagementPolicy,
    }));
}

const description =
    "A deployed PD or Store StatefulSet must keep the fields whose change makes the provider replace it.";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeNoStatefulReplace(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    return makeStatefulSetRule(
        { name: noStatefulReplaceName, description, tiers: StatefulTiers, readPlan, judge },
        deps,
    );
}

/** The rule as the pack runs it. */
export const noStatefulReplace: ResourceValidationPolicy = makeNoStatefulReplace();
