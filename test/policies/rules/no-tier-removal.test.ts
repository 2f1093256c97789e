import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import type { RunContext } from "../../../policies/core/engine-context";
import { makeNoTierRemoval } from "../../../policies/rules/no-tier-removal";
import { unknownValues } from "../../../policies/core/sdk";
import { StatefulSet } from "../../../policies/core/statefulset";
import { k8sProvider, validateStack, type PolicyConfig, type StackResource } from "../../helpers/policy";
import { deployed, edited, memoryDeps, statefulSet, validOverride, type StatefulSetFixture } from "../fixtures";

const live = [deployed("pd", 3), deployed("store", 5), deployed("proxy", 2)];
const context: RunContext = {
    project: "elasticell",
    stack: "dev",
    dryRun: true,
    source: "the engine (ConfigureStack)",
};

function sts(props: StatefulSetFixture): StackResource {
    return { resourceClass: StatefulSet, props, name: props.metadata.name ?? "sts" };
}

const fullPlan = [sts(statefulSet("pd")), sts(statefulSet("store", 5)), sts(statefulSet("proxy"))];

async function run(
    resources: readonly StackResource[],
    opts: { baseline?: MemoryBaseline; config?: PolicyConfig; context?: RunContext; tags?: Map<string, string> } = {},
) {
    const deps = memoryDeps(opts.baseline ?? new MemoryBaseline(live), opts.context ?? context);
    return validateStack(makeNoTierRemoval(deps), {
        resources,
        config: opts.config ?? {},
        ...(opts.tags === undefined ? {} : { stackTags: opts.tags }),
    });
}

describe("elasticell-no-tier-removal", () => {
    it("allows a plan that keeps every deployed tier", async () => {
        assert.deepEqual(await run(fullPlan), []);
    });

    it("allows a first deployment (nothing deployed)", async () => {
        assert.deepEqual(await run(fullPlan, { baseline: new MemoryBaseline([]) }), []);
    });

    it("blocks a plan that drops the deployed Store StatefulSet", async () => {
        const violations = await run([sts(statefulSet("pd")), sts(statefulSet("proxy"))]);
        assert.equal(violations.length, 1);
        const m = violations[0].message;
        assert.equal(violations[0].level, "mandatory");
        assert.match(m, /elasticell cluster "demo", tier store, StatefulSet prod\/demo-store/);
        assert.match(m, /deployed with 5 replicas/);
        assert.match(m, /owned by this stack \(elasticell\/dev, from the engine \(ConfigureStack\)\)/);
        assert.match(m, /would be deleted/);
        assert.match(m, /"elasticell-no-tier-removal": \{"override"/);
        assert.doesNotMatch(m, /undefined|NaN/);
    });

    it("blocks a renamed cluster: both PD and Store of the old name would go, the proxy is fine", async () => {
        const renamed = [
            sts(statefulSet("pd", 3, "demo2")),
            sts(statefulSet("store", 5, "demo2")),
            sts(statefulSet("proxy", 1, "demo2")),
        ];
        const violations = await run(renamed);
        assert.deepEqual(
            violations.map((v) => /tier (\w+), StatefulSet (\S+):/.exec(v.message)?.slice(1)),
            [
                ["pd", "prod/demo-pd"],
                ["store", "prod/demo-store"],
            ],
        );
    });

    it("blocks removing the whole cluster from the program", async () => {
        assert.equal((await run([])).length, 2);
    });

    it("allows dropping the proxy tier", async () => {
        assert.deepEqual(await run([sts(statefulSet("pd")), sts(statefulSet("store", 5))]), []);
    });

    it("leaves objects owned by another stack alone", async () => {
        const baseline = new MemoryBaseline([
            deployed("pd", 3, "demo", "prod", "elasticell/prod"),
            deployed("store", 3, "other", "prod", "elasticell/prod"),
        ]);
        assert.deepEqual(await run([], { baseline }), []);
    });

    it("leaves unannotated and non-elasticell objects alone", async () => {
        const unowned = { ...deployed("store", 3), annotations: {} };
        const foreign = { ...deployed("pd", 3), labels: { "app.kubernetes.io/name": "etcd" } };
        assert.deepEqual(await run([], { baseline: new MemoryBaseline([unowned, foreign]) }), []);
    });

    it("takes the stack from the `stack` config over the engine", async () => {
        const violations = await run([], { config: { stack: "elasticell/prod" } });
        assert.deepEqual(violations, []);
    });

    it("falls back to the planned StatefulSets' stack annotation", async () => {
        const violations = await run([sts(statefulSet("pd")), sts(statefulSet("proxy"))], {
            context: { dryRun: true },
        });
        assert.equal(violations.length, 1);
        assert.match(
            violations[0].message,
            /from the elasticell\.io\/pulumi-stack annotation of the planned StatefulSets/,
        );
    });

    it("fails closed when it cannot tell which stack runs, for objects of this project", async () => {
        const tags = new Map([["pulumi:project", "elasticell"]]);
        const violations = await run([], { context: { dryRun: true }, tags });
        assert.equal(violations.length, 2);
        assert.match(violations[0].message, /cannot tell which stack is running/);
        assert.match(violations[0].message, /"elasticell-no-tier-removal": \{"stack": "<project>\/<stack>"\}/);
        const otherProject = await run([], {
            context: { dryRun: true },
            tags: new Map([["pulumi:project", "billing"]]),
        });
        assert.deepEqual(otherProject, []);
    });

    it("fails closed when the baseline is unreadable, and allows it as advisory on request", async () => {
        const baseline = new MemoryBaseline([], "the API server https://10.0.0.1:6443 did not answer within 5 s");
        const denied = await run(fullPlan, { baseline });
        assert.equal(denied.length, 1);
        assert.equal(denied[0].level, "mandatory");
        assert.match(denied[0].message, /did not answer within 5 s/);
        const allowed = await run(fullPlan, {
            baseline,
            config: {
                baselineUnreadable: {
                    allow: { reason: "INC-7: API server down, deploying the fix", expires: "2025-03-12" },
                },
            },
        });
        assert.equal(allowed[0].level, "advisory");
    });

    it("reports advisory at preview when a planned name is unknown", async () => {
        const unknownName = edited(
            statefulSet("store", 5),
            (p) => (p.metadata.name = unknownValues.unknownStringValue),
        );
        const violations = await run([sts(statefulSet("pd")), { ...sts(unknownName), name: "store" }]);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /cannot check at preview/);
    });

    it("turns the violation advisory under a valid override", async () => {
        const violations = await run([sts(statefulSet("pd"))], {
            config: { override: validOverride({ tier: "store" }) },
        });
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /ALLOWED by break-glass override/);
    });

    it("lists every target the plan uses, including provider resources", async () => {
        const deps = memoryDeps(new MemoryBaseline(live), context);
        const provider = k8sProvider({ kubeconfig: "/kube/prod", context: "prod" }, "prod");
        await validateStack(makeNoTierRemoval(deps), {
            resources: [
                { ...sts(statefulSet("pd")), provider },
                { type: "pulumi:providers:kubernetes", props: { renderYamlToDirectory: "/out" }, name: "render" },
                sts(statefulSet("store", 5)),
                sts(statefulSet("proxy")),
            ],
        });
        assert.deepEqual(
            deps.resolver.targets.map((t) => t.key).sort(),
            [
                "cluster|ambient",
                deps.resolver.targets.find((t) => t.kind === "cluster" && t.context === "prod")!.key,
                "render|/out|",
            ].sort(),
        );
    });
});
