/** scripts/operate: the status verdict (status-model.ts), its text, and reading a stack's outputs and config (stack.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { problems, type StatusReport, type TierStatus } from "../../scripts/operate/status-model";
import { formatStatus } from "../../scripts/operate/status-format";
import { parseCli, stackInfoFrom } from "../../scripts/operate/stack";
import { tierClaims } from "../../scripts/operate/status-read";

const tier = (t: TierStatus["tier"], n: number, over: Partial<TierStatus> = {}): TierStatus => ({
    tier: t,
    statefulSet: `opr-${t}`,
    stackReplicas: n,
    liveReplicas: n,
    ready: n,
    stackImage: `img/${t}:1`,
    liveImages: [`img/${t}:1`],
    pods: [],
    claims: [],
    ...over,
});

const store = (ordinal: number, state = "Up", id = ordinal + 1) => ({
    id,
    address: `opr-store-${ordinal}.opr-store-peer.ns.svc:10800`,
    ordinal,
    state,
    leaderCount: 2,
});

/** PD's healthy view with `over` applied. */
const pdView = (
    over: { stores?: ReturnType<typeof store>[]; replicasNotFullCellCount?: number } = {},
): StatusReport["pd"] => ({
    reachable: true,
    source: "x",
    bootstrapped: true,
    replicasNotFullCellCount: 0,
    cellCount: 3,
    stores: [store(0), store(1), store(2)],
    ...over,
});

/** A healthy report; each case breaks one thing. */
function report(over: Partial<StatusReport> = {}): StatusReport {
    return {
        stack: "dev",
        cluster: "opr",
        namespace: "ns",
        tiers: [tier("pd", 3), tier("store", 3), tier("proxy", 1)],
        members: [{ pod: "opr-pd-0", ready: true, health: "true" }],
        pd: pdView(),
        ...over,
    };
}

describe("status verdict", () => {
    const rows: { name: string; r: StatusReport; want: RegExp[] }[] = [
        { name: "healthy", r: report(), want: [] },
        {
            name: "fewer Ready than the live replicas",
            r: report({ tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: 4, ready: 3 }), tier("proxy", 1)] }),
            want: [/store: 3 of 4 pods Ready \(stack 3, live 4\)/, /store opr-store-3: not registered in PD/],
        },
        {
            name: "fewer Ready than the stack asks (live scaled down)",
            r: report({ tiers: [tier("pd", 3), tier("store", 3), tier("proxy", 3, { liveReplicas: 1, ready: 1 })] }),
            want: [/proxy: 1 of 3 pods Ready/],
        },
        {
            name: "StatefulSet missing",
            r: report({
                tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: undefined, ready: 0 }), tier("proxy", 1)],
            }),
            want: [/store: StatefulSet ns\/opr-store not found/],
        },
        {
            name: "a store Offline",
            r: report({ pd: pdView({ stores: [store(0), store(1, "Offline"), store(2)] }) }),
            want: [/store opr-store-1 \(PD store 2\): Offline/],
        },
        {
            name: "a store not registered",
            r: report({ pd: pdView({ stores: [store(0), store(1)] }) }),
            want: [/store opr-store-2: not registered in PD/],
        },
        {
            name: "a cell missing replicas",
            r: report({ pd: pdView({ replicasNotFullCellCount: 2 }) }),
            want: [/2 cell\(s\) miss replicas/],
        },
        {
            name: "PD unreachable",
            r: report({ pd: { reachable: false, source: "", reason: "ECONNREFUSED" } }),
            want: [/^PD not reachable: ECONNREFUSED; store states unknown$/],
        },
        {
            name: "a member unhealthy",
            r: report({ members: [{ pod: "opr-pd-0", ready: true, health: "false" }] }),
            want: [/member opr-pd-0 reports unhealthy/],
        },
        {
            name: "Kubernetes API down",
            r: report({ kubernetesError: "ECONNREFUSED", tiers: [] }),
            want: [/Kubernetes API not readable: ECONNREFUSED/],
        },
    ];
    for (const row of rows) {
        it(row.name, () => {
            const found = problems(row.r);
            assert.equal(found.length, row.want.length, found.join("\n"));
            row.want.forEach((re, i) => assert.match(found[i]!, re));
        });
    }

    it("a drained store (Tombstone above the live replicas) and a re-registered ordinal are healthy", () => {
        const stores = [store(0), store(1), store(2), store(3, "Tombstone", 9), store(2, "Tombstone", 8)];
        assert.deepEqual(problems(report({ pd: pdView({ stores }) })), []);
    });

    it("text: one table row per tier, drift, PD stores and the verdict", () => {
        const text = formatStatus(
            report({
                tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: 4, ready: 4 }), tier("proxy", 1)],
                pd: pdView({ stores: [store(0), store(1), store(2), store(3)] }),
            }),
        );
        assert.match(text, /^store\s+opr-store\s+3\s+4\s+4\/4\s+img\/store:1/m);
        assert.match(text, /drift: store runs 4 replicas, the stack asks for 3 \(npm run audit -- dev\)/);
        assert.match(text, /^\s+opr-store-3\s+4\s+Up\s+2$/m);
        assert.match(text, /^HEALTHY$/m);
    });
});

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

    it("volumes: only the claims the tier's templates name", () => {
        const claims = [
            { namespace: "ns", name: "store-opr-store-10", storage: "10Gi", deleting: false },
            { namespace: "ns", name: "store-opr-store-2", storage: "10Gi", deleting: false },
            { namespace: "ns", name: "store-opr-store-x", deleting: false },
            { namespace: "ns", name: "store-other-store-0", deleting: false },
        ];
        assert.deepEqual(
            tierClaims("opr-store", ["store"], claims).map((c) => c.name),
            ["store-opr-store-2", "store-opr-store-10"],
        );
    });
});
