/**
 * Reading untyped API JSON (manifests, API answers, kubeconfig documents) without trusting its
 * shape: every helper answers undefined or an empty value where the data is not what it expects.
 */

/** A string-keyed map of strings; other values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        for (const [k, val] of Object.entries(v)) {
            if (typeof val === "string") {
                out[k] = val;
            }
        }
    }
    return out;
}

/** The strings of a list; other values are dropped. */
export function stringList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A non-empty string, else undefined. */
export function optString(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** `obj.a.b.c`, or undefined where a step is not an object. */
export function at(obj: unknown, ...path: readonly string[]): unknown {
    let v = obj;
    for (const k of path) {
        if (v === null || typeof v !== "object" || Array.isArray(v)) {
            return undefined;
        }
        v = (v as Record<string, unknown>)[k];
    }
    return v;
}

/** The objects of a list; other values are dropped. */
export function objects(v: unknown): object[] {
    return Array.isArray(v) ? v.filter((x): x is object => x !== null && typeof x === "object") : [];
}
