/**
 * Through the real engine, render target: `pulumi up` runs the whole
 * program and the Kubernetes provider writes the manifests it would apply.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fixCommands } from "../helpers/config-fixes";
import { EngineProject, requireToolchain } from "../helpers/engine";
import { initProject } from "../helpers/e2e-project";
import { configData, renderedObjectsOf, renderedOf } from "../helpers/e2e-rendered";

const pdList = (ns: string) => [0, 1, 2].map((i) => `demo-pd-${i}.demo-pd-peer.${ns}.svc:20800`).join(",");

describe("engine, render target: deploy, update in place, destroy", () => {
    let project: EngineProject;

    before(async () => (project = await initProject("e2e", { name: "demo", namespace: "e2e-ns" })));
    after(async () => project.dispose());

    it("pulumi up renders every object with the computed addresses", async () => {
        const up = await project.up();
        assert.equal(up.code, 0, up.output);

        const kinds = renderedObjectsOf(project)
            .map((o) => `${o.kind}/${o.metadata?.name}`)
            .sort();
        assert.deepEqual(kinds, [
            "ConfigMap/demo-pd",
            "ConfigMap/demo-proxy",
            "ConfigMap/demo-store",
            "Namespace/e2e-ns",
            "NetworkPolicy/demo-pd",
            "NetworkPolicy/demo-proxy",
            "NetworkPolicy/demo-store",
            "PersistentVolumeClaim/pd-demo-pd-0",
            "PersistentVolumeClaim/pd-demo-pd-1",
            "PersistentVolumeClaim/pd-demo-pd-2",
            "PersistentVolumeClaim/store-demo-store-0",
            "PersistentVolumeClaim/store-demo-store-1",
            "PersistentVolumeClaim/store-demo-store-2",
            "PodDisruptionBudget/demo-pd",
            "PodDisruptionBudget/demo-proxy",
            "PodDisruptionBudget/demo-store",
            "Service/demo-cell",
            "Service/demo-pd",
            "Service/demo-pd-peer",
            "Service/demo-proxy-peer",
            "Service/demo-store-peer",
            "StatefulSet/demo-pd",
            "StatefulSet/demo-proxy",
            "StatefulSet/demo-store",
            "ValidatingAdmissionPolicy/elasticell-guard.e2e-ns.demo",
            "ValidatingAdmissionPolicyBinding/elasticell-guard.e2e-ns.demo",
        ]);

        const pdScript = configData(project, "demo-pd", "pd_start_script.sh");
        const members = [0, 1, 2].map((i) => `demo-pd-${i}=http://demo-pd-${i}.demo-pd-peer.e2e-ns.svc:2380`).join(",");
        assert.ok(pdScript.includes('--initial-cluster="${PD_INITIAL_CLUSTER}"'), pdScript);
        const pdEnv = renderedOf(project, "StatefulSet", "demo-pd").spec?.template.spec?.containers[0]?.env;
        assert.deepEqual(
            pdEnv?.find((e) => e.name === "PD_INITIAL_CLUSTER"),
            { name: "PD_INITIAL_CLUSTER", value: members },
        );
        assert.ok(configData(project, "demo-store", "store_start_script.sh").includes(`--pd=${pdList("e2e-ns")}`));
        const proxyConfig = JSON.parse(configData(project, "demo-proxy", "proxy-config.json")) as { pdAddrs?: unknown };
        assert.deepEqual(proxyConfig.pdAddrs, pdList("e2e-ns").split(","));

        const pd = renderedOf(project, "StatefulSet", "demo-pd");
        const store = renderedOf(project, "StatefulSet", "demo-store");
        assert.equal(pd.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.["storage"], "1Gi");
        assert.equal(store.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.["storage"], "10Gi");
        assert.deepEqual(store.spec?.persistentVolumeClaimRetentionPolicy, {
            whenDeleted: "Retain",
            whenScaled: "Retain",
        });
        assert.deepEqual(store.spec?.selector.matchLabels, {
            "app.kubernetes.io/name": "elasticell",
            "app.kubernetes.io/instance": "demo",
            "app.kubernetes.io/component": "store",
        });
        assert.equal(renderedOf(project, "Service", "demo-cell").spec?.ports?.[0]?.port, 6379);
        assert.equal(renderedOf(project, "Service", "demo-pd-peer").spec?.publishNotReadyAddresses, true);
        assert.equal(renderedOf(project, "StatefulSet", "demo-proxy").spec?.serviceName, "demo-proxy-peer");
        assert.equal(renderedOf(project, "Service", "demo-proxy-peer").spec?.clusterIP, "None");
        const storePolicy = renderedOf(project, "NetworkPolicy", "demo-store");
        assert.deepEqual(storePolicy.spec?.policyTypes, ["Ingress", "Egress"]);
        assert.deepEqual(
            storePolicy.spec?.ingress?.map((r) => r.ports?.[0]?.port),
            [10800, 6370],
        );
        for (const sts of [pd, store, renderedOf(project, "StatefulSet", "demo-proxy")]) {
            const pod = sts.spec?.template.spec;
            assert.equal(pod?.securityContext?.seccompProfile?.type, "RuntimeDefault");
            assert.deepEqual(pod?.containers[0]?.securityContext?.capabilities?.drop, ["ALL"]);
            assert.equal(pod?.containers[0]?.securityContext?.allowPrivilegeEscalation, false);
        }

        const outputs = await project.outputs();
        assert.equal(outputs.redisEndpoint, "demo-cell.e2e-ns.svc:6379");
        assert.equal(outputs.pdClientUrl, "http://demo-pd.e2e-ns.svc:2379");
        assert.deepEqual(outputs.store, { image: "deepfabric/cell:latest", replicas: 3, statefulSet: "demo-store" });
    });

    it("store 3 -> 4 and an image change update in place (no replacement)", async () => {
        await project.setConfig("store.replicas", "4");
        await project.setConfig("proxy.image", "deepfabric/proxy:v2");
        const preview = await project.preview(["--diff"]);
        assert.equal(preview.code, 0, preview.output);
        assert.ok(
            !/replace/i.test(preview.stdout.split("Resources:")[1] ?? ""),
            `nothing may be replaced:\n${preview.stdout}`,
        );
        const up = await project.up();
        assert.equal(up.code, 0, up.output);
        assert.equal(renderedOf(project, "StatefulSet", "demo-store").spec?.replicas, 4);
        assert.equal(
            renderedOf(project, "StatefulSet", "demo-proxy").spec?.template.spec?.containers[0]?.image,
            "deepfabric/proxy:v2",
        );
        assert.match(up.stdout, /~ \d+ updated/);
        assert.doesNotMatch(up.stdout, /replaced|deleted/);
        // The only new object is the new ordinal's volume, which the program creates before the StatefulSet grows.
        assert.match(up.stdout, /\+ 1 created/);
        assert.match(up.stdout, /PersistentVolumeClaim store-demo-store-3 created/);
    });

    it("bad config exits non-zero with the listed problems and writes nothing", async () => {
        const before = await project.resourceCount();
        await project.setConfig("store.replicas", "2");
        await project.setConfig("pd.replicas", "4");
        const up = await project.up();
        assert.notEqual(up.code, 0);
        assert.match(up.output, /store\.replicas: must be at least 3/);
        assert.match(up.output, /pd\.replicas: must be odd/);
        assert.match(up.output, /fix: pulumi config set --path pd\.replicas 3/);
        assert.ok(!/at Object\.|\.ts:\d+:\d+/.test(up.output), `no stack trace expected:\n${up.output}`);
        assert.equal(await project.resourceCount(), before, "the state must not change");
        assert.equal(
            renderedOf(project, "StatefulSet", "demo-store").spec?.replicas,
            4,
            "rendered manifests must not change",
        );
        await project.setConfig("store.replicas", "4");
        await project.setConfig("pd.replicas", "3");
    });

    it("plain destroy is refused (PD and Store are protected); destroy --ignore-protect removes the rendered objects", async () => {
        const plain = await project.run(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        assert.notEqual(plain.code, 0, plain.output);
        assert.match(plain.output, /protected/);
        assert.ok(
            existsSync(`${project.renderDir}/1-manifest/apps_v1-statefulset-e2e-ns-demo-store.yaml`),
            "nothing was deleted",
        );
        const destroy = await project.destroy();
        assert.equal(destroy.code, 0, destroy.output);
        assert.equal(await project.resourceCount(), 0);
        assert.ok(!existsSync(`${project.renderDir}/1-manifest/apps_v1-statefulset-e2e-ns-demo-store.yaml`));
        assert.equal(renderedObjectsOf(project).filter((o) => o.kind === "StatefulSet").length, 0);
    });
});

describe("engine, render target: config the API server would refuse fails before anything is registered", () => {
    let project: EngineProject;

    // A Service name may not start with a digit; a toleration with operator Exists may not carry a value.
    const config = {
        name: "1abc",
        namespace: "e2e-badcfg",
        pd: { tolerations: [{ key: "dedicated", operator: "Exists", value: "cell", effect: "NoSchedule" }] },
    };
    before(async () => (project = await initProject("badcfg", config)));
    after(async () => project.dispose());

    let fixes: string[][] = [];

    /** Type tokens of the resources in the stack's state. */
    const stateTypes = async (): Promise<string[]> => {
        const state = JSON.parse((await project.ok(["stack", "export", "--stack", project.stack])).stdout) as {
            deployment: { resources?: { type: string }[] };
        };
        return (state.deployment.resources ?? []).map((r) => r.type);
    };

    it("pulumi preview and pulumi up exit non-zero with both problems and their fixes", async () => {
        for (const [what, run] of [
            ["preview", () => project.preview()],
            ["up", () => project.up()],
        ] as const) {
            const r = await run();
            assert.notEqual(r.code, 0, `${what}:\n${r.output}`);
            assert.match(r.output, /invalid stack configuration \(2 problems\); nothing was deployed/, what);
            assert.match(r.output, /name: must be a DNS-1035 label, as Service names are .*\(got "1abc"\)/, what);
            assert.match(r.output, /fix: pulumi config set --path name cell-1abc/, what);
            assert.match(
                r.output,
                /pd\.tolerations\[0\]\.value: must be empty when operator is Exists .*\(got "cell"\)/,
                what,
            );
            assert.match(r.output, /fix: pulumi config rm --path 'pd\.tolerations\[0\]\.value'/, what);
            assert.ok(!/at Object\.|\.ts:\d+:\d+/.test(r.output), `${what}: no stack trace expected:\n${r.output}`);
            fixes = fixCommands(r.output);
            if (what === "preview") {
                assert.deepEqual(await stateTypes(), [], "a preview writes no state");
            }
        }
    });

    it("the state holds only the Stack itself (no provider, no object) and no manifest was rendered", async () => {
        // Measured: the Node.js SDK registers the root pulumi:pulumi:Stack before it runs the program,
        // so a failed first `up` records that one resource, as it did before these checks (any
        // config error is thrown at the same point, by loadStackConfig in index.ts). It holds no object.
        assert.deepEqual(await stateTypes(), ["pulumi:pulumi:Stack"]);
        assert.deepEqual(renderedObjectsOf(project), []);
        assert.ok(
            !existsSync(project.renderDir) || !existsSync(join(project.renderDir, "1-manifest")),
            "no manifest directory",
        );
    });

    it("the printed fix commands make the config valid: preview then succeeds", async () => {
        assert.equal(fixes.length, 2, JSON.stringify(fixes));
        for (const args of fixes) {
            await project.ok([...args, "--stack", project.stack]);
        }
        const preview = await project.preview();
        assert.equal(preview.code, 0, preview.output);
        assert.match(preview.stdout, /StatefulSet.*cell-1abc-pd|cell-1abc-pd/);
        assert.deepEqual(await stateTypes(), ["pulumi:pulumi:Stack"], "a preview registers nothing");
    });
});

describe("engine: a missing provider plugin", () => {
    it("fails before any resource with a message that says which plugin and how to provide it", async () => {
        const project = new EngineProject("noplugin", { name: "demo" });
        const bin = mkdtempSync(join(tmpdir(), "no-provider-"));
        for (const tool of ["pulumi", "pulumi-language-nodejs"]) {
            const found = requireToolchain()
                .split(":")
                .map((d) => join(d, tool))
                .find((p) => existsSync(p));
            assert.ok(found !== undefined, tool);
            symlinkSync(found, join(bin, tool));
        }
        try {
            await project.init();
            // PATH without the provider (node stays reachable for the language host).
            const preview = await project.run(["preview", "--stack", project.stack], {
                PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
            });
            assert.notEqual(preview.code, 0);
            assert.match(preview.output, /resource plugin kubernetes v4\.25\.0 is not installed and downloads are off/);
            assert.match(preview.output, /npm run toolchain/);
            assert.match(preview.output, /pulumi plugin install resource kubernetes v4\.25\.0 --file/);
        } finally {
            await project.dispose();
            rmSync(bin, { recursive: true, force: true });
        }
    });
});
