/**
 * The in-cluster guard: a ValidatingAdmissionPolicy (CEL on `oldObject`) and
 * its binding that hold every writer (`kubectl scale`, autoscalers, other
 * tools) to the rules the policy pack enforces at preview: PD replicas never
 * change and Store replicas never decrease. Matches the StatefulSets and
 * their `/scale` subresource; a Scale object carries the StatefulSet's name
 * but not its labels, so the rules match by name. Pure builder.
 */
import type * as k8s from "@pulumi/kubernetes";
import { statefulSetName, tierLabels } from "../labels";


export interface AdmissionGuardArgs {
    readonly cluster: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
}

export interface AdmissionGuardManifests {
    readonly policy: { metadata: { name: string; labels: Record<string, string> }; spec: k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec };
    readonly binding: { metadata: { name: string; labels: Record<string, string> }; spec: k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec };
}

/** Cluster-scoped, so the name carries namespace and cluster: `elasticell-guard.<ns>.<cluster>`. */
export function admissionPolicyName(cluster: string, namespace: string): string {
    return `elasticell-guard.${namespace}.${cluster}`;
}

/** The policy and binding for one cluster. */
export function buildAdmissionGuard(args: AdmissionGuardArgs): AdmissionGuardManifests {
    const name = admissionPolicyName(args.cluster, args.namespace);
    const pd = statefulSetName(args.cluster, "pd");
    const store = statefulSetName(args.cluster, "store");
    const labels = tierLabels(args.cluster, "guard", undefined, args.labels);
    return {
        policy: {
            metadata: { name, labels },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: [
                        {
                            apiGroups: ["apps"],
                            apiVersions: ["v1"],
                            operations: ["UPDATE"],
                            resources: ["statefulsets", "statefulsets/scale"],
                        },
                    ],
                },
                matchConditions: [
                    {
                        name: "this-clusters-pd-or-store",
                        expression: `object.metadata.name == '${pd}' || object.metadata.name == '${store}'`,
                    },
                ],
                // A Scale (kubectl scale) omits spec.replicas when it is 0.
                variables: [
                    { name: "requested", expression: "has(object.spec.replicas) ? object.spec.replicas : 0" },
                    { name: "deployed", expression: "has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0" },
                ],
                validations: [
                    {
                        expression: `object.metadata.name != '${pd}' || variables.requested == variables.deployed`,
                        messageExpression: `'PD replicas of ${args.namespace}/${pd} are fixed at ' + string(variables.deployed) + ' (requested ' + string(variables.requested) + '): PD embeds etcd with a static member list. Keep ' + string(variables.deployed) + '.'`,
                        reason: "Forbidden",
                    },
                    {
                        expression: `object.metadata.name != '${store}' || variables.requested >= variables.deployed`,
                        messageExpression: `'Store replicas of ${args.namespace}/${store} cannot go down (' + string(variables.deployed) + ' -> ' + string(variables.requested) + '): each cell keeps 3 raft replicas on distinct stores. Offline the store in PD and wait for Tombstone first; see the README runbook.'`,
                        reason: "Forbidden",
                    },
                ],
            },
        },
        binding: {
            metadata: { name, labels },
            spec: {
                policyName: name,
                validationActions: ["Deny"],
                matchResources: {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.namespace } },
                },
            },
        },
    };
}
