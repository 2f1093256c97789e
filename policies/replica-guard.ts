/**
 * The replica guards: mandatory rules on the replica count of one tier, built on the shared
 * StatefulSet guard flow (`guard.ts`).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { GuardConfig } from "./config";
import { defaultGuardDeps, labelled, makeStatefulSetGuard, type GuardDeps, type StatefulSetCase } from "./guard";
import type { TierKind } from "./labels";
import type { PolicyConfigSchema } from "./sdk";
import { requestedReplicas, type RequestedReplicas } from "./statefulset";

/** Input to a replica rule's judgement: `requested` is the planned replica count. */
export interface ReplicaCase<C> extends StatefulSetCase<C, RequestedReplicas> {
    readonly requested: RequestedReplicas;
}

/** A mandatory rule on the replica count of one tier. */
export interface ReplicaGuardSpec<C extends GuardConfig> {
    readonly name: string;
    readonly description: string;
    readonly tier: TierKind;
    /** Rule-specific schema properties, added to the shared ones. */
    readonly extraSchema?: PolicyConfigSchema["properties"];
    /** One message per problem (each already says why and what to do); empty when allowed. */
    judge(c: ReplicaCase<C>): readonly string[];
}

/** `3 -> 5 (deployed -> requested)`, noting when Kubernetes' default of 1 applies. */
export function transitionText(deployed: number, r: RequestedReplicas): string {
    const note = r.defaulted ? "; spec.replicas is not set, so Kubernetes uses 1" : "";
    return `${deployed} -> ${r.count} (deployed -> requested${note})`;
}

/** `2 (requested)`, noting when Kubernetes' default of 1 applies. */
export function requestedText(r: RequestedReplicas): string {
    return r.defaulted ? `${r.count} (requested: spec.replicas is not set, so Kubernetes uses 1)` : `${r.count} (requested)`;
}

/** Builds a mandatory `ResourceValidationPolicy` on the replicas of StatefulSets of `spec.tier`. */
export function makeReplicaGuard<C extends GuardConfig>(
    spec: ReplicaGuardSpec<C>,
    deps: GuardDeps = defaultGuardDeps(),
): ResourceValidationPolicy {
    return makeStatefulSetGuard<C, RequestedReplicas>(
        {
            name: spec.name,
            description: spec.description,
            tiers: [spec.tier],
            ...(spec.extraSchema === undefined ? {} : { extraSchema: spec.extraSchema }),
            readPlan: (props) => labelled("spec.replicas", requestedReplicas(props)),
            judge: (c) => spec.judge({ ...c, requested: c.planned }),
        },
        deps,
    );
}
