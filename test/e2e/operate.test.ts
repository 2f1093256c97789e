/**
 * Issue 15, points 1 and 2, on the local cluster: `npm run status` and `npm run audit`
 * (scripts/operate/) against a deployed stack, clean, drifted (`kubectl scale` of the stores) and
 * with PD unreachable. The tools run as `npm run` runs them (node + tsx), against the test's
 * project copy and file backend, and read the stack's outputs and config with the real CLI.
 *
 * PD: the local cluster has no real PD (kwok pods have no processes), so the reachable cases use
 * the PD API double of test/helpers/pd-double.ts through config `pd.apiUrl` (loopback, its own
 * port, so this file never collides with drain.test.ts on port 2379). The unreachable cases are
 * real: the double stopped (connection refused), and no `pd.apiUrl`, where the API server's
 * service proxy cannot reach the kwok PD pods.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import sumBy from "lodash/sumBy";
import type { StatusJson, TierStatus } from "../../scripts/operate/status-model";
import { kubectl, testCluster, waitForReadyPods, type TestCluster } from "../helpers/cluster";
import { upOnCluster } from "../helpers/e2e-project";
import { EngineProject, requireToolchain } from "../helpers/engine";
import { PdDouble, StoreState, storeAddress } from "../helpers/pd-double";
import { ProjectRoot } from "../helpers/stacks";

const ns = "e2e-ops";
const cluster = "opr";
const stack = "ops";

interface ToolRun {
    readonly code: number;
    readonly stdout: string;
    readonly output: string;
}

describe("engine, local cluster: npm run status and npm run audit", () => {
    let c: TestCluster;
    let p: EngineProject;
    let pd: PdDouble;
    let pdUrl: string;

    /** Runs scripts/operate/<tool>.ts on the project copy, with its backend, as scripts/operate.sh does. */
    function tool(name: "status" | "audit", ...args: string[]): Promise<ToolRun> {
        const env = {
            ...process.env,
            PATH: requireToolchain(),
            PULUMI_BACKEND_URL: `file://${join(p.dir, ".state")}`,
            PULUMI_CONFIG_PASSPHRASE: "e2e",
            PULUMI_HOME: join(p.dir, ".pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        const argv = ["--import", "tsx", join("scripts", "operate", `${name}.ts`), stack, "--cwd", p.dir, ...args];
        return new Promise((resolve, reject) => {
            const child = spawn(process.execPath, argv, { cwd: ProjectRoot, env });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("error", reject);
            child.on("close", (code) => resolve({ code: code ?? -1, stdout, output: `${stdout}\n${stderr}` }));
        });
    }

    const statusJson = async (): Promise<{ code: number; report: StatusJson; output: string }> => {
        const r = await tool("status", "--json");
        return { code: r.code, report: JSON.parse(r.stdout) as StatusJson, output: r.output };
    };

    /** The report's row of `tier`; fails the test when the tier is missing. */
    const tierOf = (report: StatusJson, tier: TierStatus["tier"]): TierStatus => {
        const t = report.tiers.find((x) => x.tier === tier);
        assert.ok(t !== undefined, `tier ${tier} in ${JSON.stringify(report.tiers)}`);
        return t;
    };

    /** PD as status read it, narrowed to reachable; fails the test when PD was not reachable. */
    const reachablePd = (report: StatusJson) => {
        assert.ok(report.pd.reachable, `PD reachable: ${JSON.stringify(report.pd)}`);
        return report.pd;
    };

    /** Sets the Ready condition of a pod, as a kubelet reports a failing readiness probe. */
    async function setReady(pod: string, ready: boolean): Promise<void> {
        const live = await c.core.readNamespacedPod({ namespace: ns, name: pod });
        const conditions = (live.status?.conditions ?? []).map((x) =>
            x.type === "Ready" ? { ...x, status: ready ? "True" : "False" } : x,
        );
        const r = await kubectl(c, [
            "patch",
            "pod",
            pod,
            "-n",
            ns,
            "--subresource=status",
            "--type=merge",
            "-p",
            JSON.stringify({ status: { conditions } }),
        ]);
        assert.equal(r.code, 0, r.output);
    }

    before(async () => {
        c = testCluster();
        pd = PdDouble.seeded(cluster, ns, 3, 6);
        pdUrl = await pd.start();
        const quick = { minReadySeconds: 1 };
        p = new EngineProject(
            stack,
            { name: cluster, namespace: ns, pd: { ...quick, apiUrl: pdUrl }, store: quick },
            { kubeconfig: c.kubeconfig },
        );
        await upOnCluster(p, c, { namespace: ns, cluster }, ["--policy-pack", "policies"], {
            pd: 3,
            store: 3,
            proxy: 1,
        });
    });
    after(async () => {
        await pd.stop();
        await p.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=false"]);
    });

    it("clean cluster, PD healthy: status exits 0 with every tier Ready and every store Up; audit exits 0", async () => {
        const t0 = Date.now();
        const { code, report, output } = await statusJson();
        const seconds = (Date.now() - t0) / 1000;
        assert.equal(code, 0, output);
        assert.equal(report.healthy, true);
        assert.deepEqual(report.problems, []);
        for (const [tier, n] of [
            ["pd", 3],
            ["store", 3],
            ["proxy", 1],
        ] as const) {
            const t = tierOf(report, tier);
            assert.deepEqual([t.stackReplicas, t.liveReplicas, t.ready], [n, n, n], tier);
        }
        assert.equal(tierOf(report, "store").claims.length, 3);
        const pdView = reachablePd(report);
        assert.equal(pdView.replicasNotFullCellCount, 0);
        assert.deepEqual(pdView.stores.map((s) => `${s.ordinal}:${s.state}`).sort(), ["0:Up", "1:Up", "2:Up"]);
        assert.equal(
            sumBy(pdView.stores, (s) => s.leaderCount ?? 0),
            6,
            "leader counts: one leader per cell",
        );
        assert.ok(seconds < 15, `status took ${seconds} s`);

        const text = await tool("status");
        assert.equal(text.code, 0, text.output);
        assert.match(text.stdout, /TIER\s+STATEFULSET\s+STACK\s+LIVE\s+READY/);
        assert.match(text.stdout, /^store\s+opr-store\s+3\s+3\s+3\/3\s/m);
        assert.match(text.stdout, /^HEALTHY$/m);

        const audit = await tool("audit");
        assert.equal(audit.code, 0, audit.output);
        assert.match(audit.stdout, /CLEAN: no mandatory violation/);
        assert.doesNotMatch(audit.stdout, /mandatory violation\(s\)/);
    });

    it("PD reports a store Offline and a cell missing replicas: status exits non-zero naming both", async () => {
        const cell = [...pd.cells.values()][0];
        const peers = cell.peers;
        const store1 = pd.storeByAddress(storeAddress(cluster, ns, 1))!;
        cell.peers = peers.slice(0, 2);
        store1.state = StoreState.Offline;
        try {
            const r = await tool("status");
            assert.equal(r.code, 1, r.output);
            assert.match(r.stdout, /store opr-store-1 \(PD store \d+\): Offline/);
            assert.match(r.stdout, /1 cell\(s\) miss replicas \(replicasNotFullCellCount\)/);
        } finally {
            cell.peers = peers;
            store1.state = StoreState.Up;
        }
    });

    it("drift: `kubectl scale` of the stores 3 -> 4: audit names `store: 4 -> 3`, status shows stack vs live and Ready", async () => {
        const scale = await kubectl(c, ["scale", "statefulset", `${cluster}-store`, "-n", ns, "--replicas=4"]);
        assert.equal(scale.code, 0, scale.output);
        await waitForReadyPods(c, ns, cluster, "store", 4);

        const audit = await tool("audit");
        assert.equal(audit.code, 1, audit.output);
        assert.match(
            audit.stdout,
            /^ {2}store: 4 -> 3 \(deployed -> requested\) \[elasticell-store-no-scale-in\] StatefulSet e2e-ops\/opr-store/m,
        );
        const json = JSON.parse((await tool("audit", "--json")).stdout) as {
            clean: boolean;
            violations: { level: string; tier?: string; deployed?: string; requested?: string }[];
        };
        assert.equal(json.clean, false);
        assert.deepEqual(
            json.violations
                .filter((v) => v.level === "mandatory")
                .map((v) => `${v.tier}: ${v.deployed} -> ${v.requested}`),
            ["store: 4 -> 3"],
        );

        // The new store has not joined PD, and its pod stops being Ready: both are named.
        await setReady(`${cluster}-store-3`, false);
        const sick = await tool("status");
        assert.equal(sick.code, 1, sick.output);
        assert.match(sick.stdout, /^store\s+opr-store\s+3\s+4\s+3\/4\s/m);
        assert.match(sick.stdout, /drift: store runs 4 replicas, the stack asks for 3/);
        assert.match(sick.stdout, /store: 3 of 4 pods Ready \(stack 3, live 4\)/);
        assert.match(sick.stdout, /store opr-store-3: not registered in PD/);

        // Ready and registered: status is healthy again (drift is audit's job) but still shows it.
        await setReady(`${cluster}-store-3`, true);
        pd.addStore(storeAddress(cluster, ns, 3));
        const { code, report, output } = await statusJson();
        assert.equal(code, 0, output);
        const store = tierOf(report, "store");
        assert.deepEqual([store.stackReplicas, store.liveReplicas, store.ready], [3, 4, 4]);
        assert.match((await tool("status")).stdout, /drift: store runs 4 replicas/);
    });

    it("PD unreachable: status says so plainly and exits non-zero, through pd.apiUrl and through the service proxy", async () => {
        await pd.stop();
        const down = await tool("status");
        assert.equal(down.code, 1, down.output);
        assert.match(down.stdout, /PD not reachable: .*ECONNREFUSED.*; store states unknown/);
        assert.match(down.stdout, /^NOT HEALTHY/m);
        assert.doesNotMatch(down.stdout, /STORE\s+PD ID/);

        await p.ok(["config", "rm", "--path", "pd.apiUrl", "--stack", stack]);
        const { code, report, output } = await statusJson();
        assert.equal(code, 1, output);
        assert.equal(report.pd.reachable, false);
        assert.match(report.pd.source, /service proxy of https:\/\/127\.0\.0\.1:\d+ \(service e2e-ops\/opr-pd:2379\)/);
        assert.ok(
            report.problems.some((x) => /^PD not reachable: .+; store states unknown$/.test(x)),
            output,
        );
        // The tiers are still read and shown.
        assert.equal(tierOf(report, "pd").ready, 3);
    });
});
