/**
 * Through the real engine, render target: the pod knobs of stack config (issue 15, point 5)
 * reach the manifests the provider writes, and a bad knob stops the run before any resource.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";

const extraArgs = ["--log-file=/var/lib/store/cell.log", `--label=it's "quoted" and spaced`];

describe("engine, render target: pod knobs", () => {
    let project: EngineProject;

    before(async () => {
        project = new EngineProject("knobs", {
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
        await project.init();
    });
    after(async () => project.dispose());

    it("pulumi up renders every knob into the objects", async () => {
        const up = await project.up();
        assert.equal(up.code, 0, up.output);

        const store = project.rendered("StatefulSet", "knobs-store").spec.template;
        assert.deepEqual(store.spec.imagePullSecrets, [{ name: "regcred" }]);
        assert.equal(store.spec.serviceAccountName, "cells");
        assert.equal(store.metadata.labels["example.com/pool"], "gold");
        assert.equal(store.metadata.annotations["prometheus.io/scrape"], "true");
        assert.deepEqual(store.spec.containers[0].env.at(-1), { name: "GOGC", value: "200" });
        const script: string = project.rendered("ConfigMap", "knobs-store").data["store_start_script.sh"];
        assert.ok(
            script.includes(`  --log-file=/var/lib/store/cell.log \\\n  '--label=it'\\''s "quoted" and spaced'`),
            script,
        );

        const pd = project.rendered("StatefulSet", "knobs-pd").spec.template;
        assert.equal(pd.spec.priorityClassName, "db-critical");
        assert.match(project.rendered("ConfigMap", "knobs-pd").data["pd_start_script.sh"], /--log-level=warn/);
        assert.equal(project.rendered("Service", "knobs-pd").spec.type, "NodePort");

        const proxyConfig = JSON.parse(project.rendered("ConfigMap", "knobs-proxy").data["proxy-config.json"]);
        assert.deepEqual(proxyConfig.supportCMDs, ["ping", "get", "set"]);
        assert.equal(project.rendered("Service", "knobs-cell").spec.type, "LoadBalancer");

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
