/**
 * Config checks that hold a value to what the Kubernetes API server would
 * accept in the object it ends up in (label and annotation maps, tolerations,
 * requests against limits, StorageClass names, the annotation size of one
 * object), so a bad value is refused before anything is registered instead of
 * half-way through `pulumi up`. Each problem carries the fix, as in
 * config-fields.ts. The rules themselves are in k8s-validation.ts.
 */
import isString from "lodash/isString";
import pickBy from "lodash/pickBy";
import { z } from "zod";
import {
    annotationKeyProblems,
    compareQuantities,
    dns1123SubdomainProblems,
    labelValueProblems,
    parseQuantity,
    qualifiedNameProblems,
    tolerationProblems,
    type TolerationInput,
} from "./k8s-validation";

type Ctx = z.core.$RefinementCtx<unknown>;

/**
 * A refinement that runs even when sibling fields already failed (zod skips
 * object refinements then by default), so one run lists every problem. It
 * sees the value as parsed so far, so it checks types before use.
 */
export function always(fn: (value: unknown, ctx: Ctx) => void): z.core.$ZodCheck<unknown> {
    const check = z.superRefine<unknown>(fn);
    check._zod.def.when = () => true;
    return check;
}

/** A plain map (not null, not an array): raw config a check may read keys of. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The string values of a map not yet validated (a budget check runs beside the field checks, so it
 * sees raw input): anything else counts as absent; not a map: `{}`.
 */
export function stringValues(map: unknown): Record<string, string> {
    return isRecord(map) ? pickBy(map, isString) : {};
}

/** Adds a problem with its fix; without `input` the value is not echoed (the path names the key at fault). */
export function issue(ctx: Ctx, path: PropertyKey[], message: string, fix: string, input?: unknown): void {
    ctx.addIssue({ code: "custom", path, input, message, params: { fix, quiet: input === undefined } });
}

/** The closest valid label value (offered as a fix): letters, digits, '-', '_', '.', alphanumeric at both ends. */
export function toLabelValue(s: string): string {
    const trim = (v: string) => v.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    return trim(trim(s.replace(/[^-A-Za-z0-9_.]+/g, "-")).slice(0, 63));
}

/** The closest DNS subdomain (offered as a fix), `fallback` when nothing is left. */
export function toDnsSubdomain(s: string, fallback: string): string {
    const trim = (v: string) => v.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
    const out = trim(
        trim(
            s
                .toLowerCase()
                .replace(/[^-a-z0-9.]+/g, "-")
                .replace(/\.{2,}/g, "."),
        ).slice(0, 253),
    );
    return out === "" ? fallback : out;
}

/** The closest qualified name (a label key) to a string, offered as a fix. */
function toQualifiedName(s: string): string {
    const slash = s.lastIndexOf("/");
    const name = toLabelValue(s.slice(slash + 1)) || "key";
    return slash < 0 ? name : `${toDnsSubdomain(s.slice(0, slash), "example.com")}/${name}`;
}

/**
 * A map of label keys to label values (`labels`, `nodeSelector`), as
 * `ValidateLabels` checks it. `reserved` keys are set by the program, so a
 * value given here would be silently replaced: they are refused.
 */
export function labelMap(reserved: readonly string[] = []) {
    return z.record(z.string(), z.string()).check(
        always((map, ctx) => {
            if (!isRecord(map)) {
                return;
            }
            for (const [key, value] of Object.entries(map)) {
                const keyProblems = qualifiedNameProblems(key);
                if (keyProblems.length > 0) {
                    issue(ctx, [key], `is not a valid label key: ${keyProblems.join("; ")}`, "rm");
                } else if (reserved.includes(key)) {
                    issue(
                        ctx,
                        [key],
                        "is set by the program on every object (selectors rely on it); a value here would be replaced",
                        "rm",
                    );
                }
                const valueProblems = typeof value === "string" ? labelValueProblems(value) : [];
                if (valueProblems.length > 0) {
                    issue(
                        ctx,
                        [key],
                        `is not a valid label value: ${valueProblems.join("; ")}`,
                        toLabelValue(value as string),
                        value,
                    );
                }
            }
        }),
    );
}

/** Annotation keys as `ValidateAnnotations` checks them (qualified names, case aside). */
export const annotationKeys = always((map, ctx) => {
    if (!isRecord(map)) {
        return;
    }
    for (const key of Object.keys(map)) {
        const problems = annotationKeyProblems(key);
        if (problems.length > 0) {
            issue(ctx, [key], `is not a valid annotation key: ${problems.join("; ")}`, "rm");
        }
    }
});

/** A toleration as `ValidateTolerations` checks it; each problem names the field to change. */
export const tolerationRules = always((t, ctx) => {
    if (!isRecord(t)) {
        return;
    }
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const input: TolerationInput = {
        key: str(t.key),
        operator: str(t.operator),
        value: str(t.value),
        effect: str(t.effect),
        tolerationSeconds: typeof t.tolerationSeconds === "number" ? t.tolerationSeconds : undefined,
    };
    const problems = tolerationProblems(input);
    // The operator fix (Exists) makes any value invalid in turn, so then the value's fix is to remove it.
    const becomesExists = input.operator === "Exists" || problems.some((p) => p.field === "operator");
    for (const p of problems) {
        const fix =
            p.field === "operator"
                ? "Exists"
                : p.field === "key"
                  ? toQualifiedName(input.key ?? "")
                  : p.field === "value" && !becomesExists
                    ? toLabelValue(input.value ?? "")
                    : "rm";
        issue(ctx, [p.field], p.message, fix, t[p.field]);
    }
    if (becomesExists && (input.value ?? "") !== "" && !problems.some((p) => p.field === "value")) {
        issue(
            ctx,
            ["value"],
            "must be removed with operator Exists (the fix above: an empty key with Exists tolerates every taint; to tolerate one taint, set its key instead)",
            "rm",
            t.value,
        );
    }
});

/** Requests at most their limits (`validateResourceRequirements`), compared as quantities, not as text. */
export const requestsWithinLimits = always((resources, ctx) => {
    if (!isRecord(resources) || !isRecord(resources.requests) || !isRecord(resources.limits)) {
        return;
    }
    for (const name of ["cpu", "memory"]) {
        const request = resources.requests[name];
        const limit = resources.limits[name];
        if (typeof request !== "string" || typeof limit !== "string") {
            continue;
        }
        const r = parseQuantity(request);
        const l = parseQuantity(limit);
        if (r !== undefined && l !== undefined && compareQuantities(r, l) > 0) {
            issue(
                ctx,
                ["requests", name],
                `must be at most limits.${name} (${limit}): the API server refuses a request above its limit`,
                limit,
                request,
            );
        }
    }
});

/** A StorageClass name: a DNS subdomain (`ValidateClassName`). */
export const storageClassName = z.string().superRefine((name, ctx) => {
    const problems = dns1123SubdomainProblems(name);
    if (problems.length > 0) {
        issue(
            ctx,
            [],
            `is not a valid StorageClass name: ${problems.join("; ")}`,
            toDnsSubdomain(name, "standard"),
            name,
        );
    }
});
