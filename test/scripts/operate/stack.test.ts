/** scripts/operate/stack.ts: reading a stack's outputs and config, and the command line of the operate scripts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCli, stackInfoFrom } from "../../../scripts/operate/stack";

describe("stack outputs and config", () => {
    const outputs = {
        namespace: "ns",
        clusterName: "opr",
        pd: { statefulSet: "opr-pd", replicas: 3, image: "a" },
        store: { statefulSet: "opr-store", replicas: 3, image: "b" },
        proxy: { statefulSet: "opr-proxy", replicas: 1, image: "c" },
    };

    it("reads the tiers, the provider settings and pd.apiUrl", () => {
        const info = stackInfoFrom("dev", "/p", outputs, {
            "kubernetes:kubeconfig": { value: ".elasticell/cluster/kubeconfig", secret: false },
            "kubernetes:context": { value: "ctx" },
            "elasticell:pd": { value: "{}", objectValue: { apiUrl: "http://127.0.0.1:2379" } },
        });
        assert.deepEqual(info.kube, { kubeconfig: ".elasticell/cluster/kubeconfig", context: "ctx" });
        assert.equal(info.pdApiUrl, "http://127.0.0.1:2379");
        assert.deepEqual(info.tiers.store, { statefulSet: "opr-store", replicas: 3, image: "b" });
    });

    it("a stack that was never deployed says so", () => {
        assert.throws(
            () => stackInfoFrom("qa", "/p", {}, {}),
            /stack qa has no namespace\/clusterName outputs: deploy it first \(npm run deploy -- qa\)/,
        );
    });

    it("command line: stack (default dev), --json, --cwd; unknown flags refused", () => {
        assert.deepEqual({ ...parseCli([], "u"), projectDir: "" }, { stack: "dev", json: false, projectDir: "" });
        assert.deepEqual(parseCli(["prod", "--json", "--cwd", "/x"], "u"), {
            stack: "prod",
            json: true,
            projectDir: "/x",
        });
        assert.throws(() => parseCli(["--yes"], "usage: u"), /unexpected argument --yes\nusage: u/);
    });
});
