/** The render-directory baseline (provider `renderYamlToDirectory`) against a temp dir. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { RenderDirectoryBaseline } from "../../../policies/baseline/render-dir";
import { findProjectDir } from "../../../policies/baseline/project-dir";
import { DefaultBaselineResolver } from "../../../policies/baseline/resolve";
import { BaselineUnreadableError } from "../../../policies/baseline/types";
import { makeNoTierRemoval } from "../../../policies/rules/no-tier-removal";
import { makeStoreNoScaleIn } from "../../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../../policies/core/statefulset";
import { k8sProvider, validateResource, validateStack } from "../../helpers/policy";
import { memoryDeps, pdb, statefulSet } from "../fixtures";

describe("render-directory baseline", () => {
    let root = "";
    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-render-"));
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    /**
     * Writes a render directory like the provider does: manifests in 1-manifest/, CRDs in 0-crd/.
     * Documents are objects (written as JSON, which is YAML) or YAML text.
     */
    function render(name: string, files: Record<string, readonly (object | string)[]>): string {
        const dir = path.join(root, name);
        for (const [file, docs] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            const text = docs.map((d) => (typeof d === "string" ? d : JSON.stringify(d, null, 2))).join("\n---\n");
            fs.writeFileSync(path.join(dir, file), text);
        }
        return dir;
    }

    /** A StatefulSet as the provider renders it (YAML, keys sorted). */
    const renderedPd = [
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "metadata:",
        "  annotations:",
        "    elasticell.io/pulumi-stack: elasticell/dev",
        "  labels:",
        "    app.kubernetes.io/component: pd",
        "    app.kubernetes.io/instance: demo",
        "    app.kubernetes.io/name: elasticell",
        "  name: demo-pd",
        "  namespace: prod",
        "spec:",
        "  replicas: 3",
        "  template:",
        "    spec:",
        "      containers:",
        "      - image: deepfabric/pd:v1.2.0",
        "        name: pd",
        "",
    ].join("\n");

    it("finds StatefulSets by kind in any file, whatever its name, among other documents", async () => {
        const dir = render("mixed", {
            "0-crd/cellclusters.yaml": [
                { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "x" } },
            ],
            "1-manifest/v1-service-prod-demo-pd.yaml": [
                { apiVersion: "v1", kind: "Service", metadata: { name: "demo-pd", namespace: "prod" } },
            ],
            "1-manifest/whatever.yaml": [pdb("pd"), statefulSet("store", 5), renderedPd],
        });
        const b = new RenderDirectoryBaseline(dir);
        const pd = await b.getStatefulSet("prod", "demo-pd");
        assert.equal(pd?.replicas, 3);
        assert.equal(pd?.annotations["elasticell.io/pulumi-stack"], "elasticell/dev");
        assert.deepEqual(pd?.images, ["deepfabric/pd:v1.2.0"]);
        assert.equal((await b.getStatefulSet("prod", "demo-store"))?.replicas, 5);
        assert.equal(await b.getStatefulSet("prod", "demo-proxy"), undefined);
        const listed = await b.listStatefulSets({ "app.kubernetes.io/component": "store" });
        assert.deepEqual(
            listed.map((s) => s.name),
            ["demo-store"],
        );
        const store = listed[0];
        assert.deepEqual(store?.volumeClaimTemplates, [
            { name: "store", storage: "1Gi", accessModes: ["ReadWriteOnce"] },
        ]);
        assert.equal(store?.serviceName, "demo-store-peer");
        assert.equal(store?.podManagementPolicy, "Parallel");
        assert.equal(store?.template.annotations["elasticell.io/config-hash"], "store-hash-1");
        assert.deepEqual(
            store?.template.containers.map((c) => [c.name, c.init, c.image, c.command.length, c.env.length]),
            [["store", false, "deepfabric/cell:v1.2.0", 2, 2]],
        );
        assert.equal(await b.listPods(), undefined, "a render directory has no pods: rules skip their health checks");
    });

    it("answers undefined when nothing was rendered yet (missing directory)", async () => {
        const b = new RenderDirectoryBaseline(path.join(root, "never-rendered"));
        assert.equal(await b.getStatefulSet("prod", "demo-pd"), undefined);
        assert.deepEqual(await b.listStatefulSets({}), []);
    });

    it("puts manifests without a namespace in the provider's default namespace", async () => {
        const noNs = statefulSet("pd");
        delete noNs["metadata"].namespace;
        const dir = render("no-namespace", { "1-manifest/pd.yaml": [noNs] });
        assert.equal(
            (await new RenderDirectoryBaseline(dir, "team-a").getStatefulSet("team-a", "demo-pd"))?.replicas,
            3,
        );
    });

    it("is unreadable when a manifest is not YAML", async () => {
        const dir = render("broken", {});
        fs.mkdirSync(path.join(dir, "1-manifest"), { recursive: true });
        fs.writeFileSync(path.join(dir, "1-manifest", "bad.yaml"), "kind: StatefulSet\n  bad: [indent");
        await assert.rejects(new RenderDirectoryBaseline(dir).getStatefulSet("prod", "demo-pd"), (err) => {
            assert.ok(err instanceof BaselineUnreadableError);
            assert.match(err.reason, /1-manifest\/bad.yaml is not readable YAML/);
            return true;
        });
    });

    it("drives the rules: relative renderYamlToDirectory resolves against the project dir", async () => {
        render("project/rendered", { "1-manifest/apps.yaml": [statefulSet("pd", 3), statefulSet("store", 5)] });
        const deps = {
            ...memoryDeps(),
            resolver: new DefaultBaselineResolver(),
            projectDir: () => path.join(root, "project"),
        };
        const provider = k8sProvider({ renderYamlToDirectory: "rendered" });
        const scaleIn = await validateResource(makeStoreNoScaleIn(deps), {
            resourceClass: StatefulSet,
            props: statefulSet("store", 3),
            provider,
        });
        assert.equal(scaleIn.length, 1);
        assert.match(scaleIn[0].message, /5 -> 3 \(deployed -> requested\)/);
        assert.match(
            await validateStack(makeNoTierRemoval(deps), {
                resources: [{ resourceClass: StatefulSet, props: statefulSet("pd"), name: "demo-pd", provider }],
            }).then((v) => v[0]?.message ?? ""),
            new RegExp(
                `tier store, StatefulSet prod/demo-store: deployed with 5 replicas in render directory ${root}/project/rendered`,
            ),
        );
    });

    it("finds the project directory (Pulumi.yaml) above the pack's directory", () => {
        const project = path.join(root, "proj");
        fs.mkdirSync(path.join(project, "policies", "rules"), { recursive: true });
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: elasticell\nruntime: nodejs\n");
        assert.equal(findProjectDir([path.join(project, "policies")]), project);
        assert.equal(findProjectDir([path.join(root, "mixed"), path.join(project, "policies", "rules")]), project);
    });
});
