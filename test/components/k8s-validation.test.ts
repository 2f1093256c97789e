/**
 * The ported API-server checks, with the cases of the Go tests they come from
 * (apimachinery `content/kube_test.go`, `validation_test.go`) plus our own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "../../components/k8s-validation";

const a = (n: number, c = "a") => c.repeat(n);

/** For one check: the values it accepts, then those it refuses. */
const checks: [string, (v: string) => string[], valid: string[], invalid: string[]][] = [
    [
        "IsDNS1123Label",
        k8s.dns1123LabelProblems,
        ["a", "ab-c", "1abc", "0", a(63)],
        [a(64), "A", "-a", "a-", "a.b", "", "a_b"],
    ],
    [
        "IsDNS1035Label",
        k8s.dns1035LabelProblems,
        ["a", "abc-123", a(63)],
        [a(64), "1abc", "0", "-a", "a-", "Abc", "a.b", ""],
    ],
    [
        "IsDNS1123Subdomain",
        k8s.dns1123SubdomainProblems,
        ["example.com", "fast-ssd", "1.2.3", `${a(63)}.${a(63)}.${a(63)}.${a(61)}`],
        [a(254), "Fast", "a..b", ".a", "a_b", ""],
    ],
    [
        "IsQualifiedName (label key)",
        k8s.qualifiedNameProblems,
        [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now.with.dots/simple",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            "requests.storage-foo",
            a(63),
            `${a(253)}/${a(63, "b")}`,
        ],
        [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
            a(64),
            `${a(254)}/abc`,
            "",
        ],
    ],
    [
        "IsValidLabelValue",
        k8s.labelValueProblems,
        ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", a(63), ""],
        [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is.Māori.sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
            a(64),
        ],
    ],
    [
        "annotation key (qualified name, case aside)",
        k8s.annotationKeyProblems,
        ["example.com/team", "Example.COM/Team", "owner"],
        ["bad key", "a/b/c", "/x", a(64)],
    ],
];

for (const [what, check, valid, invalid] of checks) {
    describe(what, () => {
        const rows: [string, boolean][] = [
            ...valid.map((v): [string, boolean] => [v, true]),
            ...invalid.map((v): [string, boolean] => [v, false]),
        ];
        for (const [value, ok] of rows) {
            const shown = value.length > 20 ? `${value.slice(0, 12)}... (${value.length})` : JSON.stringify(value);
            it(`${shown} is ${ok ? "accepted" : "refused"}`, () => {
                const problems = check(value);
                assert.equal(problems.length === 0, ok, problems.join("; "));
            });
        }
    });
}

describe("annotation size as the API server counts it", () => {
    it("counts the UTF-8 bytes of keys and values", () => {
        assert.equal(k8s.annotationBytes({ ab: "cd", "x/y": "é" }), 2 + 2 + 3 + 2);
    });
    it("the limit is 256 KiB", () => assert.equal(k8s.TotalAnnotationSizeLimit, 262144));
});

describe("ValidateTolerations", () => {
    const rows: [string, k8s.TolerationInput, string[]][] = [
        ["key, Equal, value, effect", { key: "dedicated", operator: "Equal", value: "cell", effect: "NoSchedule" }, []],
        ["key with no operator (Equal) and no value", { key: "dedicated" }, []],
        ["key, Exists", { key: "example.com/gpu", operator: "Exists" }, []],
        ["empty key with Exists (tolerates everything)", { operator: "Exists" }, []],
        [
            "NoExecute with tolerationSeconds",
            { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
            [],
        ],
        ["empty key with Equal", { operator: "Equal", value: "x" }, ["operator"]],
        ["empty key with no operator", { effect: "NoSchedule" }, ["operator"]],
        ["Exists with a value", { key: "k", operator: "Exists", value: "v" }, ["value"]],
        ["empty key, Exists with a value", { operator: "Exists", value: "v" }, ["value"]],
        ["Equal with a value that is not a label value", { key: "k", operator: "Equal", value: "a b" }, ["value"]],
        ["a key that is not a qualified name", { key: "a/b/c", operator: "Exists" }, ["key"]],
        [
            "tolerationSeconds with NoSchedule",
            { key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 },
            ["tolerationSeconds"],
        ],
        [
            "tolerationSeconds without an effect",
            { key: "k", operator: "Exists", tolerationSeconds: 5 },
            ["tolerationSeconds"],
        ],
        [
            "several at once",
            { operator: "Equal", value: "-x", tolerationSeconds: 1 },
            ["operator", "tolerationSeconds", "value"],
        ],
    ];
    for (const [what, t, fields] of rows) {
        it(`${what}: ${fields.length === 0 ? "accepted" : `refused at ${fields.join(", ")}`}`, () => {
            assert.deepEqual(
                k8s
                    .tolerationProblems(t)
                    .map((p) => p.field)
                    .sort(),
                [...fields].sort(),
            );
        });
    }
});

describe("quantities", () => {
    const parses: [string, boolean][] = [
        ["500m", true],
        ["2", true],
        ["1.5", true],
        [".5", true],
        ["1.", true],
        ["+1", true],
        ["1Gi", true],
        ["1e3", true],
        ["1E-3", true],
        ["100n", true],
        ["10u", true],
        ["0", true],
        ["", false],
        ["-1", false],
        ["1 Gi", false],
        ["1GB", false],
        ["two", false],
        ["1e", false],
        ["1Kii", false],
        ["Gi", false],
    ];
    for (const [text, ok] of parses) {
        it(`${JSON.stringify(text)} ${ok ? "parses" : "is not a quantity"}`, () =>
            assert.equal(k8s.parseQuantity(text) !== undefined, ok));
    }

    const order: [string, "<" | "=" | ">", string][] = [
        ["1500m", "=", "1.5"],
        ["1", "=", "1000m"],
        ["1Gi", "=", "1073741824"],
        ["1Gi", ">", "1G"],
        ["2Gi", ">", "2000Mi"],
        ["1024Mi", "=", "1Gi"],
        ["1e3", "=", "1k"],
        ["1e-3", "=", "1m"],
        ["999m", "<", "1"],
        ["0.1", "=", "100m"],
        ["0", "<", "1n"],
        ["0", "=", "0Gi"],
        ["1e100", ">", "1Ei"],
        ["1e-100", "<", "1n"],
        ["123456789e-9", "<", "124m"],
    ];
    for (const [left, op, right] of order) {
        it(`${left} ${op} ${right}`, () => {
            const l = k8s.parseQuantity(left);
            const r = k8s.parseQuantity(right);
            assert.ok(l !== undefined && r !== undefined);
            const expected = op === "<" ? -1 : op === "=" ? 0 : 1;
            assert.equal(k8s.compareQuantities(l, r), expected);
            assert.equal(k8s.compareQuantities(r, l), expected === 0 ? 0 : -expected);
        });
    }
});
