/**
 * Runs policies of `policies/` directly, the way `@pulumi/policy`'s analyzer server does: builds
 * `ResourceValidationArgs` / `StackValidationArgs` (type from the resource class's
 * `__pulumiType`, props behind the SDK's unknown-checking proxy, `isType`, `asType`, `getConfig`,
 * `provider`), calls `validateResource` / `validateStack` and collects the violations with the
 * level the server would report. Never imports `policies/index.ts` (that starts a server).
 */
import type {
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "../../policies/core/sdk";
import { UnknownValueError, unknownCheckingProxy } from "../../policies/core/sdk";

/** One reported violation. */
export interface Violation {
    readonly policy: string;
    readonly level: EnforcementLevel;
    readonly message: string;
    readonly urn?: string;
}

/** Policy config of one policy, as in a `--policy-pack-config` file. */
export type PolicyConfig = Record<string, unknown> & { enforcementLevel?: EnforcementLevel };

/** Anything carrying a Pulumi type token (a resource class, or our type markers). */
export interface Typed {
    readonly __pulumiType?: string;
}

/** The type token of a resource class (what `isType` compares). */
export function typeOf(resourceClass: unknown): string {
    const t = (resourceClass as Typed | undefined)?.__pulumiType;
    if (typeof t !== "string") {
        throw new Error("resource class has no __pulumiType");
    }
    return t;
}

class NotApplicable extends Error {}

const defaultOpts = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** A Kubernetes provider as the engine describes it to policies. */
export function k8sProvider(props: Record<string, unknown>, name = "k8s"): PolicyProviderResource {
    return {
        type: "pulumi:providers:kubernetes",
        props: unknownCheckingProxy(structuredClone(props)),
        urn: `urn:pulumi:test::elasticell::pulumi:providers:kubernetes::${name}`,
        name,
    };
}

function levelOf(
    policy: { name: string; enforcementLevel?: EnforcementLevel },
    config: PolicyConfig,
): EnforcementLevel {
    return config.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

function configOf(config: PolicyConfig): <T extends object>() => T {
    // The level is the engine's business; a policy's getConfig() never sees it.
    const props: Record<string, unknown> = { ...config };
    delete props["enforcementLevel"];
    return <T extends object>() => structuredClone(props) as T;
}

/** Mirrors `makeReportViolationFun` of `@pulumi/policy` 1.21.0 (string and object forms). */
function collector(policy: { name: string; description: string }, level: EnforcementLevel, out: Violation[]) {
    return (message: unknown, urn?: string): void => {
        if (message !== null && typeof message === "object") {
            const v = message as { message?: string; enforcementLevel?: EnforcementLevel; urn?: string };
            out.push({
                policy: policy.name,
                level: v.enforcementLevel ?? level,
                message: v.message ?? policy.description,
                ...(v.urn === undefined ? {} : { urn: v.urn }),
            });
            return;
        }
        const text =
            typeof message === "string" && message !== "" ? `${policy.description}\n${message}` : policy.description;
        out.push({ policy: policy.name, level, message: text, ...(urn === undefined ? {} : { urn }) });
    };
}

function handle(err: unknown, policy: { name: string }, out: Violation[]): void {
    if (err instanceof NotApplicable) {
        return;
    }
    if (err instanceof UnknownValueError) {
        out.push({
            policy: policy.name,
            level: "advisory",
            message: `can't run policy '${policy.name}' during preview: ${err.message}`,
        });
        return;
    }
    throw err;
}

/** A resource to validate. */
export interface ResourceCase {
    /** Resource class (or type marker) whose `__pulumiType` is the resource type. */
    readonly resourceClass: unknown;
    /** Inputs; may contain unknown sentinels (`unknownValues` of policies/sdk). */
    readonly props: object;
    readonly name?: string;
    readonly provider?: PolicyProviderResource;
    /** This policy's config. */
    readonly config?: PolicyConfig;
}

/** Runs one resource policy on one resource. */
export async function validateResource(policy: ResourceValidationPolicy, c: ResourceCase): Promise<Violation[]> {
    const config = c.config ?? {};
    const level = levelOf(policy, config);
    if (level === "disabled" || policy.validateResource === undefined) {
        return [];
    }
    const type = typeOf(c.resourceClass);
    const name = c.name ?? "res";
    const props = unknownCheckingProxy(structuredClone(c.props) as Record<string, unknown>);
    const out: Violation[] = [];
    const args: ResourceValidationArgs = {
        type,
        props,
        urn: `urn:pulumi:test::elasticell::${type}::${name}`,
        name,
        opts: defaultOpts,
        stackTags: new Map(),
        isType: (cls) => typeOf(cls) === type,
        asType: ((cls: unknown) => (typeOf(cls) === type ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: configOf(config),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
        ...(c.provider === undefined ? {} : { provider: c.provider }),
    };
    const report = collector(policy, level === "remediate" ? "mandatory" : level, out);
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const v of validations) {
        try {
            await v(args, report);
        } catch (err) {
            handle(err, policy, out);
        }
    }
    return out;
}

/** A resource of a planned stack. */
export interface StackResource {
    readonly resourceClass?: unknown;
    /** Type token, when there is no class (e.g. `pulumi:providers:kubernetes`). */
    readonly type?: string;
    readonly props: object;
    readonly name: string;
    readonly provider?: PolicyProviderResource;
}

/** A planned stack to validate. */
export interface StackCase {
    readonly resources: readonly StackResource[];
    readonly config?: PolicyConfig;
    readonly stackTags?: ReadonlyMap<string, string>;
}

/** Runs one stack policy on a planned stack. */
export async function validateStack(policy: StackValidationPolicy, c: StackCase): Promise<Violation[]> {
    const config = c.config ?? {};
    const level = levelOf(policy, config);
    if (level === "disabled") {
        return [];
    }
    const resources: PolicyResource[] = c.resources.map((r) => {
        const type = r.type ?? typeOf(r.resourceClass);
        const props = unknownCheckingProxy(structuredClone(r.props) as Record<string, unknown>);
        return {
            type,
            props,
            urn: `urn:pulumi:test::elasticell::${type}::${r.name}`,
            name: r.name,
            opts: defaultOpts,
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => typeOf(cls) === type,
            asType: ((cls: unknown) => (typeOf(cls) === type ? props : undefined)) as PolicyResource["asType"],
            ...(r.provider === undefined ? {} : { provider: r.provider }),
        };
    });
    const out: Violation[] = [];
    const args: StackValidationArgs = {
        resources,
        stackTags: c.stackTags ?? new Map(),
        getConfig: configOf(config),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    try {
        await policy.validateStack(args, collector(policy, level === "remediate" ? "mandatory" : level, out));
    } catch (err) {
        handle(err, policy, out);
    }
    return out;
}
