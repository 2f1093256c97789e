/**
 * Through the real engine, render target: examples/basic, a program of its
 * own that imports the library as `elasticell` (linked into node_modules as
 * npm links a `file:` dependency), deploys, exports, is reviewed by the
 * policy pack and refuses bad args.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { EngineProject } from "../helpers/engine";
import { initProject } from "../helpers/e2e-project";
import { renderedOf } from "../helpers/e2e-rendered";
import { ProjectRoot } from "../helpers/stacks";

const example = {
    root: join(ProjectRoot, "examples", "basic"),
    files: ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts"],
    linkLibrary: true,
};

describe("engine, render target: examples/basic uses the library", () => {
    let project: EngineProject;

    before(async () => {
        project = await initProject("example", { "elasticell-basic:namespace": "e2e-example" }, "render", example);
    });
    after(async () => project.dispose());

    it("pulumi up renders the cluster with the example's args and exports its endpoints", async () => {
        const up = await project.up();
        assert.equal(up.code, 0, up.output);
        const store = renderedOf(project, "StatefulSet", "demo-store");
        assert.equal(store.metadata?.namespace, "e2e-example");
        assert.equal(store.spec?.replicas, 5);
        assert.equal(store.metadata?.labels?.["team"], "storage");
        assert.equal(store.metadata?.annotations?.["elasticell.io/pulumi-stack"], "elasticell-basic/example");
        assert.equal(renderedOf(project, "StatefulSet", "demo-proxy").spec?.replicas, 2);
        assert.equal(renderedOf(project, "StatefulSet", "demo-pd").spec?.replicas, 3);
        assert.equal(renderedOf(project, "Namespace", "e2e-example").kind, "Namespace");
        assert.deepEqual(await project.outputs(), {
            redisEndpoint: "demo-cell.e2e-example.svc:6379",
            pdClientUrl: "http://demo-pd.e2e-example.svc:2379",
            storeReplicas: 5,
        });
    });

    it("the policy pack reviews the program's previews too: a Store scale-in is refused", async () => {
        await project.setConfig("storeReplicas", "4");
        const preview = await project.preview(["--policy-pack", "policies"]);
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /elasticell-store-no-scale-in/);
        assert.match(preview.output, /e2e-example\/demo-store/);
        assert.match(preview.output, /5 → 4|5 -> 4/);
        await project.setConfig("storeReplicas", "5");
    });

    it("bad args fail the preview with the args-phrased problem list, no stack trace, and change nothing", async () => {
        const count = await project.resourceCount();
        await project.setConfig("namespace", "Bad_NS");
        const preview = await project.preview();
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, /invalid arguments of CellCluster "demo" \(1 problem\)/);
        assert.match(
            preview.output,
            /- args\.namespace: must be a DNS label[^\n]*\(got "Bad_NS"\)\n\s+fix: set args\.namespace to "bad-ns"/,
        );
        assert.doesNotMatch(
            preview.output,
            /at resolveClusterArgs|pulumi config set/,
            "no stack trace, no stack-config command",
        );
        assert.equal(await project.resourceCount(), count);
    });
});
