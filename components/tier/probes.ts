/**
 * Readiness probes and preStop hooks of a tier, from its profile. Pure: the
 * shared tier builder (`spec.ts`) calls these. No liveness probe anywhere: a
 * member that lost quorum or is catching up must not be restarted by the kubelet
 * (a liveness check on PD's `/health` would restart every member when quorum is lost).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { TierProfile } from "./profile";
import { shCommand } from "./script";

/** Seconds the kubelet waits after the preStop hook before SIGKILL, beyond the hook's own budget. */
export const StopMarginSeconds = 10;
/** The grace period of a tier without a preStop hook (the builder's former fixed value). */
export const DefaultGraceSeconds = 30;

/** The readiness probe: the profile's `readiness`, else a TCP connection to `readinessPort`. */
export function readinessProbe(profile: TierProfile): k8s.types.input.core.v1.Probe {
    const timing = { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 };
    const r = profile.readiness;
    if (r === undefined) {
        return { tcpSocket: { port: profile.readinessPort }, ...timing };
    }
    if (r.kind === "http") {
        return { httpGet: { path: r.path, port: r.port, scheme: "HTTP" }, timeoutSeconds: r.timeoutSeconds, ...timing };
    }
    return { exec: { command: shCommand(r.file) }, timeoutSeconds: r.timeoutSeconds, ...timing };
}

/** The container's lifecycle: the profile's preStop script, if any. */
export function lifecycle(profile: TierProfile): k8s.types.input.core.v1.Lifecycle | undefined {
    if (profile.preStop === undefined) {
        return undefined;
    }
    return { preStop: { exec: { command: shCommand(profile.preStop.file) } } };
}

/**
 * `terminationGracePeriodSeconds`: the hook's budget plus a margin for the process to stop after
 * SIGTERM (the kubelet counts the hook inside the grace period), never below the default.
 */
export function terminationGraceSeconds(profile: TierProfile): number {
    const hook = profile.preStop?.budgetSeconds ?? 0;
    return Math.max(DefaultGraceSeconds, hook + StopMarginSeconds);
}
