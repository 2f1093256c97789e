/**
 * Reading the PersistentVolumeClaims the program registers for its stateful tiers (one per
 * ordinal, `<template>-<statefulset>-<ordinal>`) out of resource properties. A claim belongs to an
 * elasticell tier when its labels say so (the tier selector: name, instance, component).
 */
import { readPlain, type Known } from "./known";
import { ResourceTypes } from "./naming";
import type { ObjectMetaInputs } from "./statefulset";

/** Resource type token of a PVC. */
export const PersistentVolumeClaimType = ResourceTypes.persistentVolumeClaim;

/** The subset of `v1` PersistentVolumeClaim inputs the rules read. */
export interface ClaimInputs {
    readonly metadata?: ObjectMetaInputs;
    readonly spec?: {
        /** Unset: the API server fills in the cluster's default class. "" asks for no class. */
        readonly storageClassName?: string;
        readonly resources?: { readonly requests?: { readonly storage?: string | number } };
    };
}

/**
 * Type marker for `validateResourceOfType`: carries the `__pulumiType` token the SDK filters on,
 * so the pack needs no `@pulumi/kubernetes` dependency. Never constructed.
 */
export const PersistentVolumeClaim = Object.assign(
    function PersistentVolumeClaim(): never {
        throw new Error("PersistentVolumeClaim is a type marker for policies, not a resource");
    },
    { __pulumiType: PersistentVolumeClaimType },
) as unknown as new (name: string, args: ClaimInputs) => import("@pulumi/pulumi").CustomResource;

/** What the plan asks of one claim. */
export interface PlannedClaim {
    /** `spec.resources.requests.storage`, as written; undefined when unset. */
    readonly size?: string;
    /** `spec.storageClassName`; undefined when unset (the default class), "" for no class. */
    readonly className?: string;
}

/** Reads the size and class of planned claim inputs; unknown at preview when computed. */
export function plannedClaim(props: ClaimInputs): Known<PlannedClaim> {
    return readPlain<PlannedClaim>(() => {
        const size = props.spec?.resources?.requests?.storage;
        const className = props.spec?.storageClassName;
        return {
            ...(size === undefined ? {} : { size: String(size) }),
            ...(typeof className === "string" ? { className } : {}),
        };
    });
}
