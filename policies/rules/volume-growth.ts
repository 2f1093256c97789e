/**
 * `elasticell-volume-growth` (mandatory): a PD or Store volume changes only the way the API server
 * can apply in place. The program registers one PersistentVolumeClaim per ordinal and sizes it from
 * `<tier>.storage.size`; this rule compares each planned claim with the live claim of that name:
 * - a larger size is allowed when the claim is Bound and its StorageClass has
 *   `allowVolumeExpansion: true` (the PersistentVolumeClaimResize admission refuses it otherwise),
 *   and refused, naming the class and the fix, where it does not; a claim not yet Bound cannot
 *   change size at all (API validation), so growing it is refused until it binds;
 * - a smaller size and a different class are refused: the API server never shrinks a claim or
 *   changes its class, so they need a new cluster and a data migration. One exception: after a
 *   failed expansion the request may go back down while it stays above the claim's
 *   `status.capacity` (what the volume has now), which is how Kubernetes recovers from it.
 * No live claim (first deployment, a new ordinal): any size is allowed, except a new PD ordinal
 * beyond PD's deployed size. The program creates claims before the StatefulSet (so the controller
 * adopts them), so a refused PD resize would otherwise leave new PD volumes behind, and during
 * `pulumi up --skip-preview` those volumes would already count as PD's deployed size when the
 * StatefulSet is judged. A render directory has no claims and no classes: nothing to compare.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Baseline, DeployedClaim } from "../baseline/types";
import { BaselineUnreadableError } from "../baseline/types";
import { plannedClaim, PersistentVolumeClaim, type ClaimInputs, type PlannedClaim } from "../core/claim";
import { packSchemaProperties, type PackConfig } from "../core/config";
import { defaultRuleDeps, plannedRef, reportMandatory, reportUnknown, reportUnreadable } from "../core/mandatory-rule";
import { unknownDetail, type RuleDeps, type RuleRun } from "../core/mandatory-rule";
import { deployedSize } from "../core/deployed-size";
import { OrdinalPattern, statefulSetName, StatefulTiers, type TierKind } from "../core/naming";
import { overrideHowTo, whyPdFixed } from "../core/messages";
import { overrideExample } from "../core/override";
import { compareQuantities, sameQuantity } from "../core/quantity";
import { validateResourceOfType } from "../core/sdk";
import { plannedName, plannedNamespace, tierOfLabels } from "../core/statefulset";
import { tierSubject } from "../core/subject";
import { targetOf } from "../baseline/resolve";

/** Policy name. */
export const volumeGrowthName = "elasticell-volume-growth";

/** Why no break-glass override applies: the API server would refuse the change anyway. */
const apiRefuses = "the API server refuses this change to a claim whatever the pack allows";

const migration = "needs a new cluster under a new name and a data migration";

/** One planned claim against its live object. */
export interface ClaimCase {
    /** `elasticell cluster "x", tier store, PersistentVolumeClaim ns/name`. */
    readonly subject: string;
    readonly tier: TierKind;
    readonly planned: PlannedClaim;
    /** The live claim; undefined when it does not exist yet. */
    readonly live: DeployedClaim | undefined;
    /** Reads a StorageClass (undefined name: the default class), for a size increase only. */
    readonly baseline: Pick<Baseline, "getStorageClass">;
}

function keepSize(c: ClaimCase, live: string): string {
    return `keep the deployed size ${live}: \`pulumi config set --path ${c.tier}.storage.size ${live}\``;
}

async function growth(c: ClaimCase, live: string, requested: string): Promise<string | undefined> {
    const phase = c.live?.phase;
    if (phase !== undefined && phase !== "Bound") {
        return (
            `${c.subject}: spec.resources.requests.storage: ${live} -> ${requested} (deployed -> requested).\n` +
            `Why this is refused: the claim is ${phase}, not Bound, and the API server changes a claim's size only once it ` +
            `is bound to a volume (with a WaitForFirstConsumer class: once its pod is scheduled).\n` +
            `Instead: wait until \`kubectl get pvc\` shows it Bound (its pod scheduled) and run the preview again, or ${keepSize(c, live)}.`
        );
    }
    const className = c.live?.storageClassName;
    const cls = await c.baseline.getStorageClass(className);
    const named = className ?? "(the cluster's default class)";
    const head = `${c.subject}: spec.resources.requests.storage: ${live} -> ${requested} (deployed -> requested).`;
    if (cls === undefined) {
        return (
            `${head}\nWhy this is refused: the claim's StorageClass ${named} does not exist in the cluster, so nothing ` +
            `says its volumes may grow, and the API server refuses to expand the claim.\n` +
            `Instead: ${keepSize(c, live)}, or re-create the class with allowVolumeExpansion: true if its driver can expand volumes.`
        );
    }
    if (cls.allowVolumeExpansion) {
        return undefined;
    }
    return (
        `${head}\nWhy this is refused: the claim's StorageClass ${cls.name} does not allow volume expansion ` +
        `(allowVolumeExpansion is not true), so the API server refuses to grow the claim (PersistentVolumeClaimResize).\n` +
        `Instead: if the class's provisioner can expand volumes, allow it: ` +
        `\`kubectl patch storageclass ${cls.name} -p '{"allowVolumeExpansion":true}'\` and run the preview again. ` +
        `Otherwise ${keepSize(c, live)}; more space ${migration} onto larger volumes.`
    );
}

async function sizeProblem(c: ClaimCase, live: DeployedClaim): Promise<string | undefined> {
    const requested = c.planned.size;
    if (requested === undefined || live.storage === undefined || sameQuantity(live.storage, requested)) {
        return undefined;
    }
    const order = compareQuantities(requested, live.storage);
    if (order !== undefined && order > 0) {
        return growth(c, live.storage, requested);
    }
    // Recovering from a failed expansion: the API server lets the request go back down, as long as it
    // stays above what the volume has now (RecoverVolumeExpansionFailure, GA in Kubernetes 1.34).
    const aboveCapacity = live.capacity === undefined ? undefined : compareQuantities(requested, live.capacity);
    if (order !== undefined && aboveCapacity !== undefined && aboveCapacity > 0) {
        return undefined;
    }
    const why =
        order === undefined
            ? `${requested} is not a Kubernetes quantity (e.g. 20Gi).`
            : `volumes cannot shrink: the API server refuses a smaller request than the claim holds, and the data on it stays.`;
    return (
        `${c.subject}: spec.resources.requests.storage: ${live.storage} -> ${requested} (deployed -> requested).\n` +
        `Why this is refused: ${why}\n` +
        `Instead: ${keepSize(c, live.storage)}. A smaller volume ${migration}.`
    );
}

function classProblem(c: ClaimCase, live: DeployedClaim): string | undefined {
    const className = c.planned.className;
    // Unset: the API server filled in the default class when the claim was created, which is no change.
    if (className === undefined || live.storageClassName === (className === "" ? undefined : className)) {
        return undefined;
    }
    const rm = `\`pulumi config rm --path ${c.tier}.storage.className\``;
    const keep =
        live.storageClassName === undefined
            ? `keep no storage class: ${rm}`
            : `keep the deployed class ${live.storageClassName}: \`pulumi config set --path ${c.tier}.storage.className ` +
              `${live.storageClassName}\` (or ${rm} when ${live.storageClassName} is the cluster's default class)`;
    return (
        `${c.subject}: spec.storageClassName: ${live.storageClassName ?? "<none>"} -> ${className === "" ? `"" (no class)` : className} ` +
        `(deployed -> requested).\nWhy this is refused: the API server never changes the class of a claim; the volume ` +
        `and its data stay where they are.\nInstead: ${keep}. A different class ${migration}.`
    );
}

/** The problems of one planned claim against its live object; empty when allowed. */
export async function judgeClaim(c: ClaimCase): Promise<string[]> {
    if (c.live === undefined || c.live.deleting) {
        return [];
    }
    const found = [classProblem(c, c.live), await sizeProblem(c, c.live)];
    return found.filter((p): p is string => p !== undefined);
}

/** `<template>-<statefulset>-<ordinal>`: the template and ordinal of a claim of `statefulSet`. */
export function claimOrdinal(claim: string, statefulSet: string): { template: string; ordinal: number } | undefined {
    const suffix = `-${statefulSet}-`;
    const at = claim.lastIndexOf(suffix);
    const digits = at <= 0 ? "" : claim.slice(at + suffix.length);
    if (!new RegExp(`^${OrdinalPattern}$`).test(digits)) {
        return undefined;
    }
    return { template: claim.slice(0, at), ordinal: Number(digits) };
}

/**
 * A new PD claim (no live claim of that name) whose ordinal is beyond PD's deployed size (member
 * list, else replicas, else volumes): the first step of a PD resize. Undefined when allowed.
 */
export async function newPdMember(
    baseline: Baseline,
    cluster: string,
    namespace: string,
    claim: string,
    subject: string,
): Promise<string | undefined> {
    const sts = statefulSetName(cluster, "pd");
    const parsed = claimOrdinal(claim, sts);
    if (parsed === undefined) {
        return undefined;
    }
    const size = await deployedSize(baseline, "pd", namespace, sts, await baseline.getStatefulSet(namespace, sts), [
        parsed.template,
    ]);
    if (size === undefined || parsed.ordinal < size.count) {
        return undefined;
    }
    return (
        `${subject}: a new volume for PD ordinal ${parsed.ordinal}, but PD's deployed size is ${size.count} ` +
        `(the deployed size comes from ${size.source}).\n` +
        `Why this is refused: ${whyPdFixed} The program creates a tier's volumes before its StatefulSet, so this volume ` +
        `would be created even where the StatefulSet change is refused.\n` +
        `Instead: keep PD at ${size.count}: \`pulumi config set --path pd.replicas ${size.count}\`.`
    );
}

const description =
    "A PD or Store volume may only grow, in place, where its StorageClass allows expansion; never shrink or change class.";

/** Builds the rule with the given dependencies (tests pass an in-memory baseline). */
export function makeVolumeGrowth(deps: RuleDeps = defaultRuleDeps()): ResourceValidationPolicy {
    return {
        name: volumeGrowthName,
        description,
        enforcementLevel: "mandatory",
        configSchema: { properties: { ...packSchemaProperties } },
        validateResource: validateResourceOfType(
            PersistentVolumeClaim,
            async (props: ClaimInputs, args, reportViolation) => {
                const id = tierOfLabels(props.metadata?.labels);
                if (id === undefined || !(StatefulTiers as readonly TierKind[]).includes(id.tier)) {
                    return;
                }
                const run: RuleRun = {
                    rule: volumeGrowthName,
                    reporter: { reportViolation, description, urn: args.urn },
                    config: args.getConfig<PackConfig>(),
                    deps,
                };
                const meta = { metadata: props.metadata };
                const name = plannedName(meta);
                const target = targetOf(args.provider, deps.projectDir);
                const namespace = plannedNamespace(meta, target.known ? target.value.namespace : undefined);
                const ref = plannedRef({ name, namespace, target }, args.name);
                const subject = tierSubject(id.cluster, id.tier, ref, "PersistentVolumeClaim");
                const scope = { cluster: id.cluster, tier: id.tier };
                const planned = plannedClaim(props);
                if (!planned.known || !name.known || !namespace.known || !target.known) {
                    reportUnknown(run, subject, unknownDetail(planned, { name, namespace, target }), { scope });
                    return;
                }
                const claimName = name.value ?? args.name;
                let problems: string[];
                try {
                    const baseline = deps.resolver.baselineFor(target.value);
                    const claims = await baseline.listClaims(namespace.value);
                    const live = claims?.find((cl) => cl.name === claimName);
                    problems = await judgeClaim({ subject, tier: id.tier, planned: planned.value, live, baseline });
                    // A render directory has no claims, but its StatefulSet still tells PD's deployed size.
                    const member =
                        live === undefined && id.tier === "pd"
                            ? await newPdMember(baseline, id.cluster, namespace.value, claimName, subject)
                            : undefined;
                    if (member !== undefined) {
                        reportMandatory(
                            run,
                            `${member}\n${overrideHowTo(volumeGrowthName, overrideExample(volumeGrowthName, scope, deps.now()))}`,
                            { scope },
                        );
                    }
                } catch (err) {
                    if (err instanceof BaselineUnreadableError) {
                        reportUnreadable(run, subject, err, { scope });
                        return;
                    }
                    throw err;
                }
                for (const message of problems) {
                    reportMandatory(run, message, { scope, notOverridable: apiRefuses });
                }
            },
        ),
    };
}

/** The rule as the pack runs it. */
export const volumeGrowth: ResourceValidationPolicy = makeVolumeGrowth();
