import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imagePinned, imageProblem } from "../../policies/rules/image-pinned";
import { pdbPerTier } from "../../policies/rules/pdb-per-tier";
import { pdOddReplicas } from "../../policies/rules/pd-odd-replicas";
import { pvcRetain } from "../../policies/rules/pvc-retain";
import { resourceRequests } from "../../policies/rules/resource-requests";
import { unknownValues, type ResourceValidationPolicy } from "../../policies/sdk";
import { StatefulSet } from "../../policies/statefulset";
import { validateResource, validateStack } from "../helpers/policy";
import { edited, pdb, statefulSet } from "./fixtures";

const tiers = ["pd", "store", "proxy"] as const;

async function check(policy: ResourceValidationPolicy, props: object) {
    return validateResource(policy, { resourceClass: StatefulSet, props });
}

describe("advisory rules accept the valid fixtures", () => {
    for (const policy of [pdOddReplicas, imagePinned, resourceRequests, pvcRetain]) {
        for (const tier of tiers) {
            it(`${policy.name}: ${tier}`, async () => {
                assert.deepEqual(await check(policy, statefulSet(tier)), []);
            });
        }
    }
    it("elasticell-pdb-per-tier: a PDB per tier", async () => {
        const resources = tiers.flatMap((t) => [
            { resourceClass: StatefulSet, props: statefulSet(t), name: `demo-${t}` },
            { type: "kubernetes:policy/v1:PodDisruptionBudget", props: pdb(t), name: `demo-${t}-pdb` },
        ]);
        assert.deepEqual(await validateStack(pdbPerTier, { resources }), []);
    });
});

describe("elasticell-pd-odd-replicas", () => {
    for (const n of [2, 4]) {
        it(`flags ${n} PD replicas`, async () => {
            const violations = await check(pdOddReplicas, statefulSet("pd", n));
            assert.equal(violations.length, 1);
            assert.equal(violations[0]!.level, "advisory");
            assert.match(violations[0]!.message, new RegExp(`PD has ${n} replicas, an even count`));
            assert.match(violations[0]!.message, new RegExp(`Choose ${n - 1} or ${n + 1}`));
        });
    }
    it("ignores stores with an even count and unknown PD counts", async () => {
        assert.deepEqual(await check(pdOddReplicas, statefulSet("store", 4)), []);
        assert.deepEqual(await check(pdOddReplicas, edited(statefulSet("pd"), (p) => (p.spec.replicas = unknownValues.unknownNumberValue))), []);
    });
});

describe("elasticell-image-pinned", () => {
    for (const [image, problem] of [
        ["deepfabric/pd:latest", "uses the :latest tag"],
        ["deepfabric/pd", "has no tag"],
        ["registry.local:5000/deepfabric/pd", "has no tag"],
        ["deepfabric/pd:v1.2.0", undefined],
        ["registry.local:5000/deepfabric/pd:v1", undefined],
        ["deepfabric/pd@sha256:0123abcd", undefined],
    ] as const) {
        it(`${image}: ${problem ?? "pinned"}`, () => {
            const p = imageProblem(image);
            if (problem === undefined) {
                assert.equal(p, undefined);
            } else {
                assert.match(p ?? "", new RegExp(problem));
            }
        });
    }
    it("flags a :latest container and an untagged init container by name", async () => {
        const props = edited(statefulSet("store"), (p) => {
            p.spec.template.spec.containers[0].image = "deepfabric/cell:latest";
            p.spec.template.spec.initContainers = [{ name: "wait-for-pd", image: "busybox" }];
        });
        const violations = await check(imagePinned, props);
        assert.equal(violations.length, 2);
        assert.match(violations[0]!.message, /tier store, StatefulSet prod\/demo-store: container wait-for-pd image "busybox" has no tag/);
        assert.match(violations[1]!.message, /container store image "deepfabric\/cell:latest" uses the :latest tag/);
    });
});

describe("elasticell-resource-requests", () => {
    for (const [name, edit, missing] of [
        ["no cpu", (p: any) => delete p.spec.template.spec.containers[0].resources.requests.cpu, "cpu"],
        ["no memory", (p: any) => delete p.spec.template.spec.containers[0].resources.requests.memory, "memory"],
        ["no resources", (p: any) => delete p.spec.template.spec.containers[0].resources, "cpu or memory"],
    ] as const) {
        it(`flags ${name}`, async () => {
            const violations = await check(resourceRequests, edited(statefulSet("pd"), edit));
            assert.equal(violations.length, 1);
            assert.match(violations[0]!.message, new RegExp(`container pd requests no ${missing}\\.`));
        });
    }
});

describe("elasticell-pvc-retain", () => {
    for (const field of ["whenDeleted", "whenScaled"] as const) {
        it(`flags ${field}: Delete`, async () => {
            const violations = await check(pvcRetain, edited(statefulSet("store"), (p) => (p.spec.persistentVolumeClaimRetentionPolicy[field] = "Delete")));
            assert.equal(violations.length, 1);
            assert.match(violations[0]!.message, new RegExp(`persistentVolumeClaimRetentionPolicy.${field} is "Delete"`));
            assert.match(violations[0]!.message, /PVC template store/);
        });
    }
    it("accepts an absent policy (Kubernetes defaults to Retain)", async () => {
        assert.deepEqual(await check(pvcRetain, edited(statefulSet("pd"), (p) => delete p.spec.persistentVolumeClaimRetentionPolicy)), []);
    });
});

describe("elasticell-pdb-per-tier", () => {
    it("flags a tier without a PDB, and a PDB in another namespace or for another cluster", async () => {
        const resources = [
            { resourceClass: StatefulSet, props: statefulSet("pd"), name: "demo-pd" },
            { type: "kubernetes:policy/v1:PodDisruptionBudget", props: pdb("pd", "demo", "staging"), name: "wrong-ns" },
            { resourceClass: StatefulSet, props: statefulSet("store"), name: "demo-store" },
            { type: "kubernetes:policy/v1:PodDisruptionBudget", props: pdb("store", "other"), name: "wrong-cluster" },
            { resourceClass: StatefulSet, props: statefulSet("proxy"), name: "demo-proxy" },
            { type: "kubernetes:policy/v1:PodDisruptionBudget", props: pdb("proxy"), name: "ok" },
        ];
        const violations = await validateStack(pdbPerTier, { resources });
        assert.deepEqual(violations.map((v) => /, tier (\w+), StatefulSet/.exec(v.message)?.[1]), ["pd", "store"]);
        assert.equal(violations[0]!.level, "advisory");
        assert.match(violations[0]!.message, /Add a PodDisruptionBudget named demo-pd/);
        assert.equal(violations[0]!.urn, "urn:pulumi:test::elasticell::kubernetes:apps/v1:StatefulSet::demo-pd");
    });
});
