/**
 * The ported API-server checks, with the cases of the Go tests they come from
 * (apimachinery `content/kube_test.go`, `validation_test.go`) plus our own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    TotalAnnotationSizeLimit,
    annotationBytes,
    annotationKeyProblems,
    compareQuantities,
    dns1035LabelProblems,
    dns1123LabelProblems,
    dns1123SubdomainProblems,
    labelValueProblems,
    parseQuantity,
    qualifiedNameProblems,
    tolerationProblems,
    type TolerationInput,
} from "../../components/k8s-validation";

const a = (n: number, c = "a") => c.repeat(n);

/** Rows of [value, valid?] for one check. */
const checks: [string, (v: string) => string[], [string, boolean][]][] = [
    [
        "IsDNS1123Label",
        dns1123LabelProblems,
        [
            ["a", true],
            ["ab-c", true],
            ["1abc", true],
            ["0", true],
            [a(63), true],
            [a(64), false],
            ["A", false],
            ["-a", false],
            ["a-", false],
            ["a.b", false],
            ["", false],
            ["a_b", false],
        ],
    ],
    [
        "IsDNS1035Label",
        dns1035LabelProblems,
        [
            ["a", true],
            ["abc-123", true],
            [a(63), true],
            [a(64), false],
            ["1abc", false],
            ["0", false],
            ["-a", false],
            ["a-", false],
            ["Abc", false],
            ["a.b", false],
            ["", false],
        ],
    ],
    [
        "IsDNS1123Subdomain",
        dns1123SubdomainProblems,
        [
            ["example.com", true],
            ["fast-ssd", true],
            ["1.2.3", true],
            [`${a(63)}.${a(63)}.${a(63)}.${a(61)}`, true],
            [a(254), false],
            ["Fast", false],
            ["a..b", false],
            [".a", false],
            ["a_b", false],
            ["", false],
        ],
    ],
    [
        "IsQualifiedName (label key)",
        qualifiedNameProblems,
        [
            ["simple", true],
            ["now-with-dashes", true],
            ["1-starts-with-num", true],
            ["1234", true],
            ["simple/simple", true],
            ["now.with.dots/simple", true],
            ["1.2.3.4/5678", true],
            ["Uppercase_Is_OK_123", true],
            ["example.com/Uppercase_Is_OK_123", true],
            ["requests.storage-foo", true],
            [a(63), true],
            [`${a(253)}/${a(63, "b")}`, true],
            ["nospecialchars%^=@", false],
            ["cantendwithadash-", false],
            ["-cantstartwithadash-", false],
            ["only/one/slash", false],
            ["Example.com/abc", false],
            ["example_com/abc", false],
            ["example.com/", false],
            ["/simple", false],
            [a(64), false],
            [`${a(254)}/abc`, false],
            ["", false],
        ],
    ],
    [
        "IsValidLabelValue",
        labelValueProblems,
        [
            ["simple", true],
            ["now-with-dashes", true],
            ["1-starts-with-num", true],
            ["end-with-num-1", true],
            ["1234", true],
            [a(63), true],
            ["", true],
            ["nospecialchars%^=@", false],
            ["Tama-nui-te-rā.is.Māori.sun", false],
            ["\\backslashes\\are\\bad", false],
            ["-starts-with-dash", false],
            ["ends-with-dash-", false],
            [".starts.with.dot", false],
            ["ends.with.dot.", false],
            [a(64), false],
        ],
    ],
    [
        "annotation key (qualified name, case aside)",
        annotationKeyProblems,
        [
            ["example.com/team", true],
            ["Example.COM/Team", true],
            ["owner", true],
            ["bad key", false],
            ["a/b/c", false],
            ["/x", false],
            [a(64), false],
        ],
    ],
];

for (const [what, check, rows] of checks) {
    describe(what, () => {
        for (const [value, valid] of rows) {
            const shown = value.length > 20 ? `${value.slice(0, 12)}... (${value.length})` : JSON.stringify(value);
            it(`${shown} is ${valid ? "accepted" : "refused"}`, () => {
                const problems = check(value);
                assert.equal(problems.length === 0, valid, problems.join("; "));
            });
        }
    });
}

describe("annotation size as the API server counts it", () => {
    it("counts the UTF-8 bytes of keys and values", () => {
        assert.equal(annotationBytes({ ab: "cd", "x/y": "é" }), 2 + 2 + 3 + 2);
    });
    it("the limit is 256 KiB", () => assert.equal(TotalAnnotationSizeLimit, 262144));
});

describe("ValidateTolerations", () => {
    const rows: [string, TolerationInput, string[]][] = [
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
                tolerationProblems(t)
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
            assert.equal(parseQuantity(text) !== undefined, ok));
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
            const l = parseQuantity(left);
            const r = parseQuantity(right);
            assert.ok(l !== undefined && r !== undefined);
            const expected = op === "<" ? -1 : op === "=" ? 0 : 1;
            assert.equal(compareQuantities(l, r), expected);
            assert.equal(compareQuantities(r, l), expected === 0 ? 0 : -expected);
        });
    }
});
