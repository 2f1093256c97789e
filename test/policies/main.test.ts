/**
 * The pack as the language host runs it: `@pulumi/pulumi/cmd/run-policy-pack` loading the
 * compiled pack (package.json main, `policies/bin`, built by scripts/test.sh) in a child
 * process, driven over gRPC the way the engine drives it (GetAnalyzerInfo,
 * Configure, ConfigureStack, Analyze, AnalyzeStack), against a loopback Kubernetes API.
 * Not an engine test: no Pulumi CLI is involved. Spawns the pack instead of importing
 * `policies/index.ts`.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { AnalyzerInfo, AnalyzerProviderResource, AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb";
import { allPolicies } from "../../policies/rules";
import { statefulSet } from "./fixtures";
import {
    analyzerGrpc as svc,
    analyzerPb as pb,
    diagnosticsOf as diagnostics,
    emptyPb,
    grpc,
    LevelNames as Levels,
    packRequire,
    PackDir as packDir,
    settle,
    structPb,
    toStruct,
} from "./pack-modules";

describe("the pack process over gRPC", { timeout: 120_000 }, () => {
    let api: http.Server;
    let child: ChildProcess | undefined;
    let client: AnalyzerClient | undefined;
    let dir = "";
    let kubeconfig = "";

    /** The connected client; the tests run after `before` connected it. */
    const analyzer = (): AnalyzerClient => {
        assert.ok(client, "the pack's analyzer is connected");
        return client;
    };

    function provider(): AnalyzerProviderResource {
        const p = new pb.AnalyzerProviderResource();
        p.setType("pulumi:providers:kubernetes");
        p.setName("k8s");
        p.setUrn("urn:pulumi:dev::elasticell::pulumi:providers:kubernetes::k8s");
        p.setProperties(structPb.Struct.fromJavaScript({ kubeconfig }));
        return p;
    }

    before(async () => {
        // Live: PD 3, Store 5, owned by elasticell/dev.
        api = http.createServer((req, res) => {
            const url = req.url ?? "";
            const one = /\/namespaces\/prod\/statefulsets\/demo-(pd|store)$/.exec(url);
            const body =
                one !== null
                    ? statefulSet(one[1] === "pd" ? "pd" : "store", one[1] === "pd" ? 3 : 5)
                    : url.startsWith("/apis/apps/v1/statefulsets?")
                      ? { kind: "StatefulSetList", items: [statefulSet("pd", 3), statefulSet("store", 5)] }
                      : undefined;
            res.writeHead(body === undefined ? 404 : 200, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body ?? { kind: "Status", code: 404 }));
        });
        await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-pack-"));
        kubeconfig = path.join(dir, "kubeconfig");
        const server = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
        fs.writeFileSync(
            kubeconfig,
            `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n`,
        );
        const env = { ...process.env };
        for (const k of [
            "PULUMI_NODEJS_PROJECT",
            "PULUMI_NODEJS_STACK",
            "PULUMI_PROJECT",
            "PULUMI_STACK",
            "PULUMI_NODEJS_DRY_RUN",
            "PULUMI_DRY_RUN",
        ]) {
            delete env[k];
        }
        const proc = spawn(
            process.execPath,
            [packRequire.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
            { cwd: packDir, env },
        );
        child = proc;
        let stderr = "";
        proc.stderr.on("data", (d) => (stderr += String(d)));
        const port = await new Promise<string>((resolve, reject) => {
            proc.stdout.once("data", (d) => resolve(String(d).trim()));
            proc.once("exit", (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
        });
        client = new svc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

        const configure = new pb.ConfigureAnalyzerRequest();
        const store = new pb.PolicyConfig();
        store.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
        const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
        store.setProperties(
            structPb.Struct.fromJavaScript({
                override: {
                    reason: "INC-7 drained store 4",
                    expires: tomorrow,
                    cluster: "demo",
                    tier: "store",
                    from: 5,
                    to: 4,
                },
            }),
        );
        configure.getPolicyconfigMap().set("elasticell-store-no-scale-in", store);
        await new Promise((ok, fail) => analyzer().configure(configure, settle(ok, fail)));

        const stack = new pb.AnalyzerStackConfigureRequest();
        stack.setProject("elasticell");
        stack.setStack("dev");
        stack.setDryRun(true);
        await new Promise((ok, fail) => analyzer().configureStack(stack, settle(ok, fail)));
    });

    after(async () => {
        client?.close();
        if (child !== undefined && child.exitCode === null && child.pid !== undefined) {
            process.kill(child.pid);
        }
        await new Promise((resolve) => api.close(resolve));
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("serves every policy with its level", async () => {
        const info = await new Promise<AnalyzerInfo>((ok, fail) =>
            analyzer().getAnalyzerInfo(new emptyPb.Empty(), settle(ok, fail)),
        );
        const policies = info.getPoliciesList().map((p) => `${p.getName()}=${Levels[p.getEnforcementlevel()] ?? "?"}`);
        assert.ok(policies.includes("elasticell-pd-replicas-fixed=MANDATORY"), policies.join(" "));
        assert.ok(policies.includes("elasticell-pdb-per-tier=ADVISORY"), policies.join(" "));
        assert.ok(policies.includes("elasticell-roll-healthy-tier=MANDATORY"), policies.join(" "));
        assert.equal(policies.length, allPolicies.length, "the process serves every policy of policies/rules");
    });

    async function analyze(tier: "pd" | "store", replicas: number) {
        const req = new pb.AnalyzeRequest();
        req.setType("kubernetes:apps/v1:StatefulSet");
        req.setUrn(`urn:pulumi:dev::elasticell::kubernetes:apps/v1:StatefulSet::demo-${tier}`);
        req.setName(`demo-${tier}`);
        req.setProperties(toStruct(statefulSet(tier, replicas)));
        req.setOptions(new pb.AnalyzerResourceOptions());
        req.setProvider(provider());
        return diagnostics(await new Promise<AnalyzeResponse>((ok, fail) => analyzer().analyze(req, settle(ok, fail))));
    }

    it("blocks PD 3 -> 5 read from the live API through the provider's kubeconfig", async () => {
        // The member list in the pod template changes too, so elasticell-roll-healthy-tier has its say as well.
        const d = (await analyze("pd", 5)).filter((x) => x.policy === "elasticell-pd-replicas-fixed");
        assert.equal(d.length, 1);
        assert.equal(d[0].level, "MANDATORY");
        assert.match(d[0].message, /3 -> 5 \(deployed -> requested\)/);
    });

    it("reports Store 5 -> 4 as advisory under the override passed by Configure", async () => {
        const d = await analyze("store", 4);
        assert.equal(d.length, 1);
        assert.equal(d[0].level, "ADVISORY");
        assert.match(d[0].message, /ALLOWED by break-glass override .* reason: "INC-7 drained store 4"/);
    });

    it("knows the stack from ConfigureStack and blocks dropping the Store StatefulSet", async () => {
        const pd = new pb.AnalyzerResource();
        pd.setType("kubernetes:apps/v1:StatefulSet");
        pd.setUrn("urn:pulumi:dev::elasticell::kubernetes:apps/v1:StatefulSet::demo-pd");
        pd.setName("demo-pd");
        pd.setProperties(toStruct(statefulSet("pd", 3)));
        pd.setOptions(new pb.AnalyzerResourceOptions());
        pd.setProvider(provider());
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList([pd]);
        const answer = await new Promise<AnalyzeResponse>((ok, fail) => analyzer().analyzeStack(req, settle(ok, fail)));
        const d = diagnostics(answer).filter((x) => x.policy === "elasticell-no-tier-removal");
        assert.equal(d.length, 1);
        assert.equal(d[0].level, "MANDATORY");
        assert.match(d[0].message, /tier store, StatefulSet prod\/demo-store: deployed with 5 replicas/);
        assert.match(d[0].message, /elasticell\/dev, from the engine \(ConfigureStack\)/);
    });
});
