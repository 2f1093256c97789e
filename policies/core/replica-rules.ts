/**
 * The replica rules: mandatory rules on the replica count of one tier, built on the mandatory rule
 * flow for StatefulSets (`mandatory-rule.ts`), judged against the tier's deployed size
 * (`deployed-size.ts`: the live StatefulSet, its volumes, PD's member list).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackConfig } from "./config";
import { deployedSize, type DeployedSize } from "./deployed-size";
import {
    defaultRuleDeps,
    labelled,
    makeStatefulSetRule,
    type RuleDeps,
    type Problem,
    type StatefulSetCase,
} from "./mandatory-rule";
import type { TierKind } from "./naming";
import type { PolicyConfigSchema } from "./sdk";
import { plannedClaimTemplates, requestedReplicas, type RequestedReplicas } from "./statefulset";

/** What a replica rule reads from the plan. */
export interface ReplicaPlan {
    readonly replicas: RequestedReplicas;
    /** Names of the planned volumeClaimTemplates, to find the tier's PVCs. */
    readonly templates: readonly string[];
}

/** Input to a replica rule's judgement. */
export interface ReplicaCase<C> extends StatefulSetCase<C, ReplicaPlan> {
    /** The planned replica count. */
    readonly requested: RequestedReplicas;
    /** The deployed size; undefined on a first deployment. */
    readonly size: DeployedSize | undefined;
}

/** A mandatory rule on the replica count of one tier. */
export interface ReplicaRuleSpec<C extends PackConfig> {
    readonly name: string;
    readonly description: string;
    readonly tier: TierKind;
    /** Rule-specific schema properties, added to the shared ones. */
    readonly extraSchema?: PolicyConfigSchema["properties"];
    /** One problem per violation (each message already says why and what to do); empty when allowed. */
    judge(c: ReplicaCase<C>): readonly Problem[] | Promise<readonly Problem[]>;
}

/** `3 -> 5 (deployed -> requested)`, noting when Kubernetes' default of 1 applies. */
export function transitionText(deployed: number, r: RequestedReplicas): string {
    const note = r.defaulted ? "; spec.replicas is not set, so Kubernetes uses 1" : "";
    return `${deployed} -> ${r.count} (deployed -> requested${note})`;
}

/** `2 (requested)`, noting when Kubernetes' default of 1 applies. */
export function requestedText(r: RequestedReplicas): string {
    return r.defaulted
        ? `${r.count} (requested: spec.replicas is not set, so Kubernetes uses 1)`
        : `${r.count} (requested)`;
}

/** Builds a mandatory `ResourceValidationPolicy` on the replicas of StatefulSets of `spec.tier`. */
export function makeReplicaRule<C extends PackConfig>(
    spec: ReplicaRuleSpec<C>,
    deps: RuleDeps = defaultRuleDeps(),
): ResourceValidationPolicy {
    return makeStatefulSetRule<C, ReplicaPlan>(
        {
            name: spec.name,
            description: spec.description,
            tiers: [spec.tier],
            ...(spec.extraSchema === undefined ? {} : { extraSchema: spec.extraSchema }),
            readPlan: (props) => {
                const replicas = labelled("spec.replicas", requestedReplicas(props));
                return replicas.known
                    ? { known: true, value: { replicas: replicas.value, templates: plannedClaimTemplates(props) } }
                    : replicas;
            },
            judge: async (c) => {
                const size = await deployedSize(
                    c.baseline,
                    c.tier,
                    c.namespace,
                    c.name,
                    c.deployed,
                    c.planned.templates,
                );
                return spec.judge({ ...c, requested: c.planned.replicas, size });
            },
        },
        deps,
    );
}
