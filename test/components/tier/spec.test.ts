import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdProfile } from "../../../components/pd";
import { proxyProfile } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import { ConfigHashAnnotation, imageVersion, type TierManifests } from "../../../components/tier/spec";
import {
    buildFromConfig as build,
    mainContainer as container,
    podSpec,
    podTemplate,
    startScript as script,
    statefulSetSpec,
    testCtx as ctx,
} from "../../helpers/tier-build";

describe("the shared tier builder: defaults", () => {
    it("PD: the whole shape at defaults", () => {
        const m = build(pdProfile);
        assert.deepEqual(
            {
                name: m.statefulSet.metadata.name,
                serviceName: m.statefulSet.spec.serviceName,
                replicas: m.statefulSet.spec.replicas,
                policy: m.statefulSet.spec.podManagementPolicy,
                retention: m.statefulSet.spec.persistentVolumeClaimRetentionPolicy,
                selector: m.statefulSet.spec.selector,
                ports: container(m).ports,
                probe: container(m).readinessProbe.httpGet,
                mounts: container(m).volumeMounts.map((v: { mountPath: string }) => v.mountPath),
                claim: m.statefulSet.spec.volumeClaimTemplates,
                peer: m.peerService?.spec,
                client: m.clientService?.spec.ports,
                pdb: m.podDisruptionBudget.spec.minAvailable,
            },
            {
                name: "demo-pd",
                serviceName: "demo-pd-peer",
                replicas: 3,
                policy: "Parallel",
                retention: { whenDeleted: "Retain", whenScaled: "Retain" },
                selector: {
                    matchLabels: {
                        "app.kubernetes.io/name": "elasticell",
                        "app.kubernetes.io/instance": "demo",
                        "app.kubernetes.io/component": "pd",
                    },
                },
                ports: [
                    { name: "client", containerPort: 2379, protocol: "TCP" },
                    { name: "peer", containerPort: 2380, protocol: "TCP" },
                    { name: "rpc", containerPort: 20800, protocol: "TCP" },
                ],
                probe: { path: "/health", port: "client", scheme: "HTTP" },
                mounts: ["/usr/local/bin/startup", "/etc/podinfo", "/var/lib/pd"],
                claim: [
                    {
                        metadata: {
                            name: "pd",
                            labels: {
                                "app.kubernetes.io/name": "elasticell",
                                "app.kubernetes.io/instance": "demo",
                                "app.kubernetes.io/component": "pd",
                            },
                        },
                        spec: {
                            accessModes: ["ReadWriteOnce"],
                            storageClassName: undefined,
                            resources: { requests: { storage: "1Gi" } },
                        },
                    },
                ],
                peer: {
                    clusterIP: "None",
                    publishNotReadyAddresses: true,
                    selector: {
                        "app.kubernetes.io/name": "elasticell",
                        "app.kubernetes.io/instance": "demo",
                        "app.kubernetes.io/component": "pd",
                    },
                    ports: [
                        { name: "peer", port: 2380, targetPort: 2380 },
                        { name: "rpc", port: 20800, targetPort: 20800 },
                    ],
                },
                client: [{ name: "client", port: 2379, targetPort: "client" }],
                pdb: 2,
            },
        );
    });

    it("Store: 10Gi at /var/lib/store, headless peer Service, maxUnavailable 1", () => {
        const m = build(storeProfile);
        assert.equal(m.statefulSet.metadata.name, "demo-store");
        assert.equal(m.statefulSet.spec.serviceName, "demo-store-peer");
        assert.deepEqual(statefulSetSpec(m).volumeClaimTemplates[0]?.spec.resources, {
            requests: { storage: "10Gi" },
        });
        assert.ok(container(m).volumeMounts.some((v: { mountPath: string }) => v.mountPath === "/var/lib/store"));
        assert.deepEqual(
            container(m).ports.map((p: { containerPort: number }) => p.containerPort),
            [10800, 6370],
        );
        assert.equal(m.peerService?.metadata.name, "demo-store-peer");
        assert.equal(m.peerService?.spec.publishNotReadyAddresses, true);
        assert.equal(m.clientService, undefined);
        assert.deepEqual(m.podDisruptionBudget.spec.maxUnavailable, 1);
    });

    it("Proxy: no volume claim, declares 6379 and the notify port 9998, a headless Service of its own, Redis Service <name>-cell", () => {
        const m = build(proxyProfile);
        assert.equal(m.statefulSet.spec.volumeClaimTemplates, undefined);
        assert.deepEqual(container(m).ports, [
            { name: "redis", containerPort: 6379, protocol: "TCP" },
            { name: "notify", containerPort: 9998, protocol: "TCP" },
        ]);
        assert.equal(m.statefulSet.spec.serviceName, "demo-proxy-peer");
        assert.equal(m.peerService?.metadata.name, "demo-proxy-peer");
        assert.equal(m.peerService?.spec.clusterIP, "None");
        assert.deepEqual(m.peerService?.spec.selector, {
            "app.kubernetes.io/name": "elasticell",
            "app.kubernetes.io/instance": "demo",
            "app.kubernetes.io/component": "proxy",
        });
        assert.equal(m.clientService?.metadata.name, "demo-cell");
        assert.deepEqual(m.clientService?.spec.ports, [{ name: "redis-client", port: 6379, targetPort: "redis" }]);
        assert.equal(m.clientService?.spec.type, "ClusterIP");

        assert.ok(
            container(m).env.some((e) => e.name === "POD_IP" && e.valueFrom.fieldRef.fieldPath === "status.podIP"),
        );
    });

    it("every tier mounts the script and the annotations, sets NAMESPACE and TZ, and has anti-affinity and zone spread", () => {
        for (const profile of [pdProfile, storeProfile, proxyProfile]) {
            const m = build(profile);
            const c = container(m);
            assert.deepEqual(c.command, ["/bin/sh", `/usr/local/bin/startup/${profile.kind}_start_script.sh`]);
            assert.deepEqual(c.env.find((e) => e.name === "NAMESPACE")?.valueFrom, {
                fieldRef: { fieldPath: "metadata.namespace" },
            });
            assert.equal(c.env.find((e) => e.name === "TZ")?.value, "UTC");
            const spec = podSpec(m);
            assert.equal(
                spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm
                    .topologyKey,
                "kubernetes.io/hostname",
            );
            assert.equal(spec.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.equal(spec.topologySpreadConstraints[0].whenUnsatisfiable, "ScheduleAnyway");
            assert.equal(c.livenessProbe, undefined, "no liveness probe: it would kill members catching up");
        }
    });
});

describe("start scripts", () => {
    it("every script honours runmode=debug", () => {
        for (const profile of [pdProfile, storeProfile, proxyProfile]) {
            assert.match(script(build(profile), profile), /runmode="debug"/);
        }
    });

    it("a script change changes the pod template's config hash (pods roll)", () => {
        const hash = (m: TierManifests) => podTemplate(m).metadata.annotations[ConfigHashAnnotation];
        const three = build(storeProfile);
        assert.equal(hash(three), hash(build(storeProfile)));
        assert.notEqual(hash(three), hash(build(storeProfile, {}, { ...ctx, namespace: "other" })));
    });
});

describe("the shared tier builder: overrides", () => {
    it("required anti-affinity and zone spread", () => {
        const spec = podSpec(build(storeProfile, { store: { antiAffinity: "required", zoneSpread: "required" } }));
        assert.equal(
            spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey,
            "kubernetes.io/hostname",
        );
        assert.equal(spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
    });

    it("no placement constraints when asked", () => {
        const spec = podSpec(build(storeProfile, { store: { antiAffinity: "none", zoneSpread: "none" } }));
        assert.equal(spec.affinity, undefined);
        assert.equal(spec.topologySpreadConstraints, undefined);
    });

    it("storage size and class, resources, nodeSelector and tolerations reach the objects", () => {
        const m = build(storeProfile, {
            store: {
                storage: { size: "100Gi", className: "fast" },
                resources: { requests: { cpu: "2", memory: "4Gi" } },
                nodeSelector: { pool: "cell" },
                tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }],
            },
        });
        const claim = statefulSetSpec(m).volumeClaimTemplates[0]?.spec;
        assert.equal(claim.storageClassName, "fast");
        assert.deepEqual(claim.resources.requests, { storage: "100Gi" });
        assert.deepEqual(container(m).resources, { requests: { cpu: "2", memory: "4Gi" } });
        assert.deepEqual(podSpec(m).nodeSelector, { pool: "cell" });
        assert.equal(podSpec(m).tolerations[0].key, "dedicated");
    });

    it("PD's disruption budget keeps quorum for every size", () => {
        for (const [replicas, minAvailable] of [
            [1, 1],
            [3, 2],
            [5, 3],
            [7, 4],
        ]) {
            assert.equal(build(pdProfile, { pd: { replicas } }).podDisruptionBudget.spec.minAvailable, minAvailable);
        }
    });

    it("the Redis Service takes type, annotations, loadBalancerIP and externalTrafficPolicy", () => {
        const m = build(proxyProfile, {
            proxy: {
                service: {
                    type: "LoadBalancer",
                    annotations: { lb: "internal" },
                    loadBalancerIP: "10.1.2.3",
                    externalTrafficPolicy: "Local",
                },
            },
        });
        assert.equal(m.clientService?.spec.type, "LoadBalancer");
        assert.equal(m.clientService?.spec.loadBalancerIP, "10.1.2.3");
        assert.equal(m.clientService?.spec.externalTrafficPolicy, "Local");
        assert.equal(m.clientService?.metadata.annotations?.lb, "internal");
    });

    it("extra labels and annotations reach every object, never the selector", () => {
        const m = build(pdProfile, { labels: { team: "platform" }, annotations: { owner: "me" } });
        for (const obj of [m.configMap, m.statefulSet, m.peerService, m.clientService, m.podDisruptionBudget]) {
            assert.equal(obj?.metadata.labels?.team, "platform");
            assert.equal(obj?.metadata.annotations?.owner, "me");
        }
        assert.ok(!("team" in statefulSetSpec(m).selector.matchLabels));
    });
});

describe("image versions as labels", () => {
    const rows: [string, string | undefined][] = [
        ["deepfabric/pd:v1.0.0", "v1.0.0"],
        ["deepfabric/pd", "latest"],
        ["localhost:5000/deepfabric/pd", "latest"],
        ["localhost:5000/deepfabric/pd:2019.04", "2019.04"],
        ["deepfabric/pd@sha256:0123456789abcdef", undefined],
    ];
    for (const [image, version] of rows) {
        it(image, () => assert.equal(imageVersion(image), version));
    }
});
