import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig, type StackConfig } from "../../components/config";
import { buildAdmissionGuard } from "../../components/guard/admission";
import { pdInitialCluster, pdProfile, pdRpcAddresses } from "../../components/pd";
import { proxyConfig, proxyProfile, SupportedCommands } from "../../components/proxy";
import { storeProfile } from "../../components/store";
import type { ClusterContext, TierProfile } from "../../components/tier/profile";
import {
    ConfigHashAnnotation,
    buildTier,
    imageVersion,
    scriptFileName,
    type TierManifests,
} from "../../components/tier/spec";

const ctx: ClusterContext = { cluster: "demo", namespace: "ns1", pdReplicas: 3 };

function build(profile: TierProfile, raw: unknown = {}, context: ClusterContext = ctx): TierManifests {
    const cfg: StackConfig = parseStackConfig(raw);
    const settings = cfg[profile.kind];
    return buildTier({
        profile,
        ctx: context,
        settings,
        timezone: cfg.timezone,
        labels: cfg.labels,
        annotations: cfg.annotations,
        service: profile.kind === "proxy" ? cfg.proxy.service : undefined,
    });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podSpec = (m: TierManifests): any => (m.statefulSet.spec.template as any).spec;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const container = (m: TierManifests): any => podSpec(m).containers[0];
const script = (m: TierManifests, profile: TierProfile) => m.configMap.data[scriptFileName(profile)];

describe("PD addresses from ordinal DNS names (no discovery service)", () => {
    it("--initial-cluster lists every member", () => {
        assert.equal(
            pdInitialCluster(ctx),
            "demo-pd-0=http://demo-pd-0.demo-pd-peer.ns1.svc:2380," +
                "demo-pd-1=http://demo-pd-1.demo-pd-peer.ns1.svc:2380," +
                "demo-pd-2=http://demo-pd-2.demo-pd-peer.ns1.svc:2380",
        );
    });

    it("the rpc list has one entry per member", () => {
        assert.deepEqual(
            pdRpcAddresses({ ...ctx, pdReplicas: 5 }),
            [0, 1, 2, 3, 4].map((i) => `demo-pd-${i}.demo-pd-peer.ns1.svc:20800`),
        );
    });
});

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
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        assert.deepEqual((m.statefulSet.spec.volumeClaimTemplates as any)[0].spec.resources, {
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
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        assert.ok(
            container(m).env.some((e: any) => e.name === "POD_IP" && e.valueFrom.fieldRef.fieldPath === "status.podIP"),
        );
    });

    it("every tier mounts the script and the annotations, sets NAMESPACE and TZ, and has anti-affinity and zone spread", () => {
        for (const profile of [pdProfile, storeProfile, proxyProfile]) {
            const m = build(profile);
            const c = container(m);
            assert.deepEqual(c.command, ["/bin/sh", `/usr/local/bin/startup/${profile.kind}_start_script.sh`]);
            assert.deepEqual(c.env.find((e: { name: string }) => e.name === "NAMESPACE").valueFrom, {
                fieldRef: { fieldPath: "metadata.namespace" },
            });
            assert.equal(c.env.find((e: { name: string }) => e.name === "TZ").value, "UTC");
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
    it("PD waits for its own DNS record, then starts with the computed member list", () => {
        const s = script(build(pdProfile), pdProfile);
        assert.match(s, /until resolves "\$\{domain\}"/);
        assert.match(s, /getent hosts "\$1"/);
        assert.ok(s.indexOf("until resolves") < s.indexOf("exec pd"));
        assert.ok(
            s.includes('--initial-cluster="${PD_INITIAL_CLUSTER}"'),
            "the member list comes from the StatefulSet's env",
        );
        const env = container(build(pdProfile)).env;
        assert.deepEqual(
            env.find((e: { name: string }) => e.name === "PD_INITIAL_CLUSTER"),
            { name: "PD_INITIAL_CLUSTER", value: pdInitialCluster(ctx) },
        );
        assert.ok(s.includes("--data=/var/lib/pd/data"));
        assert.ok(s.includes('--addr-rpc="${domain}:20800"'));
        assert.ok(s.includes('--urls-advertise-peer="http://${domain}:2380"'));
        assert.ok(!s.includes("10261"), "no discovery service");
    });

    it("Store gets the PD list, its own addresses and the required zone/rack", () => {
        const s = script(build(storeProfile), storeProfile);
        assert.ok(s.includes(`--pd=${pdRpcAddresses(ctx).join(",")}`));
        for (const flag of [
            '--addr="${domain}:10800"',
            '--addr-cli="${domain}:6370"',
            '--zone="${zone}"',
            '--rack="${rack}"',
            "--data=/var/lib/store/data",
        ]) {
            assert.ok(s.includes(flag), flag);
        }
    });

    it("Proxy writes its config with the pod IP as notify address", () => {
        const m = build(proxyProfile);
        const cfg = JSON.parse(m.configMap.data["proxy-config.json"]);
        assert.deepEqual(cfg.pdAddrs, pdRpcAddresses(ctx));
        assert.equal(cfg.addrNotify, "__POD_IP__:9998");
        assert.equal(cfg.addr, "0.0.0.0:6379");
        assert.equal(cfg.supportCMDs.length, 64);
        assert.equal(SupportedCommands.length, 64);
        assert.match(script(m, proxyProfile), /sed "s\/__POD_IP__\/\$\{POD_IP\}\//);
        assert.equal(proxyConfig(ctx), m.configMap.data["proxy-config.json"]);
    });

    it("every script honours runmode=debug", () => {
        for (const profile of [pdProfile, storeProfile, proxyProfile]) {
            assert.match(script(build(profile), profile), /runmode="debug"/);
        }
    });

    it("a script change changes the pod template's config hash (pods roll)", () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const hash = (m: TierManifests) =>
            (m.statefulSet.spec.template as any).metadata.annotations[ConfigHashAnnotation];
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
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const claim = (m.statefulSet.spec.volumeClaimTemplates as any)[0].spec;
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
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        assert.ok(!("team" in (m.statefulSet.spec.selector as any).matchLabels));
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

describe("the admission guard", () => {
    const guard = buildAdmissionGuard({
        cluster: "demo",
        namespace: "ns1",
        labels: {},
        annotations: { "elasticell.io/pulumi-stack": "p/s" },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const spec = guard.policy.spec as any;
    const validation = (fragment: string) =>
        spec.validations.find((v: { message?: string; messageExpression?: string }) =>
            (v.messageExpression ?? v.message ?? "").includes(fragment),
        );

    it("matches UPDATEs and DELETEs of StatefulSets and their /scale subresource in the cluster's namespace", () => {
        const rule = spec.matchConstraints.resourceRules[0];
        assert.deepEqual(rule.resources, ["statefulsets", "statefulsets/scale"]);
        assert.deepEqual(rule.operations, ["UPDATE", "DELETE"]);
        assert.equal(guard.binding.spec.policyName, guard.policy.metadata.name);
        assert.deepEqual(guard.binding.spec.validationActions, ["Deny"]);
        assert.equal(guard.policy.metadata.name, "elasticell-guard.ns1.demo");
        assert.deepEqual(
            spec.matchConditions.map((c: { expression: string }) => c.expression),
            ["request.name == 'demo-pd' || request.name == 'demo-store'"],
        );
    });

    it("reads replicas as 0 when a Scale omits them, and never reads `object` on DELETE", () => {
        const vars = Object.fromEntries(
            spec.variables.map((v: { name: string; expression: string }) => [v.name, v.expression]),
        );
        assert.equal(
            vars.requested,
            "request.operation == 'DELETE' ? 0 : (has(object.spec.replicas) ? object.spec.replicas : 0)",
        );
        assert.equal(vars.deployed, "has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0");
        assert.match(
            vars.unlock,
            /^request\.operation == 'DELETE' \? .*'elasticell\.io\/allow-delete' in oldObject\.metadata\.annotations/,
        );
        assert.match(vars.claimant, /^request\.operation == 'DELETE' \|\| request\.kind\.kind == 'Scale' \? ''/);
    });

    it("freezes PD replicas and forbids Store decreases, by name, on updates only", () => {
        assert.equal(
            validation("PD replicas").expression,
            "request.operation == 'DELETE' || request.name != 'demo-pd' || variables.requested == variables.deployed",
        );
        assert.equal(
            validation("Store replicas").expression,
            "request.operation == 'DELETE' || request.name != 'demo-store' || variables.requested >= variables.deployed || (variables.drainedTo >= 3 && variables.requested >= variables.drainedTo)",
        );
    });

    it("keeps PD's member list (PD_INITIAL_CLUSTER) as it was, on updates of the PD StatefulSet", () => {
        const v = validation("PD's member list");
        assert.match(
            v.expression,
            /^request\.operation == 'DELETE' \|\| request\.kind\.kind == 'Scale' \|\| request\.name != 'demo-pd' \|\| /,
        );
        assert.match(
            v.expression,
            /oe\.name != 'PD_INITIAL_CLUSTER' \|\| !has\(oe\.value\) \|\| object\.spec\.template\.spec\.containers\.exists/,
        );
        assert.match(v.expression, /e\.value == oe\.value/);
    });

    it("refuses a delete without the unlock annotation, saying how to unlock", () => {
        const v = validation("would stop every pod");
        assert.equal(v.expression, "request.operation != 'DELETE' || variables.unlock != ''");
        assert.match(
            v.messageExpression,
            /annotate statefulset ' \+ request\.name \+ ' elasticell\.io\/allow-delete="<reason>"'/,
        );
    });

    it("refuses an update that hands the StatefulSet to another stack", () => {
        assert.deepEqual(
            guard.policy.metadata.annotations,
            { "elasticell.io/pulumi-stack": "p/s" },
            "a second stack conflicts instead of co-owning it",
        );
        assert.deepEqual(guard.binding.metadata.annotations, { "elasticell.io/pulumi-stack": "p/s" });
        const v = validation("may not take it over");
        assert.equal(
            v.expression,
            "variables.owner == '' || variables.claimant == '' || variables.owner == variables.claimant",
        );
    });
});
