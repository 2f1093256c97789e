/**
 * The fields every tier's stack config shares (`tierFields`) and a tier's volume (`storageSchema`):
 * parts of the one config schema (`config.ts`), which composes them per tier.
 */
import { z } from "zod";
import { image, minReadySeconds, quantity, replicaCount } from "./config-fields";
import { labelMap, requestsWithinLimits, storageClassName, tolerationRules } from "./config-k8s";
import { podKnobFields } from "./config-pod-knobs";
import { securityContextSchema } from "./config-security";
import type { TierKind } from "./labels";

const resourceList = z.strictObject({ cpu: quantity("500m").optional(), memory: quantity("1Gi").optional() });

/** Container resources; `requests` and `limits` take `cpu` and `memory`. */
const resources = z
    .strictObject({ requests: resourceList.optional(), limits: resourceList.optional() })
    .check(requestsWithinLimits);

const toleration = z
    .strictObject({
        key: z.string().optional(),
        operator: z.enum(["Exists", "Equal"]).optional(),
        value: z.string().optional(),
        effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
        tolerationSeconds: z.number().int().optional(),
    })
    .check(tolerationRules);

/** `preferred`: spread when possible; `required`: refuse to schedule otherwise; `none`: no constraint. */
const placement = z.enum(["preferred", "required", "none"]);

/** Fields every tier shares. */
export function tierFields(opts: {
    tier: TierKind;
    replicas: Parameters<typeof replicaCount>[0];
    image: string;
    minReadySeconds: number;
}) {
    return {
        /** Number of pods. */
        replicas: replicaCount(opts.replicas),
        /** Container image; pin a tag in production. */
        image: image(opts.image),
        imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).default("IfNotPresent"),
        resources: resources.prefault({}),
        /** Node labels a pod's node must carry. */
        nodeSelector: labelMap().default({}),
        tolerations: z.array(toleration).default([]),
        /** Pod anti-affinity on `kubernetes.io/hostname` between pods of the tier. */
        antiAffinity: placement.default("preferred"),
        /** Topology spread of the tier's pods over `topology.kubernetes.io/zone`. */
        zoneSpread: placement.default("preferred"),
        /** Seconds a new pod must be Ready before the rolling update moves to the next one. */
        minReadySeconds: minReadySeconds(opts.minReadySeconds),
        /** Pod and container security context (hardened by default; see `config-security.ts`). */
        securityContext: securityContextSchema,
        /** Pull Secrets, pod labels/annotations, PriorityClass, ServiceAccount, env, extra flags, log level (`config-pod-knobs.ts`). */
        ...podKnobFields(opts.tier),
    };
}

/** Persistent volume of a tier. */
export function storageSchema(defaultSize: string) {
    return z
        .strictObject({
            /** PVC size, e.g. `10Gi`. */
            size: quantity(defaultSize).default(defaultSize),
            /** StorageClass; unset uses the cluster's default class. */
            className: storageClassName.optional(),
        })
        .prefault({});
}
