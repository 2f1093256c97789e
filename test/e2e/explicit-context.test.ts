/**
 * "From the local cluster to a real one" (docs/configuration.md): the prod stack names its cluster by context,
 * so even with the local cluster's kubeconfig at hand (what `source scripts/env.sh` puts first)
 * it cannot land there. The real engine, with Pulumi.prod.yaml's config and the local kubeconfig:
 * the preview with the pack fails closed naming the missing context, `pulumi up` fails with the
 * provider's "context does not exist", and nothing is created in the local cluster.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { load } from "js-yaml";
import { kubectl, testCluster } from "../helpers/cluster";
import { EngineProject } from "../helpers/engine";
import { ProjectRoot, stackConfig } from "../helpers/stacks";

const ns = "e2e-explicit-context";
const prodFile = (
    load(readFileSync(join(ProjectRoot, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }
).config;

describe("engine, local cluster: a stack naming another context never lands on the local cluster", () => {
    const c = testCluster();
    const context = prodFile["kubernetes:context"];
    const p = new EngineProject(
        "explicit-context",
        { ...stackConfig("prod"), namespace: ns, "kubernetes:context": context },
        { kubeconfig: c.kubeconfig },
    );
    after(async () => p.dispose());

    it("prod's context is not the local cluster's", () => {
        assert.equal(typeof context, "string");
        assert.notEqual(context, "elasticell-local");
    });

    it("preview and up fail on the missing context; nothing is created", async () => {
        await p.init();
        const preview = await p.preview(["--policy-pack", "policies"]);
        assert.notEqual(preview.code, 0, preview.output);
        assert.match(preview.output, new RegExp(`the kubeconfig has no context "${String(context)}"`));
        const up = await p.up(["--policy-pack", "policies"]);
        assert.notEqual(up.code, 0, up.output);
        assert.match(up.output, new RegExp(`context "${String(context)}" does not exist`));
        const got = await kubectl(c, ["get", "namespace", ns]);
        assert.notEqual(got.code, 0, "the namespace must not exist");
        assert.match(got.output, /NotFound|not found/);
    });
});
