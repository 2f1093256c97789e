/**
 * The in-cluster guard: a ValidatingAdmissionPolicy (CEL on `oldObject`) and
 * its binding that hold every writer (plain `pulumi up`, `kubectl scale`,
 * `kubectl delete`, `kubectl replace --force`, autoscalers, other tools) to
 * the rules the policy pack enforces at preview:
 * - PD replicas never change, nor PD's member list (`PD_INITIAL_CLUSTER`); Store replicas never decrease,
 *   except down to the ordinals a `store.drain` recorded as Tombstone in PD (`DrainedDownToAnnotation`),
 *   while the StatefulSet's generation is still the one the drain recorded (any later spec change,
 *   such as a scale-out, voids it);
 * - a PD or Store StatefulSet is never deleted (a delete takes the whole tier
 *   down at once) unless it carries the unlock annotation `AllowDeleteAnnotation`;
 * - an update never changes the owning stack (`elasticell.io/pulumi-stack`).
 * Matches the StatefulSets and their `/scale` subresource by name (a Scale
 * object carries the StatefulSet's name but not its labels). Pure builder.
 */
import type * as k8s from "@pulumi/kubernetes";
import { StackAnnotation, WellKnownLabels, objectRef, statefulSetName, tierLabels } from "../labels";
import { DrainedDownToAnnotation, DrainedGenerationAnnotation } from "../drain/provider";
import { PdMembersEnv } from "../pd";

/**
 * The deliberate unlock for deleting a PD or Store StatefulSet: set it, with a
 * reason as its value, on the StatefulSet (`kubectl annotate`), then delete.
 * `pulumi destroy` needs no unlock: it removes this policy before the tiers.
 */
export const AllowDeleteAnnotation = "elasticell.io/allow-delete";

export interface AdmissionGuardArgs {
    readonly cluster: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    /**
     * Annotations of both objects; they carry the owning stack, so a second stack that declares the
     * same cluster conflicts (server-side apply) instead of co-owning, and later deleting, this guard.
     */
    readonly annotations: Readonly<Record<string, string>>;
}

type Named<Spec> = {
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: Spec;
};

export interface AdmissionGuardManifests {
    readonly policy: Named<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec>;
    readonly binding: Named<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec>;
}

/** Cluster-scoped, so the name carries namespace and cluster: `elasticell-guard.<ns>.<cluster>`. */
export function admissionPolicyName(cluster: string, namespace: string): string {
    return `elasticell-guard.${namespace}.${cluster}`;
}

/** A CEL string literal. */
function cel(s: string): string {
    return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A CEL expression reading annotation `key` of `obj`, or '' when absent. */
function annotation(obj: string, key: string): string {
    return `(has(${obj}.metadata.annotations) && ${cel(key)} in ${obj}.metadata.annotations ? ${obj}.metadata.annotations[${cel(key)}] : '')`;
}

/** The policy and binding for one cluster. */
export function buildAdmissionGuard(args: AdmissionGuardArgs): AdmissionGuardManifests {
    const name = admissionPolicyName(args.cluster, args.namespace);
    const pd = statefulSetName(args.cluster, "pd");
    const store = statefulSetName(args.cluster, "store");
    const ref = (sts: string) => objectRef(args.namespace, sts);
    const labels = tierLabels(args.cluster, "guard", undefined, args.labels);
    const annotations = { ...args.annotations };
    const isDelete = "request.operation == 'DELETE'";
    const isScale = "request.kind.kind == 'Scale'";
    return {
        policy: {
            metadata: { name, labels, annotations },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: [
                        {
                            apiGroups: ["apps"],
                            apiVersions: ["v1"],
                            operations: ["UPDATE", "DELETE"],
                            resources: ["statefulsets", "statefulsets/scale"],
                        },
                    ],
                },
                matchConditions: [
                    {
                        name: "this-clusters-pd-or-store",
                        expression: `request.name == ${cel(pd)} || request.name == ${cel(store)}`,
                    },
                ],
                // On DELETE `object` is null. A Scale (kubectl scale) omits spec.replicas when it is 0.
                variables: [
                    {
                        name: "requested",
                        expression: `${isDelete} ? 0 : (has(object.spec.replicas) ? object.spec.replicas : 0)`,
                    },
                    { name: "deployed", expression: "has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0" },
                    { name: "owner", expression: `${isScale} ? '' : ${annotation("oldObject", StackAnnotation)}` },
                    {
                        name: "claimant",
                        expression: `${isDelete} || ${isScale} ? '' : ${annotation("object", StackAnnotation)}`,
                    },
                    {
                        name: "unlock",
                        expression: `${isDelete} ? ${annotation("oldObject", AllowDeleteAnnotation)} : ''`,
                    },
                    // The drain's record (a Scale object carries no annotations: only a StatefulSet update uses it).
                    {
                        name: "drainedTo",
                        expression:
                            `${isDelete} || ${isScale} || !${annotation("oldObject", DrainedDownToAnnotation)}.matches('^[0-9]+$') || ` +
                            `${annotation("oldObject", DrainedGenerationAnnotation)} != string(oldObject.metadata.generation) ? -1 : ` +
                            `int(${annotation("oldObject", DrainedDownToAnnotation)})`,
                    },
                ],
                validations: [
                    {
                        expression: `${isDelete} || request.name != ${cel(pd)} || variables.requested == variables.deployed`,
                        messageExpression:
                            `'PD replicas of ${ref(pd)} are fixed at ' + string(variables.deployed) + ` +
                            `' (requested ' + string(variables.requested) + '): PD embeds etcd with a static member list. ` +
                            `Keep ' + string(variables.deployed) + '.'`,
                        reason: "Forbidden",
                    },
                    {
                        // Every member list the old pods were started with is still there, unchanged.
                        expression:
                            `${isDelete} || ${isScale} || request.name != ${cel(pd)} || ` +
                            `oldObject.spec.template.spec.containers.all(oc, !has(oc.env) || oc.env.all(oe, ` +
                            `oe.name != ${cel(PdMembersEnv)} || !has(oe.value) || object.spec.template.spec.containers.exists(c, ` +
                            `has(c.env) && c.env.exists(e, e.name == oe.name && has(e.value) && e.value == oe.value))))`,
                        message:
                            `PD's member list (${PdMembersEnv}, its --initial-cluster) of ${ref(pd)} is fixed for the life of the ` +
                            "cluster: etcd cannot add or remove members. Keep the PD replica count it was created with.",
                        reason: "Forbidden",
                    },
                    {
                        expression:
                            `${isDelete} || request.name != ${cel(store)} || variables.requested >= variables.deployed || ` +
                            "(variables.drainedTo >= 3 && variables.requested >= variables.drainedTo)",
                        messageExpression:
                            `'Store replicas of ${ref(store)} cannot go down (' + string(variables.deployed) + ' -> ' + ` +
                            `string(variables.requested) + '): each cell keeps 3 raft replicas on distinct stores. ` +
                            `Drain the stores first (store.drain, then pulumi up), then lower the replicas; see docs/operations.md.'`,
                        reason: "Forbidden",
                    },
                    {
                        expression: "request.operation != 'DELETE' || variables.unlock != ''",
                        messageExpression:
                            `'Deleting StatefulSet ${args.namespace}/' + request.name + ' would stop every pod of the tier at once ` +
                            `(kubectl delete, kubectl replace --force, or a replacement by the provider). To change it, keep the ` +
                            `StatefulSet and roll; to really delete it, first: kubectl -n ${args.namespace} annotate statefulset ' + ` +
                            `request.name + ' ${AllowDeleteAnnotation}="<reason>"'`,
                        reason: "Forbidden",
                    },
                    {
                        expression:
                            "variables.owner == '' || variables.claimant == '' || variables.owner == variables.claimant",
                        messageExpression:
                            `'StatefulSet ${args.namespace}/' + request.name + ' belongs to stack ' + variables.owner + ` +
                            `'; stack ' + variables.claimant + ' may not take it over. Use another cluster name or namespace, ` +
                            `or change it from ' + variables.owner + '.'`,
                        reason: "Forbidden",
                    },
                ],
            },
        },
        binding: {
            metadata: { name, labels, annotations },
            spec: {
                policyName: name,
                validationActions: ["Deny"],
                matchResources: {
                    namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: args.namespace } },
                },
            },
        },
    };
}
