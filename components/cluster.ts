/**
 * `CellCluster`: one elasticell cluster. Brings up PD, then Store, then
 * Proxy (each waits for the previous tier's pods to be Ready, which also
 * makes an image change roll PD first, then Store, then Proxy), plus the
 * optional namespace, a NetworkPolicy per tier and the in-cluster admission
 * guard (both on by default). The PD and Store StatefulSets are `protect`ed
 * by default (config `protect`). A destroy removes the guard, waits until the
 * API server stops enforcing it (`guard/release.ts`), then removes the tiers.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resolveClusterArgs, tierServiceSettings, type CellClusterArgs } from "./cluster-args";
import { drainOrdinals } from "./config-drain";
import { StoreDrain } from "./drain/store-drain";
import { buildAdmissionGuard } from "./guard/admission";
import { GuardRelease } from "./guard/release";
import { AppName, LabelKeys, ManagedBy, StackAnnotation, podName, redisServiceName, statefulSetName } from "./labels";
import { buildNetworkPolicies, clientPeers } from "./network/policy";
import { pdClientUrl, pdProfile } from "./pd";
import { ProxyPorts, proxyProfile, redisEndpoint } from "./proxy";
import { storeProfile } from "./store";
import type { ClusterContext, TierProfile } from "./tier/profile";
import type { TierSettings } from "./tier/spec";
import { Tier } from "./tier/tier";
import { registerZoneAccess } from "./zone-access";

export type { CellClusterArgs, ResolvedClusterArgs } from "./cluster-args";

/** Per-tier outputs. */
export interface TierOutputs {
    readonly statefulSet: pulumi.Output<string>;
    readonly replicas: pulumi.Output<number>;
    readonly image: pulumi.Output<string>;
}

/** One elasticell cluster (PD, Store, Proxy) as a component; import it from the package entry, `components/index.ts`. */
export class CellCluster extends pulumi.ComponentResource {
    /** Redis endpoint of the proxies: `<name>-cell.<namespace>.svc:6379`. */
    public readonly redisEndpoint: pulumi.Output<string>;
    /** PD client URL (etcd client and the HTTP API under /pd/api/v1/). */
    public readonly pdClientUrl: pulumi.Output<string>;
    /** The Redis Service's LoadBalancer address (IP or hostname); `""` unless `proxy.service.type` is LoadBalancer and one is assigned. */
    public readonly redisExternalAddress: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    public readonly pd: TierOutputs;
    public readonly store: TierOutputs;
    public readonly proxy: TierOutputs;

    /**
     * @param name the cluster name: prefix of every object name and the
     *   `app.kubernetes.io/instance` label (a DNS label of at most 46 characters).
     * @param input optional settings (`CellClusterArgs`); defaults are applied here, and bad
     *   values throw one `pulumi.ResourceError` listing every problem before any child exists.
     */
    constructor(name: string, input: CellClusterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("elasticell:index:CellCluster", name, {}, opts);
        const args = resolveClusterArgs(this, name, input);

        const ctx: ClusterContext = { cluster: name, namespace: args.namespace, pdReplicas: args.pd.replicas };
        const annotations = { ...args.annotations, [StackAnnotation]: `${pulumi.getProject()}/${pulumi.getStack()}` };
        const common = { ctx, timezone: args.timezone, labels: args.labels, annotations, protect: args.protect };

        const namespace = args.createNamespace
            ? new k8s.core.v1.Namespace(
                  args.namespace,
                  {
                      metadata: {
                          name: args.namespace,
                          labels: { ...args.labels, [LabelKeys.partOf]: AppName, [LabelKeys.managedBy]: ManagedBy },
                      },
                  },
                  // Deleting a namespace deletes the PVCs in it: destroy leaves it, and the data, in place.
                  { parent: this, retainOnDelete: true },
              )
            : undefined;

        const profiles = [pdProfile, storeProfile, proxyProfile];
        const policies = buildNetworkPolicies({
            ctx,
            profiles,
            config: args.networkPolicy,
            labels: args.labels,
            annotations,
            // nodeApi: the stores' init container reads its node through the API server.
            apiServerEgress: args.store.topology.source === "nodeApi" ? ["store"] : [],
        });
        if (args.networkPolicy.enabled && clientPeers(args.networkPolicy.proxyClients).length === 0) {
            void pulumi.log.warn(
                `networkPolicy.proxyClients names no client, so nothing can reach Redis on ${redisServiceName(name)}:${ProxyPorts.redis}; ` +
                    "name namespaces, podSelectors or cidrs (allowAll: every pod of the cluster)",
                this,
            );
        }

        const tier = (profile: TierProfile, settings: TierSettings, dependsOn: pulumi.Resource[]) =>
            new Tier(
                statefulSetName(name, profile.kind),
                {
                    ...common,
                    profile,
                    settings,
                    service: tierServiceSettings(profile.kind, args),
                    networkPolicy: policies[profile.kind],
                },
                { parent: this, dependsOn },
            );

        const afterNamespace = namespace === undefined ? [] : [namespace];
        const pd = tier(pdProfile, args.pd, afterNamespace);
        // store.topology.source nodeApi: the stores read their node's labels through the API.
        const zoneAccess =
            args.store.topology.source === "nodeApi"
                ? registerZoneAccess(this, {
                      ctx,
                      tier: "store",
                      labels: args.labels,
                      annotations,
                      dependsOn: afterNamespace,
                  })
                : [];
        const store = tier(storeProfile, args.store, [pd, ...zoneAccess]);
        const proxy = tier(proxyProfile, args.proxy, [store]);

        // store.drain: a reviewable step of its own; the scale-in is a later run the pack allows (drain/store-drain.ts).
        const drain = drainOrdinals(name, args.store.drain);
        if (drain.length > 0) {
            const pods = drain.map((o) => podName(name, "store", o)).join(", ");
            void pulumi.log.info(
                `store.drain: ${pods} will be taken offline in PD (highest ordinal first), waited for until Tombstone, ` +
                    "and their volumes deleted; lower store.replicas afterwards, in a later run",
                this,
            );
            new StoreDrain(
                `${name}-store-drain`,
                {
                    cluster: name,
                    namespace: args.namespace,
                    statefulSet: statefulSetName(name, "store"),
                    ordinals: drain,
                    claimTemplates: [storeProfile.storage!.template],
                    ...(args.pd.apiUrl === undefined ? {} : { pdApiUrl: args.pd.apiUrl }),
                    timeoutSeconds: args.store.drainTimeoutSeconds,
                },
                { parent: this, dependsOn: [store] },
            );
        }

        if (args.guard.admissionPolicy) {
            const guard = buildAdmissionGuard({
                cluster: name,
                namespace: args.namespace,
                labels: args.labels,
                annotations,
            });
            // Destroy order: binding, policy, release, tiers. The release waits until the API server's
            // admission policy cache drops the deleted policy, so the tiers' deletes are not refused.
            const release = new GuardRelease(
                `${name}-guard-release`,
                {
                    namespace: args.namespace,
                    statefulSets: [statefulSetName(name, "pd"), statefulSetName(name, "store")],
                    policy: guard.policy.metadata.name,
                },
                { parent: this, dependsOn: [pd, store] },
            );
            const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
                guard.policy.metadata.name,
                guard.policy,
                // After the tiers it guards (through the release), so `pulumi destroy` removes it first.
                { parent: this, dependsOn: [release] },
            );
            new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
                guard.binding.metadata.name,
                guard.binding,
                {
                    parent: this,
                    dependsOn: [policy],
                },
            );
        }

        const outputs = (t: Tier): TierOutputs => ({
            statefulSet: t.statefulSetName,
            replicas: t.replicas,
            image: t.image,
        });
        this.namespace = namespace?.metadata.name ?? pulumi.output(args.namespace);
        this.redisEndpoint = this.namespace.apply((ns) => redisEndpoint({ cluster: name, namespace: ns }));
        this.pdClientUrl = this.namespace.apply((ns) => pdClientUrl({ cluster: name, namespace: ns }));
        this.redisExternalAddress = proxy.externalAddress;
        this.pd = outputs(pd);
        this.store = outputs(store);
        this.proxy = outputs(proxy);
        this.registerOutputs({
            redisEndpoint: this.redisEndpoint,
            pdClientUrl: this.pdClientUrl,
            redisExternalAddress: this.redisExternalAddress,
            namespace: this.namespace,
            pd: this.pd,
            store: this.store,
            proxy: this.proxy,
        });
    }
}
