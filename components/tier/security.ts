/**
 * Pod and container security contexts of a tier, from its validated
 * settings. Pure: the shared tier builder (`spec.ts`) calls these.
 *
 * The defaults are what the elasticell images can still run with: the
 * operator ran them as root with no security context and the images' user is
 * not known, so the process stays root (`runAsNonRoot` false), but without
 * privilege escalation, with every capability dropped (root then cannot
 * bypass file permissions, and no port below 1024 is used) and the runtime's
 * default seccomp profile.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { SecurityContextConfig } from "../config-security";

/** The pod-level part: user, groups, volume ownership, seccomp. */
export function podSecurityContext(s: SecurityContextConfig): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: s.runAsNonRoot,
        runAsUser: s.runAsUser,
        runAsGroup: s.runAsGroup,
        fsGroup: s.fsGroup,
        seccompProfile:
            s.seccompProfile.localhostProfile === undefined
                ? { type: s.seccompProfile.type }
                : { type: s.seccompProfile.type, localhostProfile: s.seccompProfile.localhostProfile },
    };
}

/** The container-level part: privilege escalation, capabilities, root filesystem. */
export function containerSecurityContext(s: SecurityContextConfig): k8s.types.input.core.v1.SecurityContext {
    return {
        allowPrivilegeEscalation: s.allowPrivilegeEscalation,
        privileged: false,
        readOnlyRootFilesystem: s.readOnlyRootFilesystem,
        capabilities: {
            drop: [...s.capabilities.drop],
            ...(s.capabilities.add.length > 0 ? { add: [...s.capabilities.add] } : {}),
        },
    };
}
