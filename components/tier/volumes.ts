/**
 * The volumes of a stateful tier, sized by the program. A StatefulSet's `volumeClaimTemplates` are
 * immutable (Kubernetes 1.36 still forbids updating them, with no feature gate), so the StatefulSet
 * keeps the templates of its first deployment and the program registers every claim
 * `<template>-<statefulset>-<ordinal>` itself: a size increase updates the claims in place (the
 * API server allows growing a Bound claim whose StorageClass has `allowVolumeExpansion: true`),
 * and a claim registered before its pod exists is adopted by the StatefulSet controller, which
 * only creates the claims that are missing, so new ordinals start at the configured size.
 * Pure builders: no resources, no config reads, no `apply`.
 */
import type * as k8s from "@pulumi/kubernetes";
import { PatchForceAnnotation, statefulSetName, tierSelector } from "../labels";
import type { Manifest } from "./manifest";
import type { TierSettings, TierSpecArgs } from "./spec-args";

/**
 * Annotation that skips the provider's readiness wait for the claim. The provider (up to
 * pulumi-kubernetes#4181, later than the pinned 4.25) waits on every update for the phase a new
 * claim has, which for a `WaitForFirstConsumer` class is Pending: a Bound claim never returns to
 * it, so growing one would time out after 5 minutes (pulumi-kubernetes#4179). Nothing needs the
 * wait: the StatefulSet's pods wait for their claims to bind, and its own readiness wait covers them.
 */
const SkipAwait = "pulumi.com/skipAwait";

/** The spec of a claim the program registers: plain values (a `PersistentVolumeClaimSpec` input). */
export interface ClaimSpec extends k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    readonly accessModes: string[];
    /** Unset: the cluster's default class (as the StatefulSet's template leaves it). */
    readonly storageClassName?: string;
    readonly resources: { readonly requests: { readonly storage: string } };
}

/** A PVC the program registers, with its ordinal. */
export type ClaimManifest = Manifest<ClaimSpec> & { readonly ordinal: number };

/**
 * The spec of a tier's volume, the same in the StatefulSet's `volumeClaimTemplates` and in the
 * claims the program registers (so the controller adopts them): one writer, the configured class
 * (unset: the cluster's default) and size.
 */
export function claimSpec(storage: NonNullable<TierSettings["storage"]>): ClaimSpec {
    return {
        accessModes: ["ReadWriteOnce"],
        storageClassName: storage.className,
        resources: { requests: { storage: storage.size } },
    };
}

/**
 * Name of the claim the StatefulSet controller gives ordinal `ordinal` of `statefulSet` for
 * template `template`: `<template>-<statefulset>-<ordinal>` (e.g. `store-alpha-store-0`).
 */
export function claimName(template: string, statefulSet: string, ordinal: number): string {
    return `${template}-${statefulSet}-${ordinal}`;
}

/**
 * The claims of one tier, one per ordinal `0..replicas-1`, each with the spec the tier's
 * `volumeClaimTemplates` would give it (access mode, class) but the configured size, and the labels
 * the StatefulSet controller would set (the template's labels plus the selector: the tier
 * selector). Empty for a tier without storage (Proxy) or without storage settings.
 */
export function buildClaims(args: TierSpecArgs): ClaimManifest[] {
    const { profile, ctx, settings } = args;
    if (profile.storage === undefined || settings.storage === undefined) {
        return [];
    }
    const sts = statefulSetName(ctx.cluster, profile.kind);
    const out: ClaimManifest[] = [];
    for (let ordinal = 0; ordinal < settings.replicas; ordinal++) {
        out.push({
            ordinal,
            metadata: {
                name: claimName(profile.storage.template, sts, ordinal),
                namespace: ctx.namespace,
                labels: tierSelector(ctx.cluster, profile.kind),
                // patchForce: take the claim's fields over from the StatefulSet controller, which created the
                // claims of clusters deployed before the program sized them.
                annotations: { ...args.annotations, [PatchForceAnnotation]: "true", [SkipAwait]: "true" },
            },
            spec: claimSpec(settings.storage),
        });
    }
    return out;
}
