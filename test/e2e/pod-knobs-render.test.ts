/**
 * Through the real engine, render target: the pod knobs of stack config (issue 15, point 5)
 * reach the manifests the provider writes, and a bad knob stops the run before any resource.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EngineProject } from "../helpers/engine";
import { initProject } from "../helpers/e2e-project";
import { configData, renderedOf } from "../helpers/e2e-rendered";

const extraArgs = ["--log-file=/var/lib/store/cell.log", `--label=it's "quoted" and spaced`];

describe("engine, render target: pod knobs", () => {
    let project: EngineProject;

    before(async () => {
        project = await initProject("knobs", {
            name: "knobs",
            namespace: "knobs-ns",
            pd: { logLevel: "warn", service: { type: "NodePort" }, priorityClassName: "db-critical" },
            store: {
                imagePullSecrets: ["regcred"],
                podLabels: { "example.com/pool": "gold" },
                podAnnotations: { "prometheus.io/scrape": "true" },
                serviceAccountName: "cells",
                env: [{ name: "GOGC", value: "200" }],
                extraArgs,
            },
            proxy: { supportedCommands: ["ping", "get", "set"], service: { type: "LoadBalancer" } },
            networkPolicy: { proxyClients: { allowAll: true } },
        });
    });
    after(async () => project.dispose());

    it("pulumi up renders every knob into the objects", async () => {
        const up = await project.up();
        assert.equal(up.code, 0, up.output);

        const store = renderedOf(project, "StatefulSet", "knobs-store").spec?.template;
        assert.deepEqual(store?.spec?.imagePullSecrets, [{ name: "regcred" }]);
        assert.equal(store?.spec?.serviceAccountName, "cells");
        assert.equal(store?.metadata?.labels?.["example.com/pool"], "gold");
        assert.equal(store?.metadata?.annotations?.["prometheus.io/scrape"], "true");
        assert.deepEqual(store?.spec?.containers[0]?.env?.at(-1), { name: "GOGC", value: "200" });
        const script = configData(project, "knobs-store", "store_start_script.sh");
        assert.ok(
            script.includes(`  --log-file=/var/lib/store/cell.log \\\n  '--label=it'\\''s "quoted" and spaced'`),
            script,
        );

        const pd = renderedOf(project, "StatefulSet", "knobs-pd").spec?.template;
        assert.equal(pd?.spec?.priorityClassName, "db-critical");
        assert.match(configData(project, "knobs-pd", "pd_start_script.sh"), /--log-level=warn/);
        assert.equal(renderedOf(project, "Service", "knobs-pd").spec?.type, "NodePort");

        const proxyConfig = JSON.parse(configData(project, "knobs-proxy", "proxy-config.json")) as {
            supportCMDs?: unknown;
        };
        assert.deepEqual(proxyConfig.supportCMDs, ["ping", "get", "set"]);
        assert.equal(renderedOf(project, "Service", "knobs-cell").spec?.type, "LoadBalancer");

        // Rendering assigns no load balancer: the output exists and is empty.
        const outputs = await project.outputs();
        assert.equal(outputs["redisExternalAddress"], "");
    });

    it("a bad knob fails the preview, naming it, before any resource", async () => {
        await project.setConfig("store.env[0].name", "PD_URL");
        const preview = await project.preview();
        assert.notEqual(preview.code, 0);
        assert.match(preview.output, /store\.env\[0\]\.name: is set or read by the program/);
        assert.match(preview.output, /nothing was deployed/);
    });
});
