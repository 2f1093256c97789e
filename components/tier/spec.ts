/**
 * The one shared tier builder: pure functions from resolved settings to
 * plain Kubernetes objects. No resources, no config reads, no `apply`.
 * Its args are in spec-args.ts, the pod's container and volumes in container.ts.
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import sortBy from "lodash/sortBy";
import {
    PatchForceAnnotation,
    WellKnownLabels,
    configMapName,
    peerServiceName,
    statefulSetName,
    tierLabels,
    tierSelector,
} from "../labels";
import type { ClusterContext, TierProfile } from "./profile";
import { scriptFileName, tierContainer, tierPodVolumes } from "./container";
import { containerSecurityContext, podSecurityContext } from "./security";
import { terminationGraceSeconds } from "./probes";
import type { BinaryOptions } from "./binary-flags";
import { binaryOptions, podAnnotations, podLabels, podSpecKnobs } from "./pod-knobs";
import type { Manifest, Metadata } from "./manifest";
import type { TierSpecArgs } from "./spec-args";
import { claimSpec } from "./volumes";
import { zoneInitContainers, zoneServiceAccountName, zoneTopology } from "./zone";

export type { ServiceSettings, TierSettings, TierSpecArgs } from "./spec-args";
export type { Manifest, Metadata } from "./manifest";
export { scriptFileName } from "./container";

/** The plain objects of one tier. */
export interface TierManifests {
    readonly configMap: { metadata: Metadata; data: Record<string, string> };
    readonly statefulSet: Manifest<k8s.types.input.apps.v1.StatefulSetSpec>;
    readonly peerService?: Manifest<k8s.types.input.core.v1.ServiceSpec>;
    readonly clientService?: Manifest<k8s.types.input.core.v1.ServiceSpec>;
    readonly podDisruptionBudget: Manifest<k8s.types.input.policy.v1.PodDisruptionBudgetSpec>;
}

/** Annotation on the pod template carrying a hash of the ConfigMap, so a script change rolls the pods. */
export const ConfigHashAnnotation = "elasticell.io/config-hash";

/**
 * The image's tag as an `app.kubernetes.io/version` value: `latest` when
 * untagged, undefined when it is not a valid label value (e.g. a digest).
 */
export function imageVersion(image: string): string | undefined {
    const [withoutDigest = ""] = image.split("@");
    const lastSlash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const tag = colon > lastSlash ? withoutDigest.slice(colon + 1) : "latest";
    return /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(tag) && !image.includes("@") ? tag : undefined;
}

function metadata(args: TierSpecArgs, name: string): Metadata {
    const { ctx, profile, settings } = args;
    return {
        name,
        namespace: ctx.namespace,
        labels: tierLabels(ctx.cluster, profile.kind, imageVersion(settings.image), args.labels),
        annotations: { ...args.annotations },
    };
}

function affinity(args: TierSpecArgs): k8s.types.input.core.v1.Affinity | undefined {
    const selector = { matchLabels: tierSelector(args.ctx.cluster, args.profile.kind) };
    const term = { labelSelector: selector, topologyKey: WellKnownLabels.hostname };
    switch (args.settings.antiAffinity) {
        case "required":
            return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
        case "preferred":
            return {
                podAntiAffinity: {
                    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }],
                },
            };
        case "none":
            return undefined;
    }
}

function topologySpread(args: TierSpecArgs): k8s.types.input.core.v1.TopologySpreadConstraint[] | undefined {
    if (args.settings.zoneSpread === "none") {
        return undefined;
    }
    return [
        {
            maxSkew: 1,
            topologyKey: WellKnownLabels.zone,
            whenUnsatisfiable: args.settings.zoneSpread === "required" ? "DoNotSchedule" : "ScheduleAnyway",
            labelSelector: { matchLabels: tierSelector(args.ctx.cluster, args.profile.kind) },
        },
    ];
}

/** The ConfigMap data of a tier: its start script and any config files. */
export function configMapData(
    profile: TierProfile,
    ctx: ClusterContext,
    binary?: BinaryOptions,
): Record<string, string> {
    return {
        [scriptFileName(profile)]: profile.startScript(ctx, binary),
        ...(profile.configFiles?.(ctx, binary) ?? {}),
    };
}

/** A stable hash of ConfigMap data (sorted keys). */
export function configHash(data: Readonly<Record<string, string>>): string {
    const h = createHash("sha256");
    for (const [key, value] of sortBy(Object.entries(data), ([key]) => key)) {
        h.update(key).update("\0").update(value).update("\0");
    }
    return h.digest("hex").slice(0, 16);
}

function statefulSet(args: TierSpecArgs, data: Record<string, string>): TierManifests["statefulSet"] {
    const { profile, ctx, settings } = args;
    const meta = metadata(args, statefulSetName(ctx.cluster, profile.kind));
    const storage = profile.storage;
    return {
        // The program owns its tiers: `pulumi up` takes back fields another manager changed (a
        // `kubectl scale`), which the pack and the admission policy have judged first.
        metadata: { ...meta, annotations: { ...meta.annotations, [PatchForceAnnotation]: "true" } },
        spec: {
            replicas: settings.replicas,
            serviceName:
                profile.peerPorts !== undefined
                    ? peerServiceName(ctx.cluster, profile.kind)
                    : (profile.clientService?.name(ctx) ?? meta.name),
            // All members start together: PD's embedded etcd must see its peers within a minute.
            podManagementPolicy: "Parallel",
            // A pod that flaps right after starting stops the rollout instead of letting it move on.
            minReadySeconds: settings.minReadySeconds,
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
            selector: { matchLabels: tierSelector(ctx.cluster, profile.kind) },
            // Neither scaling in nor deleting the StatefulSet deletes data.
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: {
                metadata: {
                    labels: podLabels(meta.labels, settings),
                    annotations: podAnnotations(args.annotations, settings, {
                        [ConfigHashAnnotation]: configHash(data),
                    }),
                },
                spec: {
                    initContainers: zoneInitContainers(
                        zoneTopology(profile, settings),
                        containerSecurityContext(settings.securityContext),
                    ),
                    containers: [tierContainer(args)],
                    volumes: tierPodVolumes(args),
                    nodeSelector: { ...settings.nodeSelector },
                    tolerations: [...settings.tolerations],
                    affinity: affinity(args),
                    topologySpreadConstraints: topologySpread(args),
                    ...podSpecKnobs(
                        settings,
                        zoneServiceAccountName(ctx.cluster, profile.kind, zoneTopology(profile, settings)),
                    ),
                    terminationGracePeriodSeconds: terminationGraceSeconds(profile),
                    securityContext: podSecurityContext(settings.securityContext),
                },
            },
            volumeClaimTemplates:
                storage === undefined || settings.storage === undefined
                    ? undefined
                    : [
                          {
                              metadata: { name: storage.template, labels: tierSelector(ctx.cluster, profile.kind) },
                              spec: claimSpec(settings.storage),
                          },
                      ],
        },
    };
}

function peerService(args: TierSpecArgs): TierManifests["peerService"] {
    const { profile, ctx } = args;
    if (profile.peerPorts === undefined) {
        return undefined;
    }
    return {
        metadata: metadata(args, peerServiceName(ctx.cluster, profile.kind)),
        spec: {
            clusterIP: "None",
            // Members must resolve each other before they are Ready (PD bootstrap).
            publishNotReadyAddresses: true,
            selector: tierSelector(ctx.cluster, profile.kind),
            ports: profile.peerPorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
        },
    };
}

function clientService(args: TierSpecArgs): TierManifests["clientService"] {
    const { profile, ctx, service } = args;
    if (profile.clientService === undefined) {
        return undefined;
    }
    const meta = metadata(args, profile.clientService.name(ctx));
    return {
        metadata: { ...meta, annotations: { ...meta.annotations, ...(service?.annotations ?? {}) } },
        spec: {
            type: service?.type ?? "ClusterIP",
            loadBalancerIP: service?.loadBalancerIP,
            externalTrafficPolicy: service?.externalTrafficPolicy,
            selector: tierSelector(ctx.cluster, profile.kind),
            ports: profile.clientService.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
        },
    };
}

function podDisruptionBudget(args: TierSpecArgs): TierManifests["podDisruptionBudget"] {
    const { profile, ctx, settings } = args;
    return {
        metadata: metadata(args, statefulSetName(ctx.cluster, profile.kind)),
        spec: {
            ...profile.disruption(settings.replicas),
            selector: { matchLabels: tierSelector(ctx.cluster, profile.kind) },
        },
    };
}

/** Builds every object of one tier. */
export function buildTier(args: TierSpecArgs): TierManifests {
    const data = configMapData(args.profile, args.ctx, binaryOptions(args.settings));
    return {
        configMap: { metadata: metadata(args, configMapName(args.ctx.cluster, args.profile.kind)), data },
        statefulSet: statefulSet(args, data),
        peerService: peerService(args),
        clientService: clientService(args),
        podDisruptionBudget: podDisruptionBudget(args),
    };
}
