import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { unknownValues } from "../../../policies/core/sdk";
import { StatefulSet } from "../../../policies/core/statefulset";
import { k8sProvider, validateResource, type PolicyConfig } from "../../helpers/policy";
import { deployed, edited, memoryDeps, statefulSet, type StatefulSetFixture } from "../fixtures";

async function run(
    props: object,
    baseline = new MemoryBaseline([deployed("pd", 3)]),
    config: PolicyConfig = {},
    dryRun = true,
) {
    const deps = memoryDeps(baseline, { project: "elasticell", stack: "dev", dryRun });
    const violations = await validateResource(makePdReplicasFixed(deps), { resourceClass: StatefulSet, props, config });
    return { violations, deps };
}

function assertClean(messages: readonly { message: string }[]): void {
    for (const v of messages) {
        assert.doesNotMatch(v.message, /undefined|NaN|\[object /, v.message);
    }
}

describe("elasticell-pd-replicas-fixed", () => {
    it("allows the deployed count", async () => {
        const { violations } = await run(statefulSet("pd", 3));
        assert.deepEqual(violations, []);
    });

    it("allows any size on a first deployment (nothing deployed)", async () => {
        const { violations } = await run(statefulSet("pd", 5), new MemoryBaseline([]));
        assert.deepEqual(violations, []);
    });

    for (const [name, requested] of [
        ["scale-out 3 -> 5", 5],
        ["scale-in 3 -> 1", 1],
        ["scale-in 3 -> 2", 2],
    ] as const) {
        it(`blocks ${name} with cluster, tier, object, both counts, why and the fix`, async () => {
            const { violations } = await run(statefulSet("pd", requested));
            assert.equal(violations.length, 1);
            const [v] = violations;
            assert.ok(v);
            assert.equal(v.level, "mandatory");
            assert.match(v.message, /elasticell cluster "demo", tier pd, StatefulSet prod\/demo-pd/);
            assert.match(v.message, new RegExp(`3 -> ${requested} \\(deployed -> requested\\)`));
            assert.match(v.message, /etcd with a static member list/);
            assert.match(v.message, /keep PD at 3 replicas/);
            assert.match(v.message, /"elasticell-pd-replicas-fixed": \{"override"/);
            assert.match(v.message, /--policy-pack-config/);
            assertClean(violations);
        });
    }

    it("catches drift: live PD scaled to 5 by hand, plan says 3", async () => {
        const { violations } = await run(statefulSet("pd", 3), new MemoryBaseline([deployed("pd", 5)]));
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /5 -> 3 \(deployed -> requested\)/);
    });

    it("treats a missing spec.replicas as the Kubernetes default of 1", async () => {
        const props = edited(statefulSet("pd"), (p) => delete p.spec.replicas);
        const { violations } = await run(props);
        assert.equal(violations.length, 1);
        assert.match(
            violations[0].message,
            /3 -> 1 \(deployed -> requested; spec.replicas is not set, so Kubernetes uses 1\)/,
        );
    });

    it("identifies PD by labels, not by name", async () => {
        const renamed = edited(statefulSet("pd", 5), (p) => (p.metadata.name = "odd-name"));
        const baseline = new MemoryBaseline([{ ...deployed("pd", 3), name: "odd-name" }]);
        const { violations } = await run(renamed, baseline);
        assert.match(violations[0].message, /StatefulSet prod\/odd-name/);

        const namedLikePd = edited(statefulSet("store", 5), (p) => (p.metadata.name = "demo-pd"));
        assert.deepEqual((await run(namedLikePd)).violations, []);
    });

    for (const [name, edit] of [
        ["another app", (p: StatefulSetFixture) => (p.metadata.labels["app.kubernetes.io/name"] = "redis")],
        ["no instance label", (p: StatefulSetFixture) => delete p.metadata.labels["app.kubernetes.io/instance"]],
        [
            "an unknown component",
            (p: StatefulSetFixture) => (p.metadata.labels["app.kubernetes.io/component"] = "pd-backup"),
        ],
        ["no labels", (p: StatefulSetFixture) => delete (p.metadata as Partial<StatefulSetFixture["metadata"]>).labels],
    ] as const) {
        it(`ignores a StatefulSet with ${name} and reads no baseline`, async () => {
            const baseline = new MemoryBaseline([deployed("pd", 3)]);
            const { violations } = await run(edited(statefulSet("pd", 5), edit), baseline);
            assert.deepEqual(violations, []);
            assert.equal(baseline.reads, 0);
        });
    }

    it("fails closed on a StatefulSet without metadata.name (its deployed object cannot be found)", async () => {
        const { violations } = await run(edited(statefulSet("pd", 3), (p) => delete p.metadata.name));
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /no explicit metadata.name/);
    });

    it("reports replicas unknown at preview as advisory, saying it is checked at up", async () => {
        const props = edited(statefulSet("pd"), (p) => (p.spec.replicas = unknownValues.unknownNumberValue));
        const { violations } = await run(props);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /cannot check at preview/);
        assert.match(violations[0].message, /checked at `pulumi up`/);
        assertClean(violations);
    });

    it("refuses replicas still unknown during the update", async () => {
        const props = edited(statefulSet("pd"), (p) => (p.spec.replicas = unknownValues.unknownNumberValue));
        const { violations } = await run(props, undefined, {}, false);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /unknown during the update/);
    });

    it("fails closed when the baseline is unreadable, saying why and how to proceed", async () => {
        const baseline = new MemoryBaseline([], "cannot reach the API server https://10.0.0.1:6443 (ECONNREFUSED)");
        const { violations } = await run(statefulSet("pd", 3), baseline);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /tier pd, StatefulSet prod\/demo-pd: cannot read the deployed state/);
        assert.match(violations[0].message, /ECONNREFUSED/);
        assert.match(
            violations[0].message,
            /"baselineUnreadable": \{"allow": \{"reason": "<why, who, ticket>", "expires": "2025-03-11"\}\}/,
        );
        assertClean(violations);
    });

    it("reports an unreadable baseline as advisory under a baselineUnreadable allowance", async () => {
        const baseline = new MemoryBaseline([], "401 Unauthorized");
        const { violations } = await run(statefulSet("pd", 3), baseline, {
            baselineUnreadable: {
                allow: { reason: "INC-7: API server down, deploying the fix", expires: "2025-03-12" },
            },
        });
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /Allowed by baselineUnreadable until 2025-03-12; reason: "INC-7/);
    });

    it("obeys the engine's enforcementLevel config (disabled)", async () => {
        const { violations } = await run(statefulSet("pd", 5), undefined, { enforcementLevel: "disabled" });
        assert.deepEqual(violations, []);
    });

    it("looks the object up on the resource's provider target", async () => {
        const deps = memoryDeps(new MemoryBaseline([deployed("pd", 3)]));
        const policy = makePdReplicasFixed(deps);
        await validateResource(policy, {
            resourceClass: StatefulSet,
            props: statefulSet("pd", 3),
            provider: k8sProvider({ kubeconfig: "/home/me/.kube/prod", context: "prod-admin", namespace: "ignored" }),
        });
        await validateResource(policy, {
            resourceClass: StatefulSet,
            props: statefulSet("pd", 3),
            provider: k8sProvider({ renderYamlToDirectory: "rendered" }),
        });
        await validateResource(policy, { resourceClass: StatefulSet, props: statefulSet("pd", 3) });
        const [cluster, render, ambient] = deps.resolver.targets;
        assert.equal(cluster?.kind, "cluster");
        assert.equal(cluster?.kind === "cluster" ? cluster.context : "", "prod-admin");
        assert.equal(cluster?.kind === "cluster" ? cluster.kubeconfig : "", "/home/me/.kube/prod");
        assert.equal(render?.kind === "render" ? render.directory : "", "/project/rendered");
        assert.equal(ambient?.key, "cluster|ambient");
    });

    it("reports a provider setting unknown at preview as advisory", async () => {
        const deps = memoryDeps(new MemoryBaseline([deployed("pd", 3)]));
        const violations = await validateResource(makePdReplicasFixed(deps), {
            resourceClass: StatefulSet,
            props: statefulSet("pd", 5),
            provider: k8sProvider({ kubeconfig: unknownValues.unknownStringValue }),
        });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /cannot check at preview: the provider/);
    });
});
