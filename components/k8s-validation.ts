/**
 * The Kubernetes API server's own checks on the values config puts into
 * objects, ported from k8s.io/apimachinery v0.36 (`pkg/api/validate/content`,
 * `pkg/api/validation/objectmeta.go`, `pkg/api/resource`) and k8s.io/kubernetes
 * v1.36 (`pkg/apis/core/validation`: `ValidateTolerations`,
 * `validateResourceRequirements`). Pure functions: each returns the problems
 * it finds (empty when the API server would accept the value).
 */

/** Longest DNS label (RFC 1123 and RFC 1035): names of Services, namespaces, pod host names. */
export const MaxDnsLabelLength = 63;
/** Longest DNS subdomain (object names such as StorageClass names, label key prefixes). */
export const MaxDnsSubdomainLength = 253;
/** Longest label value, and longest name part of a label key. */
export const MaxLabelValueLength = 63;
/** Most bytes the keys and values of one object's annotations may add up to (`TotalAnnotationSizeLimitB`, 256 KiB). */
export const TotalAnnotationSizeLimit = 256 * 1024;

const Dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const Dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const Dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Name part of a label key, and a non-empty label value. */
const LabelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Bytes of a string as the API server counts them (Go's `len` of UTF-8). */
export function byteLength(s: string): number {
    return Buffer.byteLength(s, "utf8");
}

function tooLong(value: string, max: number): string[] {
    return byteLength(value) > max ? [`must be no more than ${max} characters`] : [];
}

/** The problems of a name: its length, then its form (`problem` says what the pattern wants). */
function nameProblems(value: string, max: number, pattern: RegExp, problem: () => string): string[] {
    return [...tooLong(value, max), ...(pattern.test(value) ? [] : [problem()])];
}

/** `IsDNS1123Label`: a namespace name. */
export function dns1123LabelProblems(value: string): string[] {
    return nameProblems(value, MaxDnsLabelLength, Dns1123Label, () =>
        Dns1123Subdomain.test(value)
            ? "must not contain dots"
            : "must consist of lower-case letters, digits and '-', and start and end with a letter or digit",
    );
}

/** `IsDNS1035Label`: a Service name (so the cluster name, the prefix of every Service name). */
export function dns1035LabelProblems(value: string): string[] {
    return nameProblems(
        value,
        MaxDnsLabelLength,
        Dns1035Label,
        () => "must consist of lower-case letters, digits and '-', start with a letter and end with a letter or digit",
    );
}

/** `IsDNS1123Subdomain`: most object names (a StorageClass name) and label key prefixes. */
export function dns1123SubdomainProblems(value: string): string[] {
    return nameProblems(
        value,
        MaxDnsSubdomainLength,
        Dns1123Subdomain,
        () => "must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit",
    );
}

/** `IsQualifiedName` (`IsLabelKey`): a label key, a node-selector key, a toleration key. */
export function qualifiedNameProblems(value: string): string[] {
    const parts = value.split("/");
    if (parts.length > 2) {
        return ["must be a name with an optional DNS subdomain prefix and one '/' (e.g. 'example.com/my-name')"];
    }
    const problems: string[] = [];
    const name = parts.length === 2 ? (parts[1] ?? "") : value;
    if (parts.length === 2) {
        const prefix = parts[0] ?? "";
        if (prefix === "") {
            problems.push("prefix part must be non-empty");
        } else {
            problems.push(...dns1123SubdomainProblems(prefix).map((p) => `prefix part ${p}`));
        }
    }
    if (name === "") {
        problems.push("name part must be non-empty");
    } else {
        problems.push(...tooLong(name, MaxLabelValueLength).map((p) => `name part ${p}`));
    }
    if (!LabelName.test(name)) {
        problems.push(
            "name part must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit",
        );
    }
    return problems;
}

/** `IsValidLabelValue`: a label value, a node-selector value, a toleration value (operator Equal). */
export function labelValueProblems(value: string): string[] {
    const problems = tooLong(value, MaxLabelValueLength);
    if (value !== "" && !LabelName.test(value)) {
        problems.push(
            "must be empty or consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit",
        );
    }
    return problems;
}

/** `ValidateAnnotations`, per key: a qualified name once lower-cased (annotation keys may use upper case). */
export function annotationKeyProblems(key: string): string[] {
    return qualifiedNameProblems(key.toLowerCase());
}

/** Bytes of the keys and values of an annotation map (`ValidateAnnotationsSize`). */
export function annotationBytes(annotations: Readonly<Record<string, string>>): number {
    let total = 0;
    for (const [key, value] of Object.entries(annotations)) {
        total += byteLength(key) + byteLength(value);
    }
    return total;
}

/** A toleration as config gives it (the operator defaults to Equal, as in Kubernetes). */
export interface TolerationInput {
    readonly key?: string;
    readonly operator?: string;
    readonly value?: string;
    readonly effect?: string;
    readonly tolerationSeconds?: number;
}

/** One problem of a toleration: the field to change and why. */
export interface TolerationProblem {
    readonly field: keyof TolerationInput;
    readonly message: string;
}

/** `ValidateTolerations` for one toleration (operators Equal and Exists; effects are an enum in the schema). */
export function tolerationProblems(t: TolerationInput): TolerationProblem[] {
    const problems: TolerationProblem[] = [];
    const key = t.key ?? "";
    const operator = t.operator ?? "Equal";
    const value = t.value ?? "";
    if (key !== "") {
        problems.push(
            ...qualifiedNameProblems(key).map((message) => ({ field: "key" as const, message: `key ${message}` })),
        );
    } else if (operator !== "Exists") {
        problems.push({
            field: "operator",
            message: "must be Exists when key is empty (an empty key with Exists tolerates every taint)",
        });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") {
        problems.push({
            field: "tolerationSeconds",
            message:
                "applies only with effect NoExecute (it is how long a pod stays on a node after the taint appears)",
        });
    }
    if (operator === "Exists" && value !== "") {
        problems.push({ field: "value", message: "must be empty when operator is Exists (Exists matches any value)" });
    } else if (operator === "Equal") {
        problems.push(
            ...labelValueProblems(value).map((message) => ({ field: "value" as const, message: `value ${message}` })),
        );
    }
    return problems;
}

/** Syntax of a quantity (`resource.ParseQuantity`), without a sign: config refuses negative quantities. */
const QuantityPattern =
    /^(?:\+?([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:([eE])([-+]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const BinaryPowers: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DecimalPowers: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact non-negative quantity: `mantissa * 10^exponent`. */
export interface Quantity {
    readonly mantissa: bigint;
    readonly exponent: number;
}

/** Parses a quantity such as `500m`, `1.5Gi`, `2e3`; undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
    const m = QuantityPattern.exec(text);
    if (m === null) {
        return undefined;
    }
    const whole = m[1] ?? "0";
    const fraction = m[2] ?? m[3] ?? "";
    let mantissa = BigInt(`${whole}${fraction}`);
    let exponent = -fraction.length;
    const suffix = m[6];
    if (m[4] !== undefined) {
        exponent += Number(m[5]);
    } else if (suffix !== undefined && suffix in BinaryPowers) {
        mantissa *= 2n ** BigInt(BinaryPowers[suffix] ?? 0);
    } else if (suffix !== undefined) {
        exponent += DecimalPowers[suffix] ?? 0;
    }
    return { mantissa, exponent };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (`Quantity.Cmp`). */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
    if (a.mantissa === 0n || b.mantissa === 0n) {
        return a.mantissa === b.mantissa ? 0 : a.mantissa === 0n ? -1 : 1;
    }
    // Beyond this many powers of ten the larger exponent wins whatever the mantissas are.
    const digits = a.mantissa.toString().length + b.mantissa.toString().length + 1;
    const shift = a.exponent - b.exponent;
    if (shift > digits) {
        return 1;
    }
    if (shift < -digits) {
        return -1;
    }
    const left = shift >= 0 ? a.mantissa * 10n ** BigInt(shift) : a.mantissa;
    const right = shift < 0 ? b.mantissa * 10n ** BigInt(-shift) : b.mantissa;
    return left < right ? -1 : left > right ? 1 : 0;
}
