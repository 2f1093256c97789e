/**
 * Break-glass overrides, scoped to one change: in the policy config,
 * `{"<rule>": {"override": {"reason": "...", "expires": "YYYY-MM-DD", "cluster": "demo", "tier": "store", "from": 4, "to": 3}}}`
 * turns that rule's violation about that cluster, tier and transition into an advisory one while
 * the override is valid. Valid means: a reason that says something, an expiry in the future but at
 * most `MaxOverrideDays` ahead, `rules` (when given) naming the rule, and a scope equal to the
 * violation's: same cluster and tier, and the exact `from -> to` when the violation is a replica
 * transition (absent otherwise). A rule may also mark a violation as never overridable (the store
 * floor) or limit it (one store at a time). Anything else is ignored, and the (still mandatory)
 * violation says why and shows the override that would match.
 */
import { MaxOverrideDays } from "./config";
import type { TierKind } from "./naming";

/** A replica transition, deployed -> requested. */
export interface Transition {
    readonly from: number;
    readonly to: number;
}

/** What one violation is about; an override must name the same. */
export interface OverrideScope {
    readonly cluster: string;
    readonly tier: TierKind;
    /** Present on replica transitions: the override must name exactly this one. */
    readonly transition?: Transition;
}

/** The state of a rule's override at a moment, for one violation. */
export type OverrideState =
    | { readonly kind: "none" }
    | { readonly kind: "active"; readonly reason: string; readonly expires: string }
    | { readonly kind: "ignored"; readonly why: string };

/** Fewest characters, and letters among them, of a reason. */
export const MinReasonLength = 10;
const MinReasonLetters = 5;

const dayMs = 24 * 60 * 60 * 1000;
const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses `expires`: a date (`YYYY-MM-DD`, valid through the end of that day, UTC) or an ISO time
 * with a zone (`2025-06-30T18:00:00Z`). Returns the first instant at which the override is void.
 */
/** A config value for a message: a string as is, anything else as JSON. */
function valueText(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

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

/** The last day (UTC, `YYYY-MM-DD`) an override written at `now` may name: tomorrow, for examples. */
export function exampleExpiry(now: Date): string {
    return new Date(now.getTime() + dayMs).toISOString().slice(0, 10);
}

/**
 * Checks the reason and the expiry shared by every time-boxed exception (break-glass overrides,
 * `baselineUnreadable` allowances): a reason of at least `MinReasonLength` characters with words in
 * it, and an expiry after `now` and at most `MaxOverrideDays` ahead.
 */
export function checkReasonAndExpiry(
    o: { readonly reason?: unknown; readonly expires?: unknown },
    now: Date,
):
    | { readonly ok: true; readonly reason: string; readonly expires: string }
    | { readonly ok: false; readonly why: string } {
    const reason = typeof o.reason === "string" ? o.reason.trim() : "";
    if (reason === "") {
        return { ok: false, why: "it has no reason; say why the rule is bypassed (ticket, person, plan)" };
    }
    const letters = (reason.match(/\p{L}/gu) ?? []).length;
    if (reason.length < MinReasonLength || letters < MinReasonLetters) {
        return {
            ok: false,
            why: `its reason "${reason}" says nothing; write at least ${MinReasonLength} characters: why, who, which ticket`,
        };
    }
    if (typeof o.expires !== "string" || o.expires.trim() === "") {
        return { ok: false, why: "it has no expires date (YYYY-MM-DD or ISO time)" };
    }
    const expires = o.expires.trim();
    const end = parseExpiry(expires);
    if (end === undefined) {
        return { ok: false, why: `expires "${expires}" is not a date (YYYY-MM-DD) or an ISO time with a zone` };
    }
    if (end.getTime() <= now.getTime()) {
        return { ok: false, why: `it expired (${expires})` };
    }
    // A date-only expiry ends at the close of its day: allow MaxOverrideDays whole days ahead.
    const limit = now.getTime() + MaxOverrideDays * dayMs + (dateOnly.test(expires) ? dayMs : 0);
    if (end.getTime() > limit) {
        return {
            ok: false,
            why: `expires ${expires} is more than ${MaxOverrideDays} days ahead; exceptions are short-lived`,
        };
    }
    return { ok: true, reason, expires };
}

/** The override JSON that would match `scope`, for messages (reason and expiry to fill in). */
export function overrideExample(rule: string, scope: OverrideScope | undefined, now: Date): string {
    const t = scope?.transition;
    const fields = [
        `"reason": "<why, who, ticket>"`,
        `"expires": "${exampleExpiry(now)}"`,
        `"cluster": "${scope?.cluster ?? "<cluster>"}"`,
        `"tier": "${scope?.tier ?? "<pd|store>"}"`,
        ...(t === undefined ? [] : [`"from": ${t.from}`, `"to": ${t.to}`]),
    ];
    return `{"${rule}": {"override": {${fields.join(", ")}}}}`;
}

function scopeMismatch(o: Record<string, unknown>, scope: OverrideScope | undefined): string | undefined {
    if (scope === undefined) {
        return "this violation is not about one tier, so no override applies to it";
    }
    if (o["cluster"] === undefined || o["tier"] === undefined) {
        return "it does not name the cluster and tier it is for (the form without them is no longer accepted)";
    }
    if (o["cluster"] !== scope.cluster || o["tier"] !== scope.tier) {
        return `it is for cluster "${valueText(o["cluster"])}", tier ${valueText(o["tier"])}, not cluster "${scope.cluster}", tier ${scope.tier}`;
    }
    const t = scope.transition;
    if (t === undefined) {
        return o["from"] === undefined && o["to"] === undefined
            ? undefined
            : "it names a transition (from, to), but this violation is not a replica change";
    }
    if (o["from"] !== t.from || o["to"] !== t.to) {
        const named =
            o["from"] === undefined && o["to"] === undefined
                ? "no transition"
                : `${String(o["from"])} -> ${String(o["to"])}`;
        return `it names ${named}, but this change is ${t.from} -> ${t.to}`;
    }
    return undefined;
}

/** Validates the override of `rule` for a violation about `scope`, at `now`. */
export function evaluateOverride(
    raw: unknown,
    rule: string,
    scope: OverrideScope | undefined,
    now: Date,
): OverrideState {
    if (raw === undefined || raw === null) {
        return { kind: "none" };
    }
    const example = overrideExample(rule, scope, now);
    if (typeof raw !== "object" || Array.isArray(raw)) {
        return { kind: "ignored", why: `override must be an object like ${example}` };
    }
    const o = raw as Record<string, unknown>;
    const rules = o["rules"];
    if (rules !== undefined) {
        if (!Array.isArray(rules) || !rules.every((r) => typeof r === "string")) {
            return { kind: "ignored", why: "override.rules must be a list of rule names" };
        }
        if (!rules.includes(rule)) {
            return { kind: "ignored", why: `override.rules (${rules.join(", ") || "empty"}) does not name ${rule}` };
        }
    }
    const mismatch = scopeMismatch(o, scope);
    if (mismatch !== undefined) {
        return {
            kind: "ignored",
            why: scope === undefined ? mismatch : `${mismatch}; the override for this change is ${example}`,
        };
    }
    const checked = checkReasonAndExpiry(o, now);
    if (!checked.ok) {
        return { kind: "ignored", why: checked.why };
    }
    return { kind: "active", reason: checked.reason, expires: checked.expires };
}
