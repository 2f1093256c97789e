import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imagePinned, imageProblem } from "../../policies/rules/image-pinned";
import { pdbPerTier } from "../../policies/rules/pdb-per-tier";
import { pdOddReplicas } from "../../policies/rules/pd-odd-replicas";
import { pvcRetain } from "../../policies/rules/pvc-retain";
import { resourceRequests } from "../../policies/rules/resource-requests";
import { unknownValues, type ResourceValidationPolicy, type StackValidationPolicy } from "../../policies/sdk";
import { StatefulSet } from "../../policies/statefulset";
import { validateResource, validateStack } from "../helpers/policy";
import { edited, pdb, statefulSet } from "./fixtures";

const tiers = ["pd", "store", "proxy"] as const;

async function check(policy: ResourceValidationPolicy, props: object) {
    return validateResource(policy, { resourceClass: StatefulSet, props });
}

/** Runs a stack policy over StatefulSets. */
async function stack(policy: StackValidationPolicy, props: readonly Record<string, any>[]) {
    return validateStack(policy, {
        resources: props.map((p) => ({ resourceClass: StatefulSet, props: p, name: p.metadata.name })),
    });
}

describe("advisory rules accept the valid fixtures", () => {
    for (const policy of [pdOddReplicas, pvcRetain]) {
        for (const tier of tiers) {
            it(`${policy.name}: ${tier}`, async () => {
                assert.deepEqual(await check(policy, statefulSet(tier)), []);
            });
        }
    }
    for (const policy of [imagePinned, resourceRequests]) {
        it(`${policy.name}: all three tiers`, async () => {
            assert.deepEqual(
                await stack(
                    policy,
                    tiers.map((t) => statefulSet(t)),
                ),
                [],
            );
        });
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
        assert.deepEqual(
            await check(
                pdOddReplicas,
                edited(statefulSet("pd"), (p) => (p.spec.replicas = unknownValues.unknownNumberValue)),
            ),
            [],
        );
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
        const violations = await stack(imagePinned, [props]);
        assert.equal(violations.length, 2);
        assert.match(
            violations[0]!.message,
            /tier store: image has no tag, so it means :latest: store: StatefulSet prod\/demo-store, container wait-for-pd "busybox"\./,
        );
        assert.match(
            violations[1]!.message,
            /tier store: image uses the :latest tag: store: StatefulSet prod\/demo-store, container store "deepfabric\/cell:latest"\./,
        );
        assert.match(violations[1]!.message, /pulumi config set --path store\.image <image>:<version>/);
    });

    it("collapses one problem of several tiers into one violation naming them (the default stack's case)", async () => {
        // Given in reverse: the message lists the tiers in start order all the same.
        const latest = [...tiers]
            .reverse()
            .map((t) =>
                edited(statefulSet(t), (p) => (p.spec.template.spec.containers[0].image = `deepfabric/${t}:latest`)),
            );
        const violations = await stack(imagePinned, latest);
        assert.equal(violations.length, 1, violations.map((v) => v.message).join("\n"));
        assert.match(
            violations[0]!.message,
            /^[\s\S]*elasticell cluster "demo", tiers pd, store and proxy: image uses the :latest tag: pd: StatefulSet prod\/demo-pd, container pd "deepfabric\/pd:latest"; store: .*; proxy: .*"deepfabric\/proxy:latest"\./,
        );
        for (const t of tiers) {
            assert.match(violations[0]!.message, new RegExp(`pulumi config set --path ${t}\\.image`));
        }
    });

    it("says nothing about an image unknown at preview", async () => {
        const props = edited(
            statefulSet("pd"),
            (p) => (p.spec.template.spec.containers[0].image = unknownValues.unknownStringValue),
        );
        assert.deepEqual(await stack(imagePinned, [props]), []);
    });

    it("keeps clusters apart: the same problem in two clusters is two violations", async () => {
        const props = ["alpha", "beta"].map((c) =>
            edited(statefulSet("pd", 3, c), (p) => (p.spec.template.spec.containers[0].image = "deepfabric/pd:latest")),
        );
        const violations = await stack(imagePinned, props);
        assert.deepEqual(
            violations.map((v) => /cluster "(\w+)"/.exec(v.message)?.[1]),
            ["alpha", "beta"],
        );
    });
});

describe("elasticell-resource-requests", () => {
    for (const [name, edit, missing] of [
        ["no cpu", (p: any) => delete p.spec.template.spec.containers[0].resources.requests.cpu, "cpu"],
        ["no memory", (p: any) => delete p.spec.template.spec.containers[0].resources.requests.memory, "memory"],
        ["no resources", (p: any) => delete p.spec.template.spec.containers[0].resources, "cpu or memory"],
    ] as const) {
        it(`flags ${name}`, async () => {
            const violations = await stack(resourceRequests, [edited(statefulSet("pd"), edit)]);
            assert.equal(violations.length, 1);
            assert.match(
                violations[0]!.message,
                new RegExp(`tier pd: no ${missing} request: pd: StatefulSet prod/demo-pd, container pd\\.`),
            );
            assert.match(violations[0]!.message, /Set pd\.resources\.requests\.\{cpu,memory\}/);
        });
    }

    it("collapses the three tiers without requests into one violation", async () => {
        const props = tiers.map((t) =>
            edited(statefulSet(t), (p) => delete p.spec.template.spec.containers[0].resources),
        );
        const violations = await stack(resourceRequests, props);
        assert.equal(violations.length, 1);
        assert.match(
            violations[0]!.message,
            /tiers pd, store and proxy: no cpu or memory request: pd: .*; store: .*; proxy: /,
        );
        assert.match(
            violations[0]!.message,
            /Set pd\.resources\.requests\.\{cpu,memory\}, store\.resources\.requests\.\{cpu,memory\} and proxy\./,
        );
    });

    it("different problems stay apart", async () => {
        const props = [
            edited(statefulSet("pd"), (p) => delete p.spec.template.spec.containers[0].resources.requests.cpu),
            edited(statefulSet("store"), (p) => delete p.spec.template.spec.containers[0].resources.requests.memory),
        ];
        const violations = await stack(resourceRequests, props);
        assert.equal(violations.length, 2);
    });
});

describe("elasticell-pvc-retain", () => {
    for (const field of ["whenDeleted", "whenScaled"] as const) {
        it(`flags ${field}: Delete`, async () => {
            const violations = await check(
                pvcRetain,
                edited(statefulSet("store"), (p) => (p.spec.persistentVolumeClaimRetentionPolicy[field] = "Delete")),
            );
            assert.equal(violations.length, 1);
            assert.match(
                violations[0]!.message,
                new RegExp(`persistentVolumeClaimRetentionPolicy.${field} is "Delete"`),
            );
            assert.match(violations[0]!.message, /PVC template store/);
        });
    }
    it("accepts an absent policy (Kubernetes defaults to Retain)", async () => {
        assert.deepEqual(
            await check(
                pvcRetain,
                edited(statefulSet("pd"), (p) => delete p.spec.persistentVolumeClaimRetentionPolicy),
            ),
            [],
        );
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
        assert.deepEqual(
            violations.map((v) => /, tier (\w+), StatefulSet/.exec(v.message)?.[1]),
            ["pd", "store"],
        );
        assert.equal(violations[0]!.level, "advisory");
        assert.match(violations[0]!.message, /Add a PodDisruptionBudget named demo-pd/);
        assert.equal(violations[0]!.urn, "urn:pulumi:test::elasticell::kubernetes:apps/v1:StatefulSet::demo-pd");
    });
});
