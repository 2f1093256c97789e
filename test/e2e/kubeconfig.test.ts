/**
 * Issue 11, "same cluster as the provider", through the real engine on the local cluster: with
 * the ambient KUBECONFIG a list of two files that both define the context, cluster and user the
 * local cluster uses (one pointing at a server that refuses everything), the provider uses the
 * first file's entries, and so does the pack: "real:bogus" reads the live StatefulSet and refuses
 * PD 3 -> 5 with the deployed count; "bogus:real" reads the refusing server, as the provider
 * does. (client-node's own loader would throw "Duplicate cluster" on both lists.)
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { dump, load } from "js-yaml";
import { EngineProject } from "../helpers/engine";
import { kubectl, testCluster, type TestCluster } from "../helpers/cluster";

const ns = "e2e-kubeconfig";
const policy = ["--policy-pack", "policies"];

describe("engine, local cluster: the pack reads the cluster the provider uses", () => {
    let c: TestCluster;
    let p: EngineProject;
    let refusing: http.Server;
    let real = "";
    let bogus = "";
    let bogusServer = "";
    /** Requests the refusing server got: path and user agent (client-go sends one, the pack none). */
    const seen: { url: string; agent: string }[] = [];

    /** `pulumi <args>` with the ambient KUBECONFIG set to `list`. */
    const withKubeconfig = (list: string, args: string[]) => p.run([...args, "--stack", p.stack], { KUBECONFIG: list });

    before(async () => {
        c = testCluster();
        refusing = http.createServer((req, res) => {
            seen.push({ url: req.url ?? "", agent: req.headers["user-agent"] ?? "" });
            res.writeHead(403, { "Content-Type": "application/json" });
            res.end(
                JSON.stringify({
                    kind: "Status",
                    apiVersion: "v1",
                    status: "Failure",
                    message: "bogus cluster refuses everything",
                    code: 403,
                }),
            );
        });
        await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
        bogusServer = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
        // The same names as the local cluster's kubeconfig, another server and user.
        const local = load(readFileSync(c.kubeconfig, "utf8")) as {
            "current-context": string;
            contexts: { name: string; context: { cluster: string; user: string } }[];
        };
        const context = local.contexts.find((x) => x.name === local["current-context"])!;
        p = new EngineProject(
            "k",
            {
                name: "kappa",
                namespace: ns,
                pd: { minReadySeconds: 0 },
                store: { minReadySeconds: 0 },
                guard: { admissionPolicy: false },
            },
            { kubeconfig: c.kubeconfig },
        );
        real = c.kubeconfig;
        bogus = join(p.dir, "bogus-kubeconfig");
        writeFileSync(
            bogus,
            dump({
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: context.context.cluster, cluster: { server: bogusServer } }],
                users: [{ name: context.context.user, user: { token: "bogus" } }],
                contexts: [{ name: context.name, context: context.context }],
                "current-context": context.name,
            }),
        );
        // The stack uses the ambient kubeconfig: no kubernetes:kubeconfig in its config.
        const stackFile = join(p.dir, `Pulumi.${p.stack}.yaml`);
        const stack = load(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
        delete stack.config["kubernetes:kubeconfig"];
        writeFileSync(stackFile, dump(stack));
        await p.init();
        const up = await withKubeconfig(`${real}:${bogus}`, ["up", "--yes", "--skip-preview"]);
        assert.equal(up.code, 0, up.output);
        await p.setConfig("pd.replicas", "5");
    });
    after(async () => {
        await p.setConfig("pd.replicas", "3").catch(() => undefined);
        await withKubeconfig(real, ["destroy", "--yes", "--skip-preview", "--ignore-protect"]).catch(() => undefined);
        await p.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
        await new Promise((resolve) => refusing.close(resolve));
    });

    it('KUBECONFIG "real:bogus": the pack reads the live PD (3) and refuses 3 -> 5', async () => {
        seen.length = 0;
        const r = await withKubeconfig(`${real}:${bogus}`, ["preview", ...policy]);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /elasticell-pd-replicas-fixed/);
        assert.match(r.output, /3 -> 5 \(deployed -> requested\)/);
        assert.doesNotMatch(r.output, /cannot read the deployed state/);
        assert.deepEqual(seen, [], "neither the provider nor the pack asked the refusing server");
    });

    it('KUBECONFIG "bogus:real": the pack reads the refusing server, as the provider does, and fails closed', async () => {
        seen.length = 0;
        const r = await withKubeconfig(`${bogus}:${real}`, ["preview", ...policy]);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /cannot read the deployed state from the Kubernetes API/);
        assert.match(r.output, /403 Forbidden: bogus cluster refuses everything/);
        assert.doesNotMatch(r.output, /3 -> 5 \(deployed -> requested\)/);
        assert.ok(
            seen.some((s) => s.agent !== ""),
            `the provider (client-go) asked the refusing server too: ${JSON.stringify(seen)}`,
        );
        assert.ok(
            seen.some(
                (s) =>
                    s.agent === "" && s.url.startsWith("/apis/apps/v1/namespaces/e2e-kubeconfig/statefulsets/kappa-pd"),
            ),
            "the pack asked it",
        );
    });

    it('the engine takes the baselineUnreadable allowance form; the plain "allow" stays mandatory', async () => {
        const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        const config = join(p.dir, "unreadable-config.json");
        writeFileSync(
            config,
            JSON.stringify({
                "elasticell-pd-replicas-fixed": {
                    baselineUnreadable: { allow: { reason: "INC-9: e2e, the API is down", expires: tomorrow } },
                },
                "elasticell-tier-owner": { baselineUnreadable: "allow" },
            }),
        );
        const r = await withKubeconfig(`${bogus}:${real}`, ["preview", ...policy, "--policy-pack-config", config]);
        assert.match(
            r.output,
            /\[advisory\]\s+elasticell-pd-replicas-fixed[\s\S]*Allowed by baselineUnreadable until \d{4}-\d{2}-\d{2}; reason: "INC-9: e2e, the API is down"/,
        );
        assert.doesNotMatch(r.output, /\[mandatory\]\s+elasticell-pd-replicas-fixed/);
        assert.match(r.output, /\[mandatory\]\s+elasticell-tier-owner[\s\S]*the plain "allow" is no longer accepted/);
    });
});
