import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StackConfigSchema, parseStackConfig } from "../../components/config";
import { projectFile, stackConfig } from "../helpers/stacks";

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
