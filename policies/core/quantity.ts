/**
 * Kubernetes resource quantities (`10Gi`, `10240Mi`, `1.5G`, `500m`, `1e3`), parsed exactly so
 * that they compare by value: `10Gi` equals `10240Mi`. The grammar is that of
 * k8s.io/apimachinery `resource.Quantity`: a signed decimal number, then a binary suffix
 * (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent
 * (`e3`, `E-2`). The pack has its own copy because it must not import the program.
 */

/** A quantity as an exact fraction `num / den` (den > 0). */
interface Fraction {
    readonly num: bigint;
    readonly den: bigint;
}

const binaryPowers: Readonly<Record<string, bigint>> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const decimalPowers: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const grammar = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** Parses a quantity; undefined when it is not one. Numbers are taken as written. */
export function parseQuantity(value: string | number): Fraction | undefined {
    const m = grammar.exec(String(value).trim());
    if (m === null) {
        return undefined;
    }
    const [, sign = "", number = "", suffix, exponent] = m;
    const [whole = "", fraction = ""] = number.split(".");
    let num = BigInt(`${whole}${fraction}` || "0") * (sign === "-" ? -1n : 1n);
    let den = 10n ** BigInt(fraction.length);
    const binary = suffix === undefined ? undefined : binaryPowers[suffix];
    if (binary !== undefined) {
        num *= 2n ** binary;
    } else {
        const power =
            exponent !== undefined ? Number(exponent) : suffix === undefined ? 0 : (decimalPowers[suffix] ?? 0);
        if (power >= 0) {
            num *= 10n ** BigInt(power);
        } else {
            den *= 10n ** BigInt(-power);
        }
    }
    return { num, den };
}

/**
 * Compares two quantities by value: negative when `a < b`, 0 when equal, positive when `a > b`;
 * undefined when either is not a quantity.
 */
export function compareQuantities(a: string | number, b: string | number): number | undefined {
    const x = parseQuantity(a);
    const y = parseQuantity(b);
    if (x === undefined || y === undefined) {
        return undefined;
    }
    const d = x.num * y.den - y.num * x.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** True when both are the same quantity by value (`10Gi` and `10240Mi`), or the same text. */
export function sameQuantity(a: string | number, b: string | number): boolean {
    return compareQuantities(a, b) === 0 || String(a) === String(b);
}
