/**
 * The container and pod volumes of one tier's pod template (part of the shared tier builder,
 * `spec.ts`): the start script and pod-info mounts, the tier's data volume and scratch space, the
 * zone files, the env every tier gets plus the profile's, and the probes and hooks.
 */
import type * as k8s from "@pulumi/kubernetes";
import { configMapName, peerServiceName } from "../labels";
import type { TierProfile } from "./profile";
import { extraEnv } from "./pod-knobs";
import { lifecycle, readinessProbe } from "./probes";
import { PodInfoDir, StartupDir, shCommand } from "./script";
import { containerSecurityContext } from "./security";
import type { TierSpecArgs } from "./spec-args";
import { zoneEnv, zoneMounts, zoneTopology, zoneVolumes } from "./zone";

const ScriptVolume = "startup-script";
const PodInfoVolume = "annotations";
const ScratchVolume = "scratch";

/** The file name of a tier's start script inside the ConfigMap mount. */
export function scriptFileName(profile: TierProfile): string {
    return `${profile.kind}_start_script.sh`;
}

/** The tier's one container. */
export function tierContainer(args: TierSpecArgs): k8s.types.input.core.v1.Container {
    const { profile, ctx, settings } = args;
    const env: k8s.types.input.core.v1.EnvVar[] = [
        { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
        { name: "TZ", value: args.timezone },
        { name: "CLUSTER_NAME", value: ctx.cluster },
    ];
    if (profile.peerPorts !== undefined) {
        env.push({ name: "PEER_SERVICE_NAME", value: peerServiceName(ctx.cluster, profile.kind) });
    }
    env.push(...(profile.env?.(ctx) ?? []));
    env.push(...zoneEnv(zoneTopology(profile, settings)));
    if (profile.needsPodIP === true) {
        env.push({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    }
    env.push(...extraEnv(settings));
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [
        { name: ScriptVolume, mountPath: StartupDir, readOnly: true },
        { name: PodInfoVolume, mountPath: PodInfoDir, readOnly: true },
    ];
    if (profile.storage !== undefined) {
        mounts.push({ name: profile.storage.template, mountPath: profile.storage.mountPath });
    }
    if (profile.scratchPath !== undefined) {
        mounts.push({ name: ScratchVolume, mountPath: profile.scratchPath });
    }
    mounts.push(...zoneMounts(zoneTopology(profile, settings)));
    return {
        name: profile.kind,
        image: settings.image,
        imagePullPolicy: settings.imagePullPolicy,
        command: shCommand(scriptFileName(profile)),
        ports: profile.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })),
        env,
        resources: settings.resources,
        volumeMounts: mounts,
        // Readiness only: a TCP check never blocks bootstrap (peers are found
        // through not-ready DNS records), and no liveness probe kills a
        // member while raft is still catching up.
        securityContext: containerSecurityContext(settings.securityContext),
        readinessProbe: readinessProbe(profile),
        lifecycle: lifecycle(profile),
    };
}

/** The pod volumes the container mounts (its data volume comes from the volume claim template). */
export function tierPodVolumes(args: TierSpecArgs): k8s.types.input.core.v1.Volume[] {
    const { profile, ctx } = args;
    const volumes: k8s.types.input.core.v1.Volume[] = [
        { name: ScriptVolume, configMap: { name: configMapName(ctx.cluster, profile.kind), defaultMode: 0o555 } },
        {
            name: PodInfoVolume,
            downwardAPI: { items: [{ path: "annotations", fieldRef: { fieldPath: "metadata.annotations" } }] },
        },
    ];
    if (profile.scratchPath !== undefined) {
        volumes.push({ name: ScratchVolume, emptyDir: {} });
    }
    volumes.push(...zoneVolumes(zoneTopology(args.profile, args.settings)));
    return volumes;
}
