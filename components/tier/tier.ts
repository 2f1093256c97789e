/**
 * The `Tier` component: registers the objects `buildTier` plans for one tier
 * (ConfigMap, Services, StatefulSet, PodDisruptionBudget), its NetworkPolicy and, for a stateful
 * tier, one PersistentVolumeClaim per ordinal (`buildClaims`). Registration only.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPolicyManifest } from "../network/policy";
import { loadBalancerAddress } from "./load-balancer";
import { buildTier, type TierSpecArgs } from "./spec";
import { buildClaims } from "./volumes";

/** Arguments of a `Tier`: the resolved settings of `buildTier`, and how the engine treats its StatefulSet. */
export interface TierArgs extends TierSpecArgs {
    /**
     * Mark the StatefulSet `protect`ed when the tier keeps data (PD, Store): the engine then refuses to
     * delete or replace it (a replacement deletes it first, stopping every pod of the tier at once).
     * @default false
     */
    readonly protect?: boolean;
    /**
     * The tier's NetworkPolicy (`buildNetworkPolicies`), registered before the StatefulSet so no pod
     * runs unprotected. @default none (config `networkPolicy.enabled: false`)
     */
    readonly networkPolicy?: NetworkPolicyManifest;
}

export class Tier extends pulumi.ComponentResource {
    /** Name of the tier's StatefulSet. */
    public readonly statefulSetName: pulumi.Output<string>;
    /** Desired pod count. */
    public readonly replicas: pulumi.Output<number>;
    /** Container image. */
    public readonly image: pulumi.Output<string>;
    /** The client Service's LoadBalancer address (IP or hostname); `""` for other types, or before one is assigned. */
    public readonly externalAddress: pulumi.Output<string>;

    constructor(name: string, args: TierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("elasticell:index:Tier", name, {}, opts);

        const plan = buildTier(args);
        const child = { parent: this };
        const configMap = new k8s.core.v1.ConfigMap(plan.configMap.metadata.name, plan.configMap, child);
        const service = (s: NonNullable<typeof plan.peerService>) => new k8s.core.v1.Service(s.metadata.name, s, child);
        const peerService = plan.peerService === undefined ? undefined : service(plan.peerService);
        const clientService = plan.clientService === undefined ? undefined : service(plan.clientService);
        const services = [peerService, clientService].filter((s) => s !== undefined);
        const policy =
            args.networkPolicy === undefined
                ? []
                : [new k8s.networking.v1.NetworkPolicy(args.networkPolicy.metadata.name, args.networkPolicy, child)];
        // The program sizes the volumes: claims exist before their pods, so the StatefulSet controller
        // adopts them (a new ordinal starts at the configured size), and a larger size grows them in place.
        // retainOnDelete: dropping a claim from the program (scale-in, destroy) never deletes its data.
        const claims = buildClaims(args).map(
            (c) =>
                new k8s.core.v1.PersistentVolumeClaim(
                    c.metadata.name,
                    { metadata: c.metadata, spec: c.spec },
                    { ...child, retainOnDelete: true },
                ),
        );
        // Services first: pods resolve their own DNS record before starting.
        const statefulSet = new k8s.apps.v1.StatefulSet(plan.statefulSet.metadata.name, plan.statefulSet, {
            ...child,
            dependsOn: [configMap, ...services, ...policy, ...claims],
            protect: args.protect === true && args.profile.storage !== undefined,
            // The API server never updates volumeClaimTemplates: the StatefulSet keeps those of its first
            // deployment (a change would replace it, every pod at once); the claims above carry the size.
            ignoreChanges: ["spec.volumeClaimTemplates"],
        });
        new k8s.policy.v1.PodDisruptionBudget(plan.podDisruptionBudget.metadata.name, plan.podDisruptionBudget, child);

        this.statefulSetName = statefulSet.metadata.name;
        this.replicas = statefulSet.spec.replicas;
        this.image = pulumi.output(args.settings.image);
        this.externalAddress =
            clientService === undefined ? pulumi.output("") : clientService.status.apply(loadBalancerAddress);
        this.registerOutputs({
            statefulSetName: this.statefulSetName,
            replicas: this.replicas,
            image: this.image,
            externalAddress: this.externalAddress,
        });
    }
}
