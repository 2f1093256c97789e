/**
 * The `baselineUnreadable` setting: when the deployed state cannot be read, a mandatory rule
 * fails closed ("deny", the default) unless an allowance with a reason and an expiry is in force:
 * `{"<rule>": {"baselineUnreadable": {"allow": {"reason": "...", "expires": "YYYY-MM-DD"}}}}`.
 * The reason and the expiry follow the break-glass rules (`checkReasonAndExpiry` in
 * `override.ts`: a real reason, at most `MaxOverrideDays` ahead). The plain string "allow" of
 * earlier versions is refused: deploying blind must say why and until when.
 */
import { checkReasonAndExpiry, exampleExpiry } from "./override";

/** What an unreadable baseline does under the rule's config. */
export type UnreadableState =
    | { readonly kind: "deny" }
    | { readonly kind: "allowed"; readonly reason: string; readonly expires: string }
    | { readonly kind: "refused"; readonly why: string };

/** The allowance JSON for `rule`, expiring tomorrow, for messages. */
export function unreadableAllowExample(rule: string, now: Date): string {
    return `{"${rule}": {"baselineUnreadable": {"allow": {"reason": "<why, who, ticket>", "expires": "${exampleExpiry(now)}"}}}}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads `raw` (the rule's `baselineUnreadable`) at `now`. */
export function unreadableAllowance(raw: unknown, rule: string, now: Date): UnreadableState {
    if (raw === undefined || raw === null || raw === "deny") {
        return { kind: "deny" };
    }
    const form = `write ${unreadableAllowExample(rule, now)}`;
    if (raw === "allow") {
        return {
            kind: "refused",
            why: `the plain "allow" is no longer accepted: an allowance needs a reason and an expiry; ${form}`,
        };
    }
    if (!isObject(raw) || !isObject(raw["allow"])) {
        return { kind: "refused", why: `it must be "deny" or an object with "allow": {reason, expires}; ${form}` };
    }
    const checked = checkReasonAndExpiry(raw["allow"], now);
    if (!checked.ok) {
        return { kind: "refused", why: `${checked.why}; ${form}` };
    }
    return { kind: "allowed", reason: checked.reason, expires: checked.expires };
}
