/**
 * Break-glass overrides: `{"<rule>": {"override": {"reason": "...", "expires": "2025-06-30"}}}` in
 * the policy config turns that rule's violations into advisory ones while the override is valid.
 * A valid override has a non-empty reason and an expiry in the future but at most
 * `MaxOverrideDays` ahead; `rules`, when given, must name the rule. Anything else is ignored, and
 * the (still mandatory) violation says why.
 */
import { MaxOverrideDays } from "./config";

/** The state of a rule's override at a moment. */
export type OverrideState =
    | { readonly kind: "none" }
    | { readonly kind: "active"; readonly reason: string; readonly expires: string }
    | { readonly kind: "ignored"; readonly why: string };

const dayMs = 24 * 60 * 60 * 1000;
const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses `expires`: a date (`YYYY-MM-DD`, valid through the end of that day, UTC) or an ISO time
 * with a zone (`2025-06-30T18:00:00Z`). Returns the first instant at which the override is void.
 */
export function parseExpiry(text: string): Date | undefined {
    const d = dateOnly.exec(text);
    if (d !== null) {
        const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
        const start = new Date(Date.UTC(y, m - 1, day));
        if (start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== day) {
            return undefined;
        }
        return new Date(start.getTime() + dayMs);
    }
    if (isoTime.test(text)) {
        const t = Date.parse(text);
        return Number.isNaN(t) ? undefined : new Date(t);
    }
    return undefined;
}

/** Validates the override of `rule` at `now`. */
export function evaluateOverride(raw: unknown, rule: string, now: Date): OverrideState {
    if (raw === undefined || raw === null) {
        return { kind: "none" };
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
        return { kind: "ignored", why: 'override must be an object like {"reason": "...", "expires": "YYYY-MM-DD"}' };
    }
    const o = raw as { reason?: unknown; expires?: unknown; rules?: unknown };
    if (o.rules !== undefined) {
        if (!Array.isArray(o.rules) || !o.rules.every((r) => typeof r === "string")) {
            return { kind: "ignored", why: "override.rules must be a list of rule names" };
        }
        if (!o.rules.includes(rule)) {
            return { kind: "ignored", why: `override.rules (${o.rules.join(", ") || "empty"}) does not name ${rule}` };
        }
    }
    if (typeof o.reason !== "string" || o.reason.trim() === "") {
        return { kind: "ignored", why: "it has no reason; say why the guard is bypassed (ticket, person, plan)" };
    }
    if (typeof o.expires !== "string" || o.expires.trim() === "") {
        return { kind: "ignored", why: "it has no expires date (YYYY-MM-DD or ISO time)" };
    }
    const expires = o.expires.trim();
    const end = parseExpiry(expires);
    if (end === undefined) {
        return { kind: "ignored", why: `expires "${expires}" is not a date (YYYY-MM-DD) or an ISO time with a zone` };
    }
    if (end.getTime() <= now.getTime()) {
        return { kind: "ignored", why: `it expired (${expires})` };
    }
    // A date-only expiry ends at the close of its day: allow MaxOverrideDays whole days ahead.
    const limit = now.getTime() + MaxOverrideDays * dayMs + (dateOnly.test(expires) ? dayMs : 0);
    if (end.getTime() > limit) {
        return {
            kind: "ignored",
            why: `expires ${expires} is more than ${MaxOverrideDays} days ahead; break-glass overrides are short-lived`,
        };
    }
    return { kind: "active", reason: o.reason.trim(), expires };
}
