/**
 * The guard release: its registration by a CellCluster (under mocks), and its provider's delete
 * against a loopback fake API server (dry-run deletes refused by the guard, then allowed).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { awaitGuardRelease, type ReleaseInputs, type ReleaseTiming } from "../../../components/guard/release-provider";
import { MockClusters } from "../../helpers/mock-cluster";
import { ofType, Types } from "../../helpers/mocks";

const policy = "elasticell-guard.prod.demo";
/** What the API server answers while it still enforces the guard (its admission policy cache). */
const refusal = JSON.stringify({
    kind: "Status",
    status: "Failure",
    reason: "Forbidden",
    code: 403,
    message: `statefulsets.apps "demo-pd" is forbidden: ValidatingAdmissionPolicy '${policy}' with binding '${policy}' denied request: Deleting StatefulSet prod/demo-pd would stop every pod of the tier at once`,
});

/** A fake API server: `answer(url)` gives each request's status and body; every URL is recorded. */
class FakeApi {
    readonly urls: string[] = [];
    answer: (url: string) => [number, string] = () => [404, "{}"];
    private readonly server = http.createServer((req, res) => {
        this.urls.push(`${req.method} ${req.url}`);
        const [status, body] = this.answer(req.url ?? "");
        res.writeHead(status, { "Content-Type": "application/json" }).end(body);
    });
    kubeconfig = "";

    async start(dir: string): Promise<void> {
        await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
        const { port } = this.server.address() as AddressInfo;
        this.kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(
            this.kubeconfig,
            [
                "apiVersion: v1",
                "kind: Config",
                "current-context: fake",
                `clusters: [{ name: fake, cluster: { server: "http://127.0.0.1:${port}" } }]`,
                "users: [{ name: fake, user: { token: t0ken } }]",
                "contexts: [{ name: fake, context: { cluster: fake, user: fake } }]",
            ].join("\n"),
        );
    }

    stop(): Promise<void> {
        return new Promise((r) => this.server.close(() => r()));
    }
}

const lines: string[] = [];
const timing: ReleaseTiming = { pollMs: 20, timeoutMs: 400, fallbackMs: 150, log: (m) => lines.push(m) };
let api: FakeApi;
let dir: string;

const inputs = (over: Partial<ReleaseInputs> = {}): ReleaseInputs => ({
    namespace: "prod",
    statefulSets: ["demo-pd", "demo-store"],
    policy,
    access: { kubeconfig: api.kubeconfig },
    render: false,
    ...over,
});

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-release-"));
    api = new FakeApi();
    await api.start(dir);
});

after(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("guard release: delete waits for the API server to drop the guard", () => {
    it("polls a dry-run delete of both tiers until the guard stops refusing: refused twice, then allowed", async () => {
        api.urls.length = 0;
        let pdAsks = 0;
        api.answer = (url) => (url.includes("demo-pd") && ++pdAsks <= 2 ? [403, refusal] : [200, "{}"]);
        const out = await awaitGuardRelease(inputs(), timing);
        assert.deepEqual([out.result, out.rounds], ["released", 3]);
        assert.ok(out.waitedMs >= 2 * timing.pollMs, `waited ${out.waitedMs} ms`);
        // The store was allowed in the first round, so only the PD delete is asked again.
        assert.deepEqual(api.urls, [
            "DELETE /apis/apps/v1/namespaces/prod/statefulsets/demo-pd?dryRun=All",
            "DELETE /apis/apps/v1/namespaces/prod/statefulsets/demo-store?dryRun=All",
            "DELETE /apis/apps/v1/namespaces/prod/statefulsets/demo-pd?dryRun=All",
            "DELETE /apis/apps/v1/namespaces/prod/statefulsets/demo-pd?dryRun=All",
        ]);
    });

    it("returns at once when the StatefulSets are gone (404)", async () => {
        api.urls.length = 0;
        api.answer = () => [404, "{}"];
        const out = await awaitGuardRelease(inputs(), timing);
        assert.deepEqual([out.result, out.rounds, api.urls.length], ["released", 1, 2]);
        assert.ok(out.waitedMs < timing.pollMs, `waited ${out.waitedMs} ms`);
    });

    it("does not wait for a refusal that is not the guard's (RBAC 403 without the policy)", async () => {
        lines.length = 0;
        api.answer = () => [403, JSON.stringify({ message: "user cannot delete statefulsets" })];
        const out = await awaitGuardRelease(inputs(), timing);
        assert.deepEqual([out.result, out.rounds], ["released", 1]);
        assert.match(lines.join("\n"), /HTTP 403, not the guard's refusal/);
    });

    it("gives up after the deadline with a log line, without failing", async () => {
        lines.length = 0;
        api.answer = () => [422, refusal];
        const out = await awaitGuardRelease(inputs(), timing);
        assert.equal(out.result, "timeout");
        assert.ok(out.waitedMs >= timing.timeoutMs, `waited ${out.waitedMs} ms`);
        assert.match(
            lines.join("\n"),
            /still enforces the deleted guard elasticell-guard\.prod\.demo on demo-pd, demo-store/,
        );
    });

    it("waits the fixed fallback when the API server cannot be reached", async () => {
        const closed = path.join(dir, "closed");
        // Port 9 on loopback: nothing listens, the connection is refused.
        fs.writeFileSync(closed, fs.readFileSync(api.kubeconfig, "utf8").replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9"));
        lines.length = 0;
        const out = await awaitGuardRelease(inputs({ access: { kubeconfig: closed } }), timing);
        assert.deepEqual([out.result, out.rounds], ["unreachable", 1]);
        assert.ok(out.waitedMs >= timing.fallbackMs, `waited ${out.waitedMs} ms`);
        assert.match(lines.join("\n"), /cannot reach the API server/);
    });

    it("waits the fixed fallback when the credentials cannot be read (no such context)", async () => {
        const out = await awaitGuardRelease(
            inputs({ access: { kubeconfig: api.kubeconfig, context: "gone" } }),
            timing,
        );
        assert.deepEqual([out.result, out.rounds], ["unreachable", 0]);
        assert.ok(out.waitedMs >= timing.fallbackMs, `waited ${out.waitedMs} ms`);
    });

    it("does not wait on a render target (no cluster, no policy)", async () => {
        api.urls.length = 0;
        const out = await awaitGuardRelease(inputs({ render: true }), timing);
        assert.deepEqual([out.result, api.urls.length], ["render", 0]);
    });
});

describe("CellCluster: the guard release", () => {
    let mocks: MockClusters;
    before(async () => {
        mocks = await MockClusters.install();
    });

    it("registers one GuardRelease for the guarded tiers and the guard's policy", async () => {
        const { resources } = await mocks.deploy({ name: "demo", namespace: "prod" });
        const [release, ...more] = ofType(resources, Types.guardRelease);
        assert.deepEqual(more, []);
        assert.equal(release.name, "demo-guard-release");
        assert.deepEqual(
            [release.inputs.namespace, release.inputs.statefulSets, release.inputs.render],
            ["prod", ["demo-pd", "demo-store"], false],
        );
        assert.equal(release.inputs.policy, ofType(resources, Types.vap)[0].inputs.metadata.name);
        assert.match(String(release.inputs.__provider), /awaitGuardRelease/);
    });

    it("registers none without the guard", async () => {
        const { resources } = await mocks.deploy({ guard: { admissionPolicy: false } });
        assert.deepEqual(ofType(resources, Types.guardRelease), []);
        assert.deepEqual(ofType(resources, Types.vap), []);
    });
});
