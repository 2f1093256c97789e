/**
 * Which stack is running, as `<project>/<stack>`: what an object's `elasticell.io/pulumi-stack`
 * annotation is compared with. Sources, first hit wins: the rule's `stack` config, the run context
 * (the engine's ConfigureStack, then the environment; see `engine-context.ts`), then the
 * annotation the plan itself puts on elasticell StatefulSets.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { RunContext } from "./engine-context";
import { StackAnnotation } from "./naming";

/** The running stack and where that came from (for messages). */
export interface StackIdentity {
    /** `<project>/<stack>`. */
    readonly value: string;
    readonly source: string;
}

/** Config of the rules that compare owners. */
export interface StackConfig {
    /** `<project>/<stack>` of the running stack, when the engine and environment do not tell. */
    readonly stack?: string;
}

/** Schema of the `stack` config property. */
export const stackSchemaProperties: PolicyConfigSchema["properties"] = {
    stack: {
        type: "string",
        pattern: "^[^/]+/[^/]+$",
        description: "<project>/<stack> of the running stack, when the engine and environment do not tell the pack.",
    },
};

/** The running stack from the rule's `stack` config, then the run context; undefined when neither tells. */
export function configuredStack(config: StackConfig, context: RunContext): StackIdentity | undefined {
    if (typeof config.stack === "string" && config.stack.includes("/")) {
        return { value: config.stack, source: "policy config `stack`" };
    }
    if (context.project !== undefined && context.stack !== undefined) {
        return { value: `${context.project}/${context.stack}`, source: context.source ?? "the engine" };
    }
    return undefined;
}

/**
 * The running stack from the annotations the plan puts on its StatefulSets: only when they all
 * name one stack. `what` names the planned objects, for the source text.
 */
export function stackFromAnnotations(owners: Iterable<string>, what: string): StackIdentity | undefined {
    const distinct = [...new Set(owners)];
    const [only] = distinct;
    return distinct.length === 1 && only !== undefined
        ? { value: only, source: `the ${StackAnnotation} annotation of ${what}` }
        : undefined;
}
