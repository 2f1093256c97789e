import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StackConfigSchema, parseStackConfig } from "../../components/config";
import { configPath } from "../../components/config-errors";
import { applyConfigFix, fixCommands, parseConfigPath } from "../helpers/config-fixes";
import { projectFile, stackConfig } from "../helpers/stacks";
import { problems } from "../helpers/config-refusal";

/** Parses and returns the error text, or fails the test when parsing succeeds. */

describe("stack config: defaults", () => {
    it("an empty config gives the documented defaults", () => {
        const cfg = parseStackConfig({});
        assert.deepEqual(
            {
                name: cfg.name,
                namespace: cfg.namespace,
                createNamespace: cfg.createNamespace,
                timezone: cfg.timezone,
                replicas: [cfg.pd.replicas, cfg.store.replicas, cfg.proxy.replicas],
                storage: [cfg.pd.storage, cfg.store.storage],
                images: [cfg.pd.image, cfg.store.image, cfg.proxy.image],
                placement: [cfg.pd.antiAffinity, cfg.store.zoneSpread],
                service: cfg.proxy.service,
                guard: cfg.guard,
                protect: cfg.protect,
                minReadySeconds: [cfg.pd.minReadySeconds, cfg.store.minReadySeconds, cfg.proxy.minReadySeconds],
            },
            {
                name: "demo",
                namespace: "elasticell",
                createNamespace: true,
                timezone: "UTC",
                replicas: [3, 3, 1],
                storage: [{ size: "1Gi" }, { size: "10Gi" }],
                images: ["deepfabric/pd:latest", "deepfabric/cell:latest", "deepfabric/proxy:latest"],
                placement: ["preferred", "preferred"],
                service: { type: "ClusterIP", annotations: {} },
                guard: { admissionPolicy: true },
                protect: true,
                minReadySeconds: [10, 10, 0],
            },
        );
    });

    it("does not mutate its input", () => {
        const raw = { store: { replicas: 5 } };
        parseStackConfig(raw);
        assert.deepEqual(raw, { store: { replicas: 5 } });
    });
});

describe("stack config: accepted", () => {
    const good: [string, unknown, (c: ReturnType<typeof parseStackConfig>) => unknown, unknown][] = [
        ["PD 1 (a single member is odd)", { pd: { replicas: 1 } }, (c) => c.pd.replicas, 1],
        ["PD 5", { pd: { replicas: 5 } }, (c) => c.pd.replicas, 5],
        ["Store 300", { store: { replicas: 300 } }, (c) => c.store.replicas, 300],
        ["a count typed as a string", { store: { replicas: "4" } }, (c) => c.store.replicas, 4],
        ["a boolean typed as a string", { createNamespace: "false" }, (c) => c.createNamespace, false],
        ["a 46-character name", { name: "a".repeat(46) }, (c) => c.name.length, 46],
        [
            "milli-cpu and binary memory",
            { pd: { resources: { requests: { cpu: "500m", memory: "512Mi" } } } },
            (c) => c.pd.resources.requests?.cpu,
            "500m",
        ],
        [
            "a storage class",
            { store: { storage: { className: "fast", size: "1Ti" } } },
            (c) => c.store.storage,
            { className: "fast", size: "1Ti" },
        ],
        [
            "a LoadBalancer with its options",
            {
                proxy: {
                    service: { type: "LoadBalancer", loadBalancerIP: "10.0.0.9", externalTrafficPolicy: "Local" },
                },
            },
            (c) => c.proxy.service.externalTrafficPolicy,
            "Local",
        ],
        [
            "tolerations",
            { store: { tolerations: [{ key: "dedicated", operator: "Equal", value: "cell", effect: "NoSchedule" }] } },
            (c) => c.store.tolerations.length,
            1,
        ],
        [
            "the admission guard off (Kubernetes before 1.30)",
            { guard: { admissionPolicy: false } },
            (c) => c.guard.admissionPolicy,
            false,
        ],
        ["no protect", { protect: "false" }, (c) => c.protect, false],
        ["minReadySeconds 0", { store: { minReadySeconds: 0 } }, (c) => c.store.minReadySeconds, 0],
        [
            "an ordinary annotation",
            { annotations: { "example.com/team": "platform" } },
            (c) => c.annotations["example.com/team"],
            "platform",
        ],
        // At the ceilings and at the API server's limits.
        ["PD 7 (the ceiling)", { pd: { replicas: 7 } }, (c) => c.pd.replicas, 7],
        ["Proxy 100 (the ceiling)", { proxy: { replicas: 100 } }, (c) => c.proxy.replicas, 100],
        ["a name that starts with a letter and has digits", { name: "c1-2" }, (c) => c.name, "c1-2"],
        [
            "a namespace that starts with a digit (a DNS-1123 label)",
            { namespace: "1team" },
            (c) => c.namespace,
            "1team",
        ],
        [
            "a request equal to its limit in other units",
            {
                store: {
                    resources: { requests: { cpu: "1500m", memory: "1024Mi" }, limits: { cpu: "1.5", memory: "1Gi" } },
                },
            },
            (c) => c.store.resources.limits?.cpu,
            "1.5",
        ],
        [
            "a request below its limit",
            { pd: { resources: { requests: { cpu: "999m" }, limits: { cpu: "1" } } } },
            (c) => c.pd.resources.requests?.cpu,
            "999m",
        ],
        [
            "a request with no limit",
            { pd: { resources: { requests: { memory: "64Gi" } } } },
            (c) => c.pd.resources.requests?.memory,
            "64Gi",
        ],
        [
            "a limit with no request",
            { pd: { resources: { limits: { memory: "1Gi" } } } },
            (c) => c.pd.resources.limits?.memory,
            "1Gi",
        ],
        [
            "a toleration of every taint (empty key, Exists)",
            { pd: { tolerations: [{ operator: "Exists" }] } },
            (c) => c.pd.tolerations,
            [{ operator: "Exists" }],
        ],
        [
            "a toleration with a key and no operator (Equal)",
            { pd: { tolerations: [{ key: "pool", value: "cell" }] } },
            (c) => c.pd.tolerations.length,
            1,
        ],
        [
            "tolerationSeconds with NoExecute",
            {
                store: {
                    tolerations: [
                        {
                            key: "node.kubernetes.io/unreachable",
                            operator: "Exists",
                            effect: "NoExecute",
                            tolerationSeconds: 300,
                        },
                    ],
                },
            },
            (c) => c.store.tolerations[0]?.tolerationSeconds,
            300,
        ],
        [
            "prefixed and mixed-case label keys, an empty label value",
            { labels: { "example.com/Team": "", Owner_1: "a.b-c" } },
            (c) => Object.keys(c.labels).length,
            2,
        ],
        [
            "a node selector on a well-known label",
            { store: { nodeSelector: { "topology.kubernetes.io/zone": "eu-west-1a" } } },
            (c) => c.store.nodeSelector["topology.kubernetes.io/zone"],
            "eu-west-1a",
        ],
        [
            "an annotation key with upper case (accepted for annotations)",
            { annotations: { "Example.com/Team": "x" } },
            (c) => c.annotations["Example.com/Team"],
            "x",
        ],
        [
            "annotations just inside 256 KiB with the program's share",
            { annotations: { big: "x".repeat(262144 - 1024 - 3) } },
            (c) => c.annotations.big?.length,
            262144 - 1024 - 3,
        ],
        [
            "a storage class with dots",
            { store: { storage: { className: "ebs.csi.aws.com-gp3" } } },
            (c) => c.store.storage.className,
            "ebs.csi.aws.com-gp3",
        ],
    ];
    for (const [what, raw, pick, expected] of good) {
        it(what, () => assert.deepEqual(pick(parseStackConfig(raw)), expected));
    }

    for (const stack of ["dev", "render", "prod"]) {
        it(`the example stack ${stack}`, () => assert.doesNotThrow(() => parseStackConfig(stackConfig(stack))));
    }
});

describe("stack config: refused, with path, value, reason and fix", () => {
    const bad: [string, unknown, string[]][] = [
        [
            "PD even",
            { pd: { replicas: 4 } },
            [
                "pd.replicas: must be odd: an even etcd member count adds no fault tolerance",
                "(got 4)",
                "fix: pulumi config set --path pd.replicas 3",
            ],
        ],
        [
            "PD zero",
            { pd: { replicas: 0 } },
            ["pd.replicas: must be at least 1", "(got 0)", "fix: pulumi config set --path pd.replicas 3"],
        ],
        ["PD negative", { pd: { replicas: -3 } }, ["pd.replicas: must be at least 1", "(got -3)"]],
        [
            "Store below 3",
            { store: { replicas: 2 } },
            [
                "store.replicas: must be at least 3: every cell keeps 3 raft replicas on distinct stores",
                "(got 2)",
                "fix: pulumi config set --path store.replicas 3",
            ],
        ],
        [
            "Store fractional",
            { store: { replicas: 3.5 } },
            ["store.replicas: must be a whole number (got 3.5)", "fix: pulumi config set --path store.replicas 4"],
        ],
        [
            "Proxy zero",
            { proxy: { replicas: 0 } },
            ["proxy.replicas: must be at least 1: the proxies are the cluster's only Redis entry"],
        ],
        [
            "replicas not a number",
            { store: { replicas: "many" } },
            ["store.replicas: must be a number", '(got "many")'],
        ],
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
            "PD above 7",
            { pd: { replicas: 9 } },
            [
                "pd.replicas: must be at most 7: etcd's documented cluster sizes are 3, 5 or 7 members",
                "(got 9)",
                "fix: pulumi config set --path pd.replicas 7",
            ],
        ],
        [
            "Store above 300",
            { store: { replicas: 301 } },
            [
                "store.replicas: must be at most 300: the largest Store count this program is tested at",
                "(got 301)",
                "fix: pulumi config set --path store.replicas 300",
            ],
        ],
        [
            "Store fractional at the ceiling",
            { store: { replicas: 300.5 } },
            ["store.replicas: must be a whole number", "fix: pulumi config set --path store.replicas 300"],
        ],
        [
            "Proxy above 100",
            { proxy: { replicas: 1000 } },
            ["proxy.replicas: must be at most 100", "(got 1000)", "fix: pulumi config set --path proxy.replicas 100"],
        ],
        [
            "cpu request above its limit",
            { store: { resources: { requests: { cpu: "2" }, limits: { cpu: "1500m" } } } },
            [
                "store.resources.requests.cpu: must be at most limits.cpu (1500m): the API server refuses a request above its limit",
                '(got "2")',
                "fix: pulumi config set --path store.resources.requests.cpu 1500m",
            ],
        ],
        [
            "memory request above its limit (2Gi > 2000Mi)",
            { pd: { resources: { requests: { memory: "2Gi" }, limits: { memory: "2000Mi" } } } },
            [
                "pd.resources.requests.memory: must be at most limits.memory (2000Mi)",
                "fix: pulumi config set --path pd.resources.requests.memory 2000Mi",
            ],
        ],
        [
            "toleration: Exists with a value",
            { pd: { tolerations: [{ key: "dedicated", operator: "Exists", value: "cell" }] } },
            [
                "pd.tolerations[0].value: must be empty when operator is Exists",
                '(got "cell")',
                "fix: pulumi config rm --path 'pd.tolerations[0].value'",
            ],
        ],
        [
            "toleration: empty key with Equal",
            { store: { tolerations: [{ operator: "Equal", value: "x" }] } },
            [
                "store.tolerations[0].operator: must be Exists when key is empty",
                "fix: pulumi config set --path 'store.tolerations[0].operator' Exists",
            ],
        ],
        [
            "toleration: tolerationSeconds without NoExecute",
            { proxy: { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 60 }] } },
            [
                "proxy.tolerations[0].tolerationSeconds: applies only with effect NoExecute",
                "(got 60)",
                "fix: pulumi config rm --path 'proxy.tolerations[0].tolerationSeconds'",
            ],
        ],
        [
            "toleration: a key that is not a qualified name",
            { pd: { tolerations: [{ key: "my key", operator: "Exists" }] } },
            [
                "pd.tolerations[0].key: key name part must consist of",
                "fix: pulumi config set --path 'pd.tolerations[0].key' my-key",
            ],
        ],
        [
            "toleration: a value that is not a label value",
            { pd: { tolerations: [{ key: "k", value: "a b" }] } },
            [
                "pd.tolerations[0].value: value must be empty or consist of",
                "fix: pulumi config set --path 'pd.tolerations[0].value' a-b",
            ],
        ],
        [
            "label key with two slashes",
            { labels: { "a/b/c": "v" } },
            ['labels["a/b/c"]: is not a valid label key', "fix: pulumi config rm --path 'labels[\"a/b/c\"]'"],
        ],
        [
            "label key with an upper-case prefix",
            { labels: { "Example.com/team": "v" } },
            ['labels["Example.com/team"]: is not a valid label key: prefix part'],
        ],
        [
            "label value with a space",
            { labels: { team: "data platform" } },
            [
                "labels.team: is not a valid label value",
                '(got "data platform")',
                "fix: pulumi config set --path labels.team data-platform",
            ],
        ],
        [
            "label value over 63 characters",
            { labels: { team: "t".repeat(64) } },
            [
                "labels.team: is not a valid label value: must be no more than 63 characters",
                `fix: pulumi config set --path labels.team ${"t".repeat(63)}`,
            ],
        ],
        [
            "a label the program sets",
            { labels: { "app.kubernetes.io/instance": "other" } },
            [
                'labels["app.kubernetes.io/instance"]: is set by the program on every object',
                "fix: pulumi config rm --path",
            ],
        ],
        [
            "node selector key and value",
            { store: { nodeSelector: { "-pool": "cell", zone: "eu west" } } },
            [
                'store.nodeSelector["-pool"]: is not a valid label key',
                "store.nodeSelector.zone: is not a valid label value",
                "fix: pulumi config set --path store.nodeSelector.zone eu-west",
            ],
        ],
        [
            "annotation key with a space",
            { annotations: { "my note": "x" } },
            [
                'annotations["my note"]: is not a valid annotation key',
                "fix: pulumi config rm --path 'annotations[\"my note\"]'",
            ],
        ],
        [
            "Redis Service annotation key",
            { proxy: { service: { annotations: { "a/b/c": "x" } } } },
            ['proxy.service.annotations["a/b/c"]: is not a valid annotation key'],
        ],
        [
            "annotations over 256 KiB on one object",
            { annotations: { small: "x" }, proxy: { service: { annotations: { huge: "x".repeat(262144 - 1024) } } } },
            [
                "proxy.service.annotations.huge: is the largest of annotations that add up to 262154 bytes on the Redis Service",
                "the API server refuses more than 262144 (256 KiB) per object",
                "fix: pulumi config rm --path proxy.service.annotations.huge",
            ],
        ],
        [
            "storage class not a DNS subdomain",
            { store: { storage: { className: "Fast_SSD" } } },
            [
                "store.storage.className: is not a valid StorageClass name",
                '(got "Fast_SSD")',
                "fix: pulumi config set --path store.storage.className fast-ssd",
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
            "bad storage quantity",
            { store: { storage: { size: "10 GB" } } },
            [
                "store.storage.size: not a Kubernetes quantity",
                '(got "10 GB")',
                "fix: pulumi config set --path store.storage.size 10Gi",
            ],
        ],
        ["zero storage", { pd: { storage: { size: "0Gi" } } }, ["pd.storage.size: must be greater than zero"]],
        [
            "bad cpu",
            { proxy: { resources: { limits: { cpu: "two" } } } },
            [
                "proxy.resources.limits.cpu: not a Kubernetes quantity",
                "fix: pulumi config set --path proxy.resources.limits.cpu 500m",
            ],
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
        [
            "bad toleration effect",
            { pd: { tolerations: [{ effect: "Never" }] } },
            ["pd.tolerations[0].effect: must be one of"],
        ],
        [
            "label that is not a string",
            { labels: { "team.example.com/owner": 5 } },
            ['labels["team.example.com/owner"]: must be a string'],
        ],
        ...["patchForce", "skipAwait", "deletionPropagationPolicy", "replaceUnready"].map(
            (key): [string, unknown, string[]] => [
                `provider-switching annotation pulumi.com/${key}`,
                { annotations: { [`pulumi.com/${key}`]: "true" } },
                [
                    `annotations["pulumi.com/${key}"]: pulumi.com/ annotations change how the Kubernetes provider`,
                    `fix: pulumi config rm --path 'annotations["pulumi.com/${key}"]'`,
                ],
            ],
        ),
        [
            "the admission policy's delete unlock as a config annotation",
            { annotations: { "elasticell.io/allow-delete": "yes" } },
            [
                'annotations["elasticell.io/allow-delete"]: elasticell.io/ annotations belong to the program',
                `fix: pulumi config rm --path 'annotations["elasticell.io/allow-delete"]'`,
            ],
        ],
        [
            "provider-switching annotation on the Redis Service",
            { proxy: { service: { annotations: { "pulumi.com/skipAwait": "true" } } } },
            ['proxy.service.annotations["pulumi.com/skipAwait"]: pulumi.com/ annotations'],
        ],
        ["negative minReadySeconds", { pd: { minReadySeconds: -1 } }, ["pd.minReadySeconds: "]],
        ["protect not a boolean", { protect: "sometimes" }, ["protect: must be a boolean"]],
    ];
    for (const [what, raw, expected] of bad) {
        it(what, () => {
            const text = problems(raw);
            for (const fragment of expected) {
                assert.ok(text.includes(fragment), `missing ${JSON.stringify(fragment)} in:\n${text}`);
            }
        });
    }

    // The printed fixes, applied as `pulumi config` would, must give a valid config in one round.
    const noValueToOffer = new Set<string>();
    for (const [what, raw] of bad) {
        const text = problems(raw);
        if (text.includes("<valid value>")) {
            noValueToOffer.add(what);
            continue;
        }
        it(`${what}: applying the printed fixes makes the config valid`, () => {
            const fixed = fixCommands(text).reduce((cfg, args) => applyConfigFix(cfg, args), raw);
            assert.doesNotThrow(() => parseStackConfig(fixed), `after ${JSON.stringify(fixCommands(text))}`);
        });
    }
    it("only wrong-type values lack a concrete fix (there is no value to guess)", () => {
        assert.deepEqual([...noValueToOffer].sort(), [
            "label that is not a string",
            "protect not a boolean",
            "replicas not a number",
        ]);
    });

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

describe("Pulumi.yaml declares the config contract", () => {
    const declared = projectFile().config;
    const schemaKeys = Object.keys(StackConfigSchema.shape).sort();

    it("declares exactly the schema's keys", () => assert.deepEqual(Object.keys(declared).sort(), schemaKeys));

    it("each declared default is the schema's default", () => {
        const defaults = parseStackConfig({});
        for (const [key, decl] of Object.entries(declared)) {
            assert.ok(decl.description.length > 10, `${key} needs a description`);
            const parsed = parseStackConfig({ [key]: decl.default });
            assert.deepEqual(parsed[key as keyof typeof parsed], defaults[key as keyof typeof defaults], key);
        }
    });

    it("each tier description names every tier key", () => {
        for (const tier of ["pd", "store", "proxy"] as const) {
            const keys = Object.keys(StackConfigSchema.shape[tier].unwrap().shape);
            for (const key of keys) {
                assert.ok(declared[tier].description.includes(key), `Pulumi.yaml ${tier} description lacks "${key}"`);
            }
        }
    });
});
