import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../components/config";
import type { TierKind } from "../../components/labels";
import { configPath } from "../../components/config-errors";
import { parseConfigPath } from "../helpers/config-fixes";
import { problems, refusalTests, type RefusalRow } from "../helpers/config-refusal";

/** Refusals of the schema's own rules (counts, names, keys, enums), as config-errors.ts words them. */
/** Replica counts refused: [what, tier, value, the problem, the value the fix sets (undefined: none asserted)]. */
const replicaRows: [string, TierKind, unknown, string, number | undefined][] = [
    ["PD even", "pd", 4, "must be odd: an even etcd member count adds no fault tolerance", 3],
    ["PD zero", "pd", 0, "must be at least 1", 3],
    ["PD negative", "pd", -3, "must be at least 1", undefined],
    ["Store below 3", "store", 2, "must be at least 3: every cell keeps 3 raft replicas on distinct stores", 3],
    ["Store fractional", "store", 3.5, "must be a whole number", 4],
    ["Proxy zero", "proxy", 0, "must be at least 1: the proxies are the cluster's only Redis entry", undefined],
    ["replicas not a number", "store", "many", "must be a number", undefined],
    ["PD above 7", "pd", 9, "must be at most 7: etcd's documented cluster sizes are 3, 5 or 7 members", 7],
    ["Store above 300", "store", 301, "must be at most 300: the largest Store count this program is tested at", 300],
    ["Store fractional at the ceiling", "store", 300.5, "must be a whole number", 300],
    ["Proxy above 100", "proxy", 1000, "must be at most 100", 100],
];

/** The replica rows as refusal rows: the problem at `<tier>.replicas`, the value seen, and the fix. */
const replicaRefusals: RefusalRow[] = replicaRows.map(([what, tier, value, problem, fix]) => [
    what,
    { [tier]: { replicas: value } },
    [
        `${tier}.replicas: ${problem}`,
        `(got ${JSON.stringify(value)})`,
        ...(fix === undefined ? [] : [`fix: pulumi config set --path ${tier}.replicas ${fix}`]),
    ],
]);

describe("stack config: refused, with path, value, reason and fix", () => {
    const bad: RefusalRow[] = [
        ...replicaRefusals,
        [
            "name not a DNS label",
            { name: "My_Cluster" },
            ["name: must be a DNS-1035 label", '(got "My_Cluster")', "fix: pulumi config set --path name my-cluster"],
        ],
        [
            "name with a leading digit (Service names must start with a letter)",
            { name: "1abc" },
            [
                "name: must be a DNS-1035 label, as Service names are",
                "start with a letter",
                '(got "1abc")',
                "fix: pulumi config set --path name cell-1abc",
            ],
        ],
        [
            "name too long for the StatefulSets",
            { name: "a".repeat(47) },
            [
                'StatefulSet "' + "a".repeat(47) + '-store" would have 53 characters, the limit is 52',
                "use at most 46 characters",
                "fix: pulumi config set --path name " + "a".repeat(46),
            ],
        ],
        [
            "namespace with capitals",
            { namespace: "Prod" },
            ["namespace: must be a DNS label", "fix: pulumi config set --path namespace prod"],
        ],
        [
            "empty image",
            { pd: { image: "" } },
            [
                "pd.image: must be an image reference without spaces",
                "fix: pulumi config set --path pd.image deepfabric/pd:latest",
            ],
        ],
        ["unknown top-level key", { nmae: "x" }, ["nmae: unknown key (a typo?)", "fix: pulumi config rm --path nmae"]],
        [
            "unknown tier key",
            { store: { replica: 5 } },
            ["store.replica: unknown key", "fix: pulumi config rm --path store.replica"],
        ],
        [
            "unknown service type",
            { proxy: { service: { type: "Ingress" } } },
            [
                'proxy.service.type: must be one of "ClusterIP", "NodePort", "LoadBalancer"',
                "fix: pulumi config set --path proxy.service.type ClusterIP",
            ],
        ],
        [
            "traffic policy on ClusterIP",
            { proxy: { service: { externalTrafficPolicy: "Local" } } },
            [
                "proxy.service.externalTrafficPolicy: applies only to NodePort and LoadBalancer Services",
                "fix: pulumi config rm --path proxy.service.externalTrafficPolicy",
            ],
        ],
        [
            "bad anti-affinity mode",
            { store: { antiAffinity: "always" } },
            ['store.antiAffinity: must be one of "preferred", "required", "none"'],
        ],
        ["negative minReadySeconds", { pd: { minReadySeconds: -1 } }, ["pd.minReadySeconds: "]],
        ["protect not a boolean", { protect: "sometimes" }, ["protect: must be a boolean"]],
    ];
    refusalTests(bad, ["protect not a boolean", "replicas not a number"]);

    it("lists every problem at once, not only the first", () => {
        const text = problems({
            name: "X",
            pd: { replicas: 2, imag: "x" },
            store: { replicas: 1 },
            proxy: { replicas: 0 },
        });
        assert.match(text, /^invalid stack configuration \(5 problems\); nothing was deployed:/);
        for (const path of ["name:", "pd.replicas:", "pd.imag:", "store.replicas:", "proxy.replicas:"]) {
            assert.ok(text.includes(`  - ${path}`), `missing ${path} in:\n${text}`);
        }
    });

    it("lists the API server's refusals together with the schema's, even inside one toleration", () => {
        const text = problems({
            name: "1abc",
            labels: { "a b": "c d" },
            pd: { replicas: 9, tolerations: [{ operator: "Exists", value: "x", effect: "Never" }] },
            store: { replicas: "many", resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } },
            proxy: { service: { annotations: { big: "x".repeat(262144) } } },
        });
        assert.match(text, /^invalid stack configuration \(9 problems\); nothing was deployed:/);
        for (const path of [
            "name:",
            'labels["a b"]: is not a valid label key',
            'labels["a b"]: is not a valid label value',
            "pd.replicas: must be at most 7",
            "pd.tolerations[0].effect:",
            "pd.tolerations[0].value: must be empty",
            "store.replicas: must be a number",
            "store.resources.requests.cpu:",
            "proxy.service.annotations.big:",
        ]) {
            assert.ok(text.includes(`  - ${path}`), `missing ${path} in:\n${text}`);
        }
        assert.ok(!text.includes("xxxxxxxx"), "a huge annotation value is not echoed");
    });

    it("never echoes a secret value", () => {
        let text = "";
        try {
            parseStackConfig({ timezone: 5 }, new Set(["timezone"]));
        } catch (err) {
            text = (err as Error).message;
        }
        assert.ok(text.includes("got a secret value, not shown"), text);
        assert.ok(!text.includes("(got 5)"), text);
    });
});

describe("config paths in `pulumi config set --path` syntax", () => {
    const rows: [PropertyKey[], string][] = [
        [["store", "replicas"], "store.replicas"],
        [["pd", "tolerations", 0, "key"], "pd.tolerations[0].key"],
        [["labels", "team.example.com/owner"], 'labels["team.example.com/owner"]'],
        [["annotations", 'a "quoted" key'], 'annotations["a \\"quoted\\" key"]'],
    ];
    for (const [path, expected] of rows) {
        it(expected, () => assert.equal(configPath(path), expected));
        it(`${expected} reads back`, () => assert.deepEqual(parseConfigPath(expected), path));
    }
});
