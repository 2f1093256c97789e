/**
 * Reporting a violation at a chosen level.
 *
 * `reportViolation(message)` reports at the policy's level (its `enforcementLevel`, or what the
 * policy config sets). A rule cannot lower the level of one violation through the public API of
 * `@pulumi/policy` 1.21.0, but the SDK accepts an object form, `reportViolation({message,
 * enforcementLevel, urn})`, whose level wins (pulumi/pulumi-policy#424, "kept private for now";
 * see `makeReportViolationFun` in `@pulumi/policy/server.js`). We use it only to *downgrade* to
 * advisory (valid override, value unknown at preview, a valid `baselineUnreadable` allowance); mandatory
 * violations use the public string form, so a user's own config (`enforcementLevel`) still rules.
 * `test/policies/core/sdk.test.ts` runs the SDK's real analyze handler to prove both paths.
 */
import type { ReportViolation } from "@pulumi/policy";

/** The two levels a rule reports at. */
export type Level = "mandatory" | "advisory";

/** The object form of `reportViolation` accepted by `@pulumi/policy` 1.21.0. */
export interface ViolationObject {
    readonly message: string;
    readonly enforcementLevel: "advisory";
    readonly urn?: string;
}

/** Everything needed to report for one policy run. */
export interface Reporter {
    readonly reportViolation: ReportViolation;
    /** Policy description; prefixed to object-form messages as the SDK does for string ones. */
    readonly description: string;
    /** URN the violation is about (stack policies); resource policies may omit it. */
    readonly urn?: string;
}

/** Reports `message` at `level`; advisory uses the SDK's object form, mandatory the public string form. */
export function report(r: Reporter, level: Level, message: string, urn: string | undefined = r.urn): void {
    if (level === "mandatory") {
        r.reportViolation(message, urn);
        return;
    }
    const violation: ViolationObject = {
        message: `${r.description}\n${message}`,
        enforcementLevel: "advisory",
        ...(urn === undefined ? {} : { urn }),
    };
    (r.reportViolation as unknown as (v: ViolationObject) => void)(violation);
}
