/**
 * The Kubernetes API baseline against a loopback HTTP server that speaks the apps/v1
 * StatefulSet API, reached through a kubeconfig file (or contents) pointing at it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { KubernetesBaseline } from "../../../policies/baseline/kubernetes";
import { DefaultBaselineResolver } from "../../../policies/baseline/resolve";
import { makeNoTierRemoval } from "../../../policies/rules/no-tier-removal";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { StatefulSet } from "../../../policies/core/statefulset";
import { k8sProvider, validateResource, validateStack } from "../../helpers/policy";
import { json, KubeconfigApi, kubeconfig, status, unreadable } from "./fake-api";
import { memoryDeps, statefulSet } from "../fixtures";

const stsPath = "/apis/apps/v1/namespaces/prod/statefulsets/demo-pd";
const liveSts = statefulSet("pd", 3);

describe("Kubernetes API baseline", () => {
    const k = KubeconfigApi.inSuite();
    const api = k.api;
    const baseline = (...args: Parameters<KubeconfigApi["baseline"]>) => k.baseline(...args);

    it("reads a deployed StatefulSet with the kubeconfig's credentials", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const before = api.requests.length;
        const sts = await baseline().getStatefulSet("prod", "demo-pd");
        assert.equal(sts?.replicas, 3);
        assert.equal(sts?.labels["app.kubernetes.io/component"], "pd");
        assert.equal(sts?.annotations["elasticell.io/pulumi-stack"], "elasticell/dev");
        assert.deepEqual(sts?.images, ["deepfabric/pd:v1.2.0"]);
        assert.equal(api.requests[before]?.authorization, "Bearer t0ken");
    });

    it("reads each object once per process", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const b = baseline();
        const before = api.requests.length;
        await Promise.all([b.getStatefulSet("prod", "demo-pd"), b.getStatefulSet("prod", "demo-pd")]);
        await b.getStatefulSet("prod", "demo-pd");
        assert.equal(api.requests.length - before, 1);
    });

    it("answers undefined for 404 (first deployment)", async () => {
        api.routes = new Map();
        assert.equal(await baseline().getStatefulSet("prod", "demo-pd"), undefined);
    });

    it("is unreadable on 401, saying to renew the credentials", async () => {
        api.routes = new Map([[`GET ${stsPath}`, status(401, "Unauthorized")]]);
        await unreadable(
            baseline().getStatefulSet("prod", "demo-pd"),
            /rejected the credentials of context "fake" \(401 Unauthorized: Unauthorized\); renew them/,
        );
    });

    it("is unreadable on 403, naming the permission to grant", async () => {
        api.routes = new Map([[`GET ${stsPath}`, status(403, 'statefulsets.apps "demo-pd" is forbidden')]]);
        await unreadable(
            baseline().getStatefulSet("prod", "demo-pd"),
            /may not read statefulset prod\/demo-pd \(403 Forbidden.*grant get and list on statefulsets.apps in namespace prod/,
        );
    });

    it("is unreadable on other errors (500) and on non-JSON answers", async () => {
        api.routes = new Map([[`GET ${stsPath}`, status(500, "etcd timeout")]]);
        await unreadable(baseline().getStatefulSet("prod", "demo-pd"), /failed with HTTP 500: etcd timeout/);
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => res.writeHead(200).end("<html>")]]);
        await unreadable(baseline().getStatefulSet("prod", "demo-pd"), /not JSON/);
    });

    it("is unreadable when the connection is refused, and fails fast afterwards", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        const b = baseline(2000, kubeconfig({ gone: `http://127.0.0.1:${port}` }, "gone"));
        const err = await unreadable(
            b.getStatefulSet("prod", "demo-pd"),
            new RegExp(`cannot reach the API server http://127.0.0.1:${port} \\(ECONNREFUSED\\)`),
        );
        assert.match(
            err.message,
            /cannot read the deployed state from the Kubernetes API \(kubeconfig of provider "k8s"\)/,
        );
        await unreadable(b.getStatefulSet("prod", "demo-store"), /ECONNREFUSED/);
    });

    it("is unreadable when the server answers slower than the deadline, and does not wait again", async () => {
        const pending: http.ServerResponse[] = [];
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => void pending.push(res)]]);
        const b = baseline(200);
        const started = Date.now();
        await unreadable(b.getStatefulSet("prod", "demo-pd"), /did not answer within 0.2 s/);
        assert.ok(Date.now() - started < 1500, "the deadline holds");
        const before = api.requests.length;
        await unreadable(b.getStatefulSet("prod", "demo-store"), /did not answer/);
        assert.equal(api.requests.length, before, "no second request to a server that timed out");
        for (const res of pending) {
            res.destroy();
        }
    });

    it("accepts kubeconfig contents, as the provider's kubeconfig input does", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const sts = await baseline(2000, kubeconfig({ fake: k.server }, "fake")).getStatefulSet("prod", "demo-pd");
        assert.equal(sts?.replicas, 3);
    });

    it("uses the provider's context", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const two = kubeconfig({ elsewhere: "http://127.0.0.1:1", fake: k.server }, "elsewhere");
        assert.equal((await baseline(2000, two, "fake").getStatefulSet("prod", "demo-pd"))?.replicas, 3);
        await unreadable(
            baseline(2000, two, "nope").getStatefulSet("prod", "demo-pd"),
            /the kubeconfig has no context "nope"/,
        );
    });

    it("uses the provider's cluster instead of the context's", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const two = kubeconfig({ elsewhere: "http://127.0.0.1:1", fake: k.server }, "elsewhere");
        const b = new KubernetesBaseline(
            { kubeconfig: two, cluster: "fake", origin: 'provider "k8s"' },
            { timeoutMs: 2000 },
        );
        assert.equal((await b.getStatefulSet("prod", "demo-pd"))?.replicas, 3);
    });

    it("is unreadable when the kubeconfig file is missing", async () => {
        await unreadable(
            baseline(2000, path.join(k.dir, "missing")).getStatefulSet("prod", "demo-pd"),
            /kubeconfig file .*missing does not exist/,
        );
    });

    it("reads a relative kubeconfig path from the Pulumi project, as the provider does", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-project-"));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        fs.mkdirSync(path.join(project, "policies", ".state"), { recursive: true });
        fs.mkdirSync(path.join(project, ".elasticell"));
        fs.copyFileSync(k.configFile, path.join(project, ".elasticell", "kubeconfig"));
        const cwd = process.cwd();
        process.chdir(path.join(project, "policies"));
        try {
            const relative = new KubernetesBaseline(
                { kubeconfig: ".elasticell/kubeconfig", origin: 'provider "k8s"' },
                { timeoutMs: 2000 },
            );
            assert.equal((await relative.getStatefulSet("prod", "demo-pd"))?.replicas, 3);
        } finally {
            process.chdir(cwd);
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("falls back to the ambient KUBECONFIG, as the provider does", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const saved = process.env["KUBECONFIG"];
        process.env["KUBECONFIG"] = k.configFile;
        try {
            const ambient = new KubernetesBaseline({ origin: "the ambient kubeconfig" });
            assert.equal((await ambient.getStatefulSet("prod", "demo-pd"))?.replicas, 3);
        } finally {
            if (saved === undefined) delete process.env["KUBECONFIG"];
            else process.env["KUBECONFIG"] = saved;
        }
    });

    it("is unreadable when there is no kubeconfig at all", async () => {
        const saved = {
            k: process.env["KUBECONFIG"],
            h: process.env["HOME"],
            s: process.env["KUBERNETES_SERVICE_HOST"],
        };
        delete process.env["KUBECONFIG"];
        delete process.env["KUBERNETES_SERVICE_HOST"];
        process.env["HOME"] = k.dir;
        try {
            await unreadable(
                new KubernetesBaseline({ origin: "the ambient kubeconfig" }).getStatefulSet("prod", "demo-pd"),
                /no kubeconfig: KUBECONFIG is not set/,
            );
        } finally {
            for (const [k, v] of [
                ["KUBECONFIG", saved.k],
                ["HOME", saved.h],
                ["KUBERNETES_SERVICE_HOST", saved.s],
            ] as const) {
                if (v === undefined) delete process.env[k];
                else process.env[k] = v;
            }
        }
    });

    it("lists StatefulSets by label across namespaces", async () => {
        const item = { ...statefulSet("store", 5) };
        const selector = "?labelSelector=app.kubernetes.io%2Fname%3Delasticell";
        api.routes = new Map([
            [
                `GET /apis/apps/v1/statefulsets${selector}`,
                (_req, res) => json(res, 200, { kind: "StatefulSetList", items: [item] }),
            ],
        ]);
        const listed = await baseline().listStatefulSets({ "app.kubernetes.io/name": "elasticell" }, ["prod"]);
        assert.deepEqual(
            listed.map((s) => `${s.namespace}/${s.name}:${s.replicas}`),
            ["prod/demo-store:5"],
        );
    });

    it("is unreadable when the cluster-wide list is refused (403), even if the known namespaces could be listed", async () => {
        const item = { ...statefulSet("store", 5) };
        const selector = "?labelSelector=app.kubernetes.io%2Fname%3Delasticell";
        api.routes = new Map([
            [
                `GET /apis/apps/v1/statefulsets${selector}`,
                status(
                    403,
                    'statefulsets.apps is forbidden: User "ci" cannot list resource "statefulsets" in API group "apps" at the cluster scope',
                ),
            ],
            [
                `GET /apis/apps/v1/namespaces/prod/statefulsets${selector}`,
                (_req, res) => json(res, 200, { items: [item] }),
            ],
        ]);
        const before = api.requests.length;
        const err = await unreadable(
            baseline().listStatefulSets({ "app.kubernetes.io/name": "elasticell" }, ["prod", "staging"]),
            /may not read statefulsets in all namespaces \(403 Forbidden: statefulsets.apps is forbidden.*namespace-scoped credentials are not enough: grant get and list on statefulsets.apps across all namespaces with a ClusterRole/,
        );
        assert.match(
            err.reason,
            /kubectl create clusterrole elasticell-pack-read --verb=get,list --resource=statefulsets.apps,pods,persistentvolumeclaims/,
        );
        assert.match(
            err.reason,
            /kubectl create clusterrolebinding elasticell-pack-read --clusterrole=elasticell-pack-read/,
        );
        assert.deepEqual(
            api.requests.slice(before).map((r) => r.url),
            [`/apis/apps/v1/statefulsets${selector}`],
            "no per-namespace fallback",
        );
    });

    it("a cluster-wide list refused with 403 blocks the stack rule (mandatory), saying which ClusterRole rights to grant", async () => {
        const selector = "?labelSelector=app.kubernetes.io%2Fname%3Delasticell";
        api.routes = new Map([
            [`GET /apis/apps/v1/statefulsets${selector}`, status(403, "cannot list statefulsets at the cluster scope")],
            [`GET /apis/apps/v1/namespaces/prod/statefulsets${selector}`, (_req, res) => json(res, 200, { items: [] })],
        ]);
        const deps = { ...memoryDeps(), resolver: new DefaultBaselineResolver({ timeoutMs: 2000 }) };
        const provider = k8sProvider({ kubeconfig: k.configFile });
        const violations = await validateStack(makeNoTierRemoval(deps), {
            resources: [{ resourceClass: StatefulSet, props: statefulSet("pd", 3), name: "demo-pd", provider }],
        });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(
            violations[0].message,
            /403 Forbidden: cannot list statefulsets at the cluster scope.*grant get and list on statefulsets.apps across all namespaces with a ClusterRole/,
        );
        assert.match(violations[0].message, /"baselineUnreadable": \{"allow": \{"reason"/);
    });

    it("drives the PD rule end to end: provider kubeconfig -> live 3 replicas -> plan 5 is blocked", async () => {
        api.routes = new Map([[`GET ${stsPath}`, (_req, res) => json(res, 200, liveSts)]]);
        const deps = { ...memoryDeps(), resolver: new DefaultBaselineResolver({ timeoutMs: 2000 }) };
        const violations = await validateResource(makePdReplicasFixed(deps), {
            resourceClass: StatefulSet,
            props: statefulSet("pd", 5),
            provider: k8sProvider({ kubeconfig: k.configFile }),
        });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /3 -> 5 \(deployed -> requested\)/);
    });
});
