/**
 * The types of the drain's dynamic provider (`provider.ts`): what it takes and what it records.
 * Types only, so the serialized provider still imports none of the program's code at run time.
 */

/** How the drain reaches the API server and PD. */
export interface DrainAccess {
    /** kubeconfig path (absolute) or contents; unset: KUBECONFIG, then ~/.kube/config. */
    readonly kubeconfig?: string;
    readonly context?: string;
    /** PD's client URL, instead of the service proxy. */
    readonly apiUrl?: string;
}

/** Inputs of the drain, resolved. */
export interface DrainInputs {
    readonly cluster: string;
    readonly namespace: string;
    readonly statefulSet: string;
    /** Ordinals to drain, highest first. */
    readonly ordinals: number[];
    /** Volume claim templates of the Store StatefulSet (PVC `<template>-<sts>-<ordinal>`). */
    readonly claimTemplates: string[];
    readonly access: DrainAccess;
    readonly timeoutSeconds: number;
    readonly pollSeconds: number;
}

/** One drained store, as the drain's output records it. */
export interface DrainedStore {
    readonly ordinal: number;
    readonly id: number;
    readonly state: number;
}
