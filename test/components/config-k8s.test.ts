import { describe } from "node:test";
import { refusalTests, type RefusalRow } from "../helpers/config-refusal";

/** Refusals of what the API server would refuse (config-k8s.ts, config-root.ts): resources, tolerations, labels, annotations, storage. */
describe("stack config: the API server's rules, refused before anything is registered", () => {
    const bad: RefusalRow[] = [
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
    ];
    refusalTests(bad, ["label that is not a string"]);
});
