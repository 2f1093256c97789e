/**
 * The parts of `@pulumi/policy` this pack (and its tests) use, re-exported from one place so
 * code outside `policies/` (the tests) resolves them through this package's node_modules.
 *
 * `UnknownValueError` and `unknownCheckingProxy` are exported by the SDK at run time, but its
 * published typings strip them (`proxy.d.ts` is empty), so they are typed here.
 */
import * as policySdk from "@pulumi/policy";
// Its declaration file exports nothing (`export {}`), so `unknownValues` states the shape it has.
import * as policyProxy from "@pulumi/policy/proxy";

export type {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    PolicyProviderResource,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
export { validateResourceOfType } from "@pulumi/policy";

/** Error the SDK's property proxy throws when a policy reads a value unknown during preview. */
export interface UnknownValueErrorInstance extends Error {
    /** Property path that was read, e.g. ["spec", "replicas"]. */
    readonly props: readonly (string | symbol)[];
}

const runtime = policySdk as unknown as {
    UnknownValueError: abstract new (...args: never[]) => UnknownValueErrorInstance;
    unknownCheckingProxy: <T extends object>(props: T) => T;
};

/** The SDK's `UnknownValueError` class (for `instanceof`). */
export const UnknownValueError = runtime.UnknownValueError;

/** Wraps properties the way the SDK does before calling a policy: reading an unknown value throws. */
export const unknownCheckingProxy = runtime.unknownCheckingProxy;

/** The wire sentinels for unknown values (`@pulumi/policy/proxy`, shared with `@pulumi/pulumi`). */
export const unknownValues = policyProxy as unknown as {
    readonly unknownNumberValue: string;
    readonly unknownStringValue: string;
    readonly unknownObjectValue: string;
};
