/**
 * The pack reads the cluster the Kubernetes provider would (client-go v0.33 loading rules, the
 * provider's `parseKubeconfigString`). Two loopback API servers disagree about the deployed PD
 * StatefulSet (A: 3 replicas, B: 5; the in-cluster one, over HTTPS: 7), so a wrong pick fails.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
    KubernetesBaseline,
    type KubernetesBaselineOptions,
    type KubernetesTarget,
} from "../../../policies/baseline/kubernetes";
import { FakeApi, json, unreadable } from "./fake-api";
import { statefulSet } from "../fixtures";

const stsPath = "/apis/apps/v1/namespaces/prod/statefulsets/demo-pd";

/** Writes a kubeconfig: clusters by name -> server, one context per cluster (same name), one user. */
function writeConfig(
    file: string,
    clusters: Record<string, string>,
    current?: string,
    user: Record<string, string> = { token: "t0ken" },
): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const doc = {
        apiVersion: "v1",
        kind: "Config",
        clusters: Object.entries(clusters).map(([name, server]) => ({ name, cluster: { server } })),
        contexts: Object.keys(clusters).map((name) => ({ name, context: { cluster: name, user: "tester" } })),
        users: [{ name: "tester", user }],
        ...(current === undefined ? {} : { "current-context": current }),
    };
    fs.writeFileSync(file, JSON.stringify(doc, null, 1));
    return file;
}

describe("kubeconfig resolution: the provider's cluster, and only it", () => {
    const a = new FakeApi();
    const b = new FakeApi();
    let c: FakeApi;
    const servers = { a: "", b: "", c: "" };
    let dir = "";
    let saDir = "";

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-resolution-"));
        // The in-cluster server speaks HTTPS, as client-go's in-cluster config always does.
        const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key,
                "-out",
                cert,
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            { stdio: "ignore" },
        );
        c = new FakeApi({ key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") });
        for (const [api, replicas] of [
            [a, 3],
            [b, 5],
            [c, 7],
        ] as const) {
            api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, statefulSet("pd", replicas))]]);
        }
        [servers.a, servers.b, servers.c] = await Promise.all([a.start(), b.start(), c.start()]);
        saDir = path.join(dir, "serviceaccount");
        fs.mkdirSync(saDir);
        fs.writeFileSync(path.join(saDir, "token"), "sa-token");
        fs.copyFileSync(cert, path.join(saDir, "ca.crt"));
    });
    after(async () => {
        await Promise.all([a.stop(), b.stop(), c.stop()]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Runs `fn` with `vars` set (undefined = unset); not in a pod unless asked. */
    async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
        const all = {
            KUBECONFIG: undefined,
            HOME: path.join(dir, "empty-home"),
            KUBERNETES_SERVICE_HOST: undefined,
            KUBERNETES_SERVICE_PORT: undefined,
            ...vars,
        };
        const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
        const set = (v: Record<string, string | undefined>) => {
            for (const [k, val] of Object.entries(v)) {
                if (val === undefined) delete process.env[k];
                else process.env[k] = val;
            }
        };
        set(all);
        try {
            return await fn();
        } finally {
            set(saved);
        }
    }

    function baseline(
        settings: Omit<KubernetesTarget, "origin"> = {},
        options: KubernetesBaselineOptions = {},
    ): KubernetesBaseline {
        return new KubernetesBaseline(
            { origin: "test", ...settings },
            { timeoutMs: 2000, projectDir: () => dir, serviceAccountDir: saDir, ...options },
        );
    }

    async function replicas(
        settings: Omit<KubernetesTarget, "origin"> = {},
        vars: Record<string, string | undefined> = {},
    ): Promise<number | undefined> {
        return withEnv(vars, async () => (await baseline(settings).getStatefulSet("prod", "demo-pd"))?.replicas);
    }

    const file = (name: string) => path.join(dir, name);

    it('KUBECONFIG a:b where both define cluster and context "shared": the first file\'s entries win', async () => {
        const fa = writeConfig(file("dup/a"), { shared: servers.a }, "shared");
        const fb = writeConfig(file("dup/b"), { shared: servers.b }, "shared");
        // client-node's loadFromDefault would throw "Duplicate cluster: shared" here.
        assert.equal(await replicas({}, { KUBECONFIG: `${fa}:${fb}` }), 3);
        assert.equal(await replicas({}, { KUBECONFIG: `${fb}:${fa}` }), 5);
    });

    it("KUBECONFIG a:b where only b sets current-context: b's choice, resolved in the merged entries", async () => {
        const fa = writeConfig(file("cur/a"), { x: servers.a });
        assert.equal(
            await replicas({}, { KUBECONFIG: `${fa}:${writeConfig(file("cur/b-y"), { y: servers.b }, "y")}` }),
            5,
        );
        assert.equal(
            await replicas({}, { KUBECONFIG: `${fa}:${writeConfig(file("cur/b-x"), { y: servers.b }, "x")}` }),
            3,
        );
    });

    it("KUBECONFIG a:b where both set current-context: the first file's (client-node would take the last)", async () => {
        const fa = writeConfig(file("both/a"), { x: servers.a }, "x");
        const fb = writeConfig(file("both/b"), { y: servers.b }, "y");
        assert.equal(await replicas({}, { KUBECONFIG: `${fa}:${fb}` }), 3);
    });

    it("skips missing files of the list, and reads a token-file relative to its kubeconfig's directory", async () => {
        fs.mkdirSync(file("rel/conf"), { recursive: true });
        fs.writeFileSync(file("rel/conf/token"), "from-token-file");
        const fb = writeConfig(file("rel/conf/b"), { y: servers.b }, "y", { "token-file": "token" });
        const before = b.requests.length;
        assert.equal(await replicas({}, { KUBECONFIG: `${file("rel/missing")}:${fb}` }), 5);
        assert.equal(b.requests[before]?.authorization, "Bearer from-token-file");
    });

    it("without KUBECONFIG reads $HOME/.kube/config", async () => {
        const home = file("home-env");
        writeConfig(path.join(home, ".kube", "config"), { y: servers.b }, "y");
        assert.equal(await replicas({}, { HOME: home }), 5);
        await withEnv({ HOME: file("no-such-home") }, () =>
            unreadable(
                baseline().getStatefulSet("prod", "demo-pd"),
                /no kubeconfig: KUBECONFIG is not set and .*no-such-home\/\.kube\/config does not exist/,
            ),
        );
    });

    it("~/ in the provider's kubeconfig is the password-database home (Go user.Current()), not $HOME", async () => {
        const sub = `.elasticell-test-${process.pid}-${Date.now()}`;
        const passwdDir = path.join(os.userInfo().homedir, sub);
        const fakeHome = file("home-tilde");
        writeConfig(path.join(passwdDir, "config"), { x: servers.a }, "x");
        writeConfig(path.join(fakeHome, sub, "config"), { y: servers.b }, "y");
        try {
            assert.equal(await replicas({ kubeconfig: `~/${sub}/config` }, { HOME: fakeHome }), 3);
        } finally {
            fs.rmSync(passwdDir, { recursive: true, force: true });
        }
    });

    it("kubeconfig contents in the provider settings (YAML or one-line JSON) win over KUBECONFIG", async () => {
        const ambient = { KUBECONFIG: writeConfig(file("contents/a"), { x: servers.a }, "x") };
        const yaml = fs.readFileSync(writeConfig(file("contents/b"), { y: servers.b }, "y"), "utf8");
        assert.equal(await replicas({ kubeconfig: yaml }, ambient), 5);
        assert.equal(await replicas({ kubeconfig: JSON.stringify(JSON.parse(yaml)) }, ambient), 5);
        assert.equal(await replicas({}, ambient), 3);
    });

    it("a relative kubeconfig path is read from the provider's directory (the project)", async () => {
        writeConfig(file("configs/b"), { y: servers.b }, "y");
        assert.equal(
            await replicas(
                { kubeconfig: "configs/b" },
                { KUBECONFIG: writeConfig(file("relpath/a"), { x: servers.a }, "x") },
            ),
            5,
        );
    });

    it("uses the provider's context instead of the current one, and refuses a context that does not exist", async () => {
        const both = writeConfig(file("ctx/both"), { x: servers.a, y: servers.b }, "x");
        assert.equal(await replicas({ kubeconfig: both }), 3);
        assert.equal(await replicas({ kubeconfig: both, context: "y" }), 5);
        assert.equal(await replicas({ context: "y" }, { KUBECONFIG: both }), 5);
        await withEnv({}, () =>
            unreadable(
                baseline({ kubeconfig: both, context: "nope" }).getStatefulSet("prod", "demo-pd"),
                /no context "nope" \(the provider's context setting\)/,
            ),
        );
    });

    it("uses the provider's cluster instead of the context's, and refuses a cluster that does not exist", async () => {
        const both = writeConfig(file("cluster/both"), { x: servers.a, y: servers.b }, "x");
        assert.equal(await replicas({ kubeconfig: both, cluster: "y" }), 5);
        assert.equal(await replicas({ cluster: "y" }, { KUBECONFIG: both }), 5);
        await withEnv({}, () =>
            unreadable(
                baseline({ kubeconfig: both, cluster: "nope" }).getStatefulSet("prod", "demo-pd"),
                /no cluster "nope" \(the provider's cluster setting\)/,
            ),
        );
    });

    describe("in-cluster (service-account directory redirected: client-go's is fixed at /var/run/secrets/...)", () => {
        const pod = () => ({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: new URL(servers.c).port });

        it("with no kubeconfig, reads https://$KUBERNETES_SERVICE_HOST:$PORT with the token, trusting ca.crt", async () => {
            const before = c.requests.length;
            assert.equal(await replicas({}, pod()), 7);
            assert.equal(c.requests[before]?.authorization, "Bearer sa-token");
        });

        it("prefers a kubeconfig that selects a cluster, and falls back when it selects none (empty config)", async () => {
            assert.equal(
                await replicas({}, { ...pod(), KUBECONFIG: writeConfig(file("pod/a"), { x: servers.a }, "x") }),
                3,
            );
            assert.equal(
                await replicas({}, { ...pod(), KUBECONFIG: writeConfig(file("pod/none"), { x: servers.a }) }),
                7,
            );
        });

        it("never for the provider's own kubeconfig (no fallback there), nor without the token file", async () => {
            const none = writeConfig(file("pod/explicit-none"), { x: servers.a });
            await withEnv(pod(), () =>
                unreadable(baseline({ kubeconfig: none }).getStatefulSet("prod", "demo-pd"), /sets no current context/),
            );
            await withEnv(pod(), () =>
                unreadable(
                    baseline({}, { serviceAccountDir: file("no-sa") }).getStatefulSet("prod", "demo-pd"),
                    /no kubeconfig: .*not a pod with a service account/,
                ),
            );
        });
    });
});
