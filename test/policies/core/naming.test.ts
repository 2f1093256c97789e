/**
 * The pack's naming module (policies/core/naming.ts) against what the program renders: a cluster
 * built under Pulumi mocks from the dev stack file, its StatefulSets, Services, claims, labels and
 * PD's member env compared with the names, ports and keys the pack derives for the same cluster.
 * The pack copies these instead of importing components/ (STYLE.md), so this is the test that
 * keeps the copy true.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
    AppName,
    claimName,
    claimNamePattern,
    LabelKeys,
    ManagedBy,
    PdMembersEnv,
    pdClientServiceName,
    PdPorts,
    peerServiceName,
    podName,
    ResourceTypes,
    StackAnnotation,
    statefulSetName,
    StatefulTiers,
    storeAddressPattern,
    StorePorts,
    tierSelector,
    TierKinds,
    type TierKind,
} from "../../../policies/core/naming";
import { MockClusters } from "../../helpers/mock-cluster";
import { ofType, Types, type Recorded } from "../../helpers/mocks";
import { stackConfig } from "../../helpers/stacks";

/** The subset of rendered objects this test reads. */
interface Rendered {
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
    };
    readonly spec: {
        readonly replicas?: number;
        readonly serviceName?: string;
        readonly selector?: { readonly matchLabels?: Record<string, string> };
        readonly ports?: readonly { readonly port: number }[];
        readonly volumeClaimTemplates?: readonly { readonly metadata: { readonly name: string } }[];
        readonly template?: {
            readonly spec: {
                readonly containers: readonly {
                    readonly env?: readonly { readonly name: string; readonly value?: string }[];
                    readonly ports?: readonly { readonly containerPort: number }[];
                }[];
            };
        };
    };
}

const raw = stackConfig("dev");
const cluster = String(raw["name"]);
const namespace = String(raw["namespace"]);
let resources: Recorded[];

before(async () => {
    const mocks = await MockClusters.install({ stack: "dev" });
    resources = (await mocks.deploy(raw)).resources;
});

/** The rendered objects of one type, by name. */
function rendered(type: string): Map<string, Rendered> {
    // The recorded inputs are the rendered objects; this test reads only the fields of `Rendered`.
    const objects = ofType(resources, type).map((r) => r.inputs as unknown as Rendered);
    return new Map(objects.map((o) => [o.metadata.name, o]));
}

/** The rendered StatefulSet of a tier; fails when the pack's name finds none. */
function statefulSetOf(tier: TierKind): Rendered {
    const sts = rendered(Types.statefulSet).get(statefulSetName(cluster, tier));
    assert.ok(sts, `no StatefulSet named ${statefulSetName(cluster, tier)}`);
    return sts;
}

describe("policies/core/naming.ts matches what the program renders", () => {
    it("uses the program's resource type tokens", () => {
        assert.equal(ResourceTypes.statefulSet, Types.statefulSet);
        assert.equal(ResourceTypes.podDisruptionBudget, Types.pdb);
        assert.equal(ofType(resources, ResourceTypes.persistentVolumeClaim).length > 0, true);
    });

    for (const tier of TierKinds) {
        it(`names, selects and labels the ${tier} StatefulSet`, () => {
            const sts = statefulSetOf(tier);
            assert.deepEqual(sts.spec.selector?.matchLabels, tierSelector(cluster, tier));
            assert.equal(sts.spec.serviceName, peerServiceName(cluster, tier));
            const labels = sts.metadata.labels ?? {};
            assert.equal(labels[LabelKeys.managedBy], ManagedBy);
            assert.equal(labels[LabelKeys.partOf], AppName);
            const known: readonly string[] = Object.values(LabelKeys);
            assert.deepEqual(
                Object.keys(labels).filter((k) => !known.includes(k)),
                [],
                "every label key is one the pack knows",
            );
            assert.equal(sts.metadata.annotations?.[StackAnnotation], "elasticell/dev");
        });

        it(`names the ${tier} peer Service`, () => {
            assert.ok(rendered(Types.service).has(peerServiceName(cluster, tier)));
        });
    }

    it("names PD's client Service and its port", () => {
        const svc = rendered(Types.service).get(pdClientServiceName(cluster));
        assert.ok(svc, `no Service named ${pdClientServiceName(cluster)}`);
        assert.deepEqual(
            svc.spec.ports?.map((p) => p.port),
            [PdPorts.client],
        );
    });

    for (const tier of StatefulTiers) {
        it(`names the ${tier} claims as the StatefulSet's templates do`, () => {
            const sts = statefulSetOf(tier);
            const templates = (sts.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
            assert.ok(templates.length > 0, "a stateful tier has claim templates");
            const expected = templates.flatMap((t) =>
                Array.from({ length: sts.spec.replicas ?? 0 }, (_, i) => claimName(t, sts.metadata.name, i)),
            );
            const claims = [...rendered(ResourceTypes.persistentVolumeClaim).keys()];
            const ours = claims.filter((c) => claimNamePattern(sts.metadata.name, templates).test(c));
            assert.deepEqual(ours.sort(), expected.sort());
        });
    }

    it("reads PD's members from the env var the program sets, with the peer Service and port", () => {
        const sts = statefulSetOf("pd");
        const env = sts.spec.template?.spec.containers.flatMap((c) => c.env ?? []) ?? [];
        const members = env.find((e) => e.name === PdMembersEnv)?.value;
        assert.ok(members, `PD's container has ${PdMembersEnv}`);
        const expected = Array.from({ length: sts.spec.replicas ?? 0 }, (_, i) => {
            const pod = podName(statefulSetName(cluster, "pd"), i);
            return `${pod}=http://${pod}.${peerServiceName(cluster, "pd")}.${namespace}.svc:${PdPorts.peer}`;
        });
        assert.equal(members, expected.join(","));
    });

    it("finds Store ordinals by the address and port a store pod registers with", () => {
        const sts = statefulSetOf("store");
        const ports = sts.spec.template?.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p.containerPort);
        assert.ok(ports?.includes(StorePorts.raft), `the store container exposes ${StorePorts.raft}`);
        const address = `${podName(sts.metadata.name, 2)}.${sts.spec.serviceName}.${namespace}.svc:${StorePorts.raft}`;
        const m = storeAddressPattern(cluster, namespace).exec(address);
        assert.equal(m?.[1], "2");
    });
});
