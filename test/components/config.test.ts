import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StackConfigError, StackConfigSchema, parseStackConfig } from "../../components/config";
import { configPath } from "../../components/config-errors";
import { projectFile, stackConfig } from "../helpers/stacks";

/** Parses and returns the error text, or fails the test when parsing succeeds. */
function problems(raw: unknown): string {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof StackConfigError, `expected StackConfigError, got ${String(err)}`);
        return err.message;
    }
    assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

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
        ["milli-cpu and binary memory", { pd: { resources: { requests: { cpu: "500m", memory: "512Mi" } } } }, (c) => c.pd.resources.requests?.cpu, "500m"],
        ["a storage class", { store: { storage: { className: "fast", size: "1Ti" } } }, (c) => c.store.storage, { className: "fast", size: "1Ti" }],
        ["a LoadBalancer with its options", { proxy: { service: { type: "LoadBalancer", loadBalancerIP: "10.0.0.9", externalTrafficPolicy: "Local" } } }, (c) => c.proxy.service.externalTrafficPolicy, "Local"],
        ["tolerations", { store: { tolerations: [{ key: "dedicated", operator: "Equal", value: "cell", effect: "NoSchedule" }] } }, (c) => c.store.tolerations.length, 1],
        ["the admission guard off (Kubernetes before 1.30)", { guard: { admissionPolicy: false } }, (c) => c.guard.admissionPolicy, false],
        ["no protect", { protect: "false" }, (c) => c.protect, false],
        ["minReadySeconds 0", { store: { minReadySeconds: 0 } }, (c) => c.store.minReadySeconds, 0],
        ["an ordinary annotation", { annotations: { "example.com/team": "platform" } }, (c) => c.annotations["example.com/team"], "platform"],
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
        ["PD even", { pd: { replicas: 4 } }, ["pd.replicas: must be odd: an even etcd member count adds no fault tolerance", "(got 4)", "fix: pulumi config set --path pd.replicas 3"]],
        ["PD zero", { pd: { replicas: 0 } }, ["pd.replicas: must be at least 1", "(got 0)", "fix: pulumi config set --path pd.replicas 3"]],
        ["PD negative", { pd: { replicas: -3 } }, ["pd.replicas: must be at least 1", "(got -3)"]],
        ["Store below 3", { store: { replicas: 2 } }, ["store.replicas: must be at least 3: every cell keeps 3 raft replicas on distinct stores", "(got 2)", "fix: pulumi config set --path store.replicas 3"]],
        ["Store fractional", { store: { replicas: 3.5 } }, ["store.replicas: must be a whole number (got 3.5)", "fix: pulumi config set --path store.replicas 4"]],
        ["Proxy zero", { proxy: { replicas: 0 } }, ["proxy.replicas: must be at least 1: the proxies are the cluster's only Redis entry"]],
        ["replicas not a number", { store: { replicas: "many" } }, ["store.replicas: must be a number", '(got "many")']],
        ["name not a DNS label", { name: "My_Cluster" }, ["name: must be a DNS label", '(got "My_Cluster")', "fix: pulumi config set --path name my-cluster"]],
        ["name too long for the StatefulSets", { name: "a".repeat(47) }, ['StatefulSet "' + "a".repeat(47) + '-store" would have 53 characters, the limit is 52', "use at most 46 characters", "fix: pulumi config set --path name " + "a".repeat(46)]],
        ["namespace with capitals", { namespace: "Prod" }, ["namespace: must be a DNS label", "fix: pulumi config set --path namespace prod"]],
        ["bad storage quantity", { store: { storage: { size: "10 GB" } } }, ["store.storage.size: not a Kubernetes quantity", '(got "10 GB")', "fix: pulumi config set --path store.storage.size 10Gi"]],
        ["zero storage", { pd: { storage: { size: "0Gi" } } }, ["pd.storage.size: must be greater than zero"]],
        ["bad cpu", { proxy: { resources: { limits: { cpu: "two" } } } }, ["proxy.resources.limits.cpu: not a Kubernetes quantity", "fix: pulumi config set --path proxy.resources.limits.cpu 500m"]],
        ["empty image", { pd: { image: "" } }, ["pd.image: must be an image reference without spaces", "fix: pulumi config set --path pd.image deepfabric/pd:latest"]],
        ["unknown top-level key", { nmae: "x" }, ["nmae: unknown key (a typo?)", "fix: pulumi config rm --path nmae"]],
        ["unknown tier key", { store: { replica: 5 } }, ["store.replica: unknown key", "fix: pulumi config rm --path store.replica"]],
        ["unknown service type", { proxy: { service: { type: "Ingress" } } }, ['proxy.service.type: must be one of "ClusterIP", "NodePort", "LoadBalancer"', "fix: pulumi config set --path proxy.service.type ClusterIP"]],
        ["traffic policy on ClusterIP", { proxy: { service: { externalTrafficPolicy: "Local" } } }, ["proxy.service.externalTrafficPolicy: applies only to NodePort and LoadBalancer Services", "fix: pulumi config rm --path proxy.service.externalTrafficPolicy"]],
        ["bad anti-affinity mode", { store: { antiAffinity: "always" } }, ['store.antiAffinity: must be one of "preferred", "required", "none"']],
        ["bad toleration effect", { pd: { tolerations: [{ effect: "Never" }] } }, ["pd.tolerations[0].effect: must be one of"]],
        ["label that is not a string", { labels: { "team.example.com/owner": 5 } }, ['labels["team.example.com/owner"]: must be a string']],
        ...["patchForce", "skipAwait", "deletionPropagationPolicy", "replaceUnready"].map(
            (key): [string, unknown, string[]] => [
                `provider-switching annotation pulumi.com/${key}`,
                { annotations: { [`pulumi.com/${key}`]: "true" } },
                [`annotations["pulumi.com/${key}"]: pulumi.com/ annotations change how the Kubernetes provider`, `fix: pulumi config rm --path 'annotations["pulumi.com/${key}"]'`],
            ],
        ),
        ["provider-switching annotation on the Redis Service", { proxy: { service: { annotations: { "pulumi.com/skipAwait": "true" } } } }, ['proxy.service.annotations["pulumi.com/skipAwait"]: pulumi.com/ annotations']],
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

    it("lists every problem at once, not only the first", () => {
        const text = problems({ name: "X", pd: { replicas: 2, imag: "x" }, store: { replicas: 1 }, proxy: { replicas: 0 } });
        assert.match(text, /^invalid stack configuration \(5 problems\); nothing was deployed:/);
        for (const path of ["name:", "pd.replicas:", "pd.imag:", "store.replicas:", "proxy.replicas:"]) {
            assert.ok(text.includes(`  - ${path}`), `missing ${path} in:\n${text}`);
        }
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
    ];
    for (const [path, expected] of rows) {
        it(expected, () => assert.equal(configPath(path), expected));
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
