import { UnknownValueError } from "./sdk";

/**
 * A value read from resource properties: known, or unknown because it is computed from another
 * resource's output that the engine cannot know during `pulumi preview`.
 */
export type Known<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly detail: string };

/**
 * Runs `get` and turns the `UnknownValueError` that `@pulumi/policy`'s property proxy throws for
 * unknown values into `{ known: false }`. Any other error propagates.
 */
export function readKnown<T>(get: () => T): Known<T> {
    try {
        return { known: true, value: get() };
    } catch (err) {
        if (err instanceof UnknownValueError) {
            return { known: false, detail: err.message };
        }
        throw err;
    }
}

/** A string property, or `undefined` when it is absent or not a string (never throws for unknowns). */
export function knownString(get: () => unknown): Known<string | undefined> {
    const v = readKnown(get);
    if (!v.known) {
        return v;
    }
    return { known: true, value: typeof v.value === "string" && v.value !== "" ? v.value : undefined };
}

/** A deep plain copy of `v`, read through the SDK's proxy, so an unknown anywhere inside throws. */
function toPlain(v: unknown): unknown {
    if (Array.isArray(v)) {
        return Array.from({ length: v.length }, (_, i) => toPlain(v[i]));
    }
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            out[k] = toPlain((v as Record<string, unknown>)[k]);
        }
        return out;
    }
    return v;
}

/**
 * A whole planned subtree as plain data: unknown when any value inside is unknown at preview
 * (the detail names the first unknown path). Use it for values compared as a whole.
 */
export function readPlain<T>(get: () => T): Known<T> {
    return readKnown(() => toPlain(get()) as T);
}
