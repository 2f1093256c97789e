/**
 * Exec credential plugins have their own time budget, separate from the API read deadline: a
 * plugin slower than the read deadline but within its budget works; a hanging one is killed and
 * the baseline is unreadable with a message naming the plugin; a failing one says why.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { KubernetesBaseline } from "../../../policies/baseline/kubernetes";
import { FakeApi, json, unreadable } from "./fake-api";
import { statefulSet } from "../fixtures";

const stsPath = "/apis/apps/v1/namespaces/prod/statefulsets/demo-pd";
const apiVersion = "client.authentication.k8s.io/v1";

describe("exec credential plugins", () => {
    const api = new FakeApi();
    let server = "";
    let dir = "";

    /** A shell plugin in `dir`; each run appends a line to `<name>.runs`. */
    function plugin(name: string, body: string): string {
        const file = path.join(dir, `${name}.sh`);
        fs.writeFileSync(file, `#!/bin/sh\necho run >> "${path.join(dir, `${name}.runs`)}"\n${body}\n`, {
            mode: 0o755,
        });
        return file;
    }
    const runs = (name: string) =>
        fs
            .readFileSync(path.join(dir, `${name}.runs`), "utf8")
            .trim()
            .split("\n").length;

    /** A kubeconfig whose user runs `command` (with FOO=bar in its env). */
    function config(name: string, command: string): string {
        const file = path.join(dir, `${name}.kubeconfig`);
        const exec = { apiVersion, command, args: ["--cluster", "demo"], env: [{ name: "FOO", value: "bar" }] };
        fs.writeFileSync(
            file,
            JSON.stringify({
                clusters: [{ name: "c", cluster: { server } }],
                contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
                users: [{ name: "u", user: { exec } }],
                "current-context": "c",
            }),
        );
        return file;
    }

    const credential = (token: string) =>
        `printf '{"apiVersion":"${apiVersion}","kind":"ExecCredential","status":{"token":"%s"}}' "${token}"`;

    before(async () => {
        server = await api.start();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "exec-credential-"));
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, statefulSet("pd", 3))]]);
    });
    after(async () => {
        await api.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a plugin slower than the read deadline but within its own budget works, once per process", async () => {
        plugin("slow", `sleep 0.6\n${credential("exec-$FOO-$2")}`);
        // "./slow.sh" contains a "/": client-go resolves it against the kubeconfig's directory.
        const b = new KubernetesBaseline(
            { kubeconfig: config("slow", "./slow.sh"), origin: "test" },
            { timeoutMs: 200, execTimeoutMs: 5000, projectDir: () => dir },
        );
        const before = api.requests.length;
        const started = Date.now();
        assert.equal((await b.getStatefulSet("prod", "demo-pd"))?.replicas, 3);
        assert.ok(Date.now() - started >= 600, "the plugin ran");
        assert.equal(
            api.requests[before]?.authorization,
            "Bearer exec-bar-demo",
            "token from the plugin, with its env and args",
        );
        await b.getStatefulSet("prod", "demo-store");
        assert.equal(runs("slow"), 1, "the credential is reused");
    });

    it("a hanging plugin is killed after its budget; the baseline is unreadable with the plugin's message", async () => {
        const b = new KubernetesBaseline(
            { kubeconfig: config("hang", plugin("hang", "exec sleep 60")), origin: "test" },
            { timeoutMs: 200, execTimeoutMs: 500, projectDir: () => dir },
        );
        const started = Date.now();
        const err = await unreadable(
            b.getStatefulSet("prod", "demo-pd"),
            /the exec credential plugin ".*hang\.sh" of kubeconfig user "u" did not finish within 0\.5 s \(killed\); it may be waiting for a login/,
        );
        assert.match(err.message, /cannot read the deployed state from the Kubernetes API/);
        assert.ok(Date.now() - started < 3000, "the budget holds");
        await unreadable(b.getStatefulSet("prod", "demo-store"), /did not finish within 0\.5 s/);
        assert.equal(runs("hang"), 1, "not waited on twice");
    });

    it("a failing plugin makes the baseline unreadable, quoting its stderr", async () => {
        const b = new KubernetesBaseline(
            {
                kubeconfig: config("fail", plugin("fail", 'echo "token expired: run aws sso login" >&2\nexit 1')),
                origin: "test",
            },
            { timeoutMs: 200, projectDir: () => dir },
        );
        await unreadable(
            b.getStatefulSet("prod", "demo-pd"),
            /plugin ".*fail\.sh" of kubeconfig user "u" failed \(exit 1: token expired: run aws sso login\)/,
        );
    });

    it("a plugin that prints no credential, or cannot be run, is unreadable too", async () => {
        const junk = new KubernetesBaseline(
            { kubeconfig: config("junk", plugin("junk", "echo hello")), origin: "test" },
            { projectDir: () => dir },
        );
        await unreadable(junk.getStatefulSet("prod", "demo-pd"), /printed something that is not an ExecCredential/);
        const missing = new KubernetesBaseline(
            { kubeconfig: config("missing", "no-such-plugin-xyz"), origin: "test" },
            { projectDir: () => dir },
        );
        await unreadable(
            missing.getStatefulSet("prod", "demo-pd"),
            /"no-such-plugin-xyz" .* cannot be run \(ENOENT\); is it installed and on PATH\?/,
        );
    });
});
