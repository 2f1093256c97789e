/**
 * The "usual pod knobs" of a tier's pod template, from its validated settings (stack config
 * `<tier>.imagePullSecrets`, `podLabels`, `podAnnotations`, `priorityClassName`,
 * `serviceAccountName`, `env`, `extraArgs`, `logLevel`, `proxy.supportedCommands`). Pure: the
 * shared tier builder (`spec.ts`) calls these; the config checks are in `config-pod-knobs.ts`.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { BinaryOptions } from "./binary-flags";
import type { TierSettings } from "./spec-args";

/** The settings these builders read (every tier has them; `supportedCommands` only the proxy). */
export type PodKnobSettings = Pick<
    TierSettings,
    | "imagePullSecrets"
    | "podLabels"
    | "podAnnotations"
    | "priorityClassName"
    | "serviceAccountName"
    | "env"
    | "extraArgs"
    | "logLevel"
    | "supportedCommands"
>;

/** What the tier's start script and config files take from the settings. */
export function binaryOptions(s: PodKnobSettings): BinaryOptions {
    return { logLevel: s.logLevel, extraArgs: s.extraArgs, supportedCommands: s.supportedCommands };
}

/** The config's extra env vars, after the program's own (the config refuses the program's names). */
export function extraEnv(s: PodKnobSettings): k8s.types.input.core.v1.EnvVar[] {
    return s.env.map((e) => ({ name: e.name, value: e.value }));
}

/** Pod template labels: the tier's (selector included), then the config's pod-only labels (never the selector keys). */
export function podLabels(tierLabels: Readonly<Record<string, string>>, s: PodKnobSettings): Record<string, string> {
    return { ...tierLabels, ...s.podLabels };
}

/** Pod template annotations: the objects', the config's pod-only ones, then the program's (config hash). */
export function podAnnotations(
    annotations: Readonly<Record<string, string>>,
    s: PodKnobSettings,
    program: Readonly<Record<string, string>>,
): Record<string, string> {
    return { ...annotations, ...s.podAnnotations, ...program };
}

/** Pod spec fields: pull Secrets, PriorityClass and the ServiceAccount (the config's, else the one `nodeApi` needs, else none). */
export function podSpecKnobs(
    s: PodKnobSettings,
    zoneServiceAccount: string | undefined,
): Pick<k8s.types.input.core.v1.PodSpec, "imagePullSecrets" | "priorityClassName" | "serviceAccountName"> {
    return {
        imagePullSecrets: s.imagePullSecrets.length === 0 ? undefined : s.imagePullSecrets.map((name) => ({ name })),
        priorityClassName: s.priorityClassName,
        serviceAccountName: s.serviceAccountName ?? zoneServiceAccount,
    };
}
