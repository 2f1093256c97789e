/**
 * What the pack knows about the run: project, stack and whether this is a preview.
 *
 * Sources, first hit wins:
 * 1. The engine's `ConfigureStack` call. Since Pulumi v3.221 the Node.js language host runs policy
 *    packs itself and the engine no longer puts PULUMI_NODEJS_PROJECT/STACK in the pack's
 *    environment; it sends project, stack and dry-run in `ConfigureStack` instead, which
 *    `@pulumi/policy` 1.21.0 answers but only keeps the stack tags of. `captureEngineStack()` wraps
 *    that handler (before the `PolicyPack` starts its server) to record them too.
 * 2. PULUMI_NODEJS_PROJECT / PULUMI_NODEJS_STACK / PULUMI_NODEJS_DRY_RUN (what
 *    `pulumi.getProject()/getStack()/isDryRun()` read; set by the engine on the older
 *    `pulumi-analyzer-policy` path), then PULUMI_PROJECT / PULUMI_STACK / PULUMI_DRY_RUN.
 */
import { createRequire } from "node:module";

/** Project, stack and preview flag of the running update; any may be unknown. */
export interface RunContext {
    readonly project?: string;
    readonly stack?: string;
    readonly organization?: string;
    /** true for `pulumi preview` (and the preview phase of `up`), false for the update itself. */
    readonly dryRun?: boolean;
    /** Where project/stack came from, for messages. */
    readonly source?: string;
}

let fromEngine: RunContext | undefined;

function nonEmpty(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

function call(obj: Record<string, unknown>, method: string): unknown {
    const fn = obj[method];
    return typeof fn === "function" ? (fn as () => unknown).call(obj) : undefined;
}

/** Records project/stack/dry-run from an `AnalyzerStackConfigureRequest` (protobuf message). */
export function recordConfigureStack(request: unknown): void {
    if (request === null || typeof request !== "object") {
        return;
    }
    const req = request as Record<string, unknown>;
    const dryRun = call(req, "getDryRun");
    fromEngine = {
        project: nonEmpty(call(req, "getProject")),
        stack: nonEmpty(call(req, "getStack")),
        organization: nonEmpty(call(req, "getOrganization")),
        dryRun: typeof dryRun === "boolean" ? dryRun : undefined,
        source: "the engine (ConfigureStack)",
    };
}

/** Forgets what `recordConfigureStack` saw (tests only). */
export function resetEngineStack(): void {
    fromEngine = undefined;
}

type Handler = (this: unknown, call: { request?: unknown }, callback: unknown) => unknown;

/** Returns a copy of an Analyzer service implementation whose `configureStack` records the request first. */
export function wrapAnalyzerImplementation<T extends object>(impl: T): T {
    const inner = (impl as Record<string, unknown>)["configureStack"];
    if (typeof inner !== "function") {
        return impl;
    }
    const configureStack: Handler = function (this: unknown, c, callback) {
        try {
            recordConfigureStack(c.request);
        } catch {
            // Recording is best effort; the SDK's own handler still answers the engine.
        }
        return (inner as Handler).call(this, c, callback);
    };
    return { ...impl, configureStack };
}

let captureInstalled = false;

/**
 * Makes the gRPC server that `@pulumi/policy` starts record the engine's `ConfigureStack` request.
 * Call once, before `new PolicyPack(...)`. It patches `Server.prototype.addService` of the
 * `@grpc/grpc-js` copy that `@pulumi/policy` loads, wrapping only `configureStack`.
 */
export function captureEngineStack(): void {
    if (captureInstalled) {
        return;
    }
    const policyRequire = createRequire(require.resolve("@pulumi/policy"));
    const grpc = policyRequire("@grpc/grpc-js") as {
        Server: { prototype: { addService: (service: unknown, impl: object) => void } };
    };
    const original = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: unknown, service: unknown, impl: object): void {
        original.call(this, service, wrapAnalyzerImplementation(impl));
    };
    captureInstalled = true;
}

function parseBool(v: string | undefined): boolean | undefined {
    return v === "true" ? true : v === "false" ? false : undefined;
}

/** The run context from the engine's ConfigureStack, then the environment. */
export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
    const e = fromEngine;
    if (e?.project !== undefined && e.stack !== undefined) {
        return e;
    }
    const nodeProject = nonEmpty(env["PULUMI_NODEJS_PROJECT"]);
    const nodeStack = nonEmpty(env["PULUMI_NODEJS_STACK"]);
    const project = nodeProject ?? nonEmpty(env["PULUMI_PROJECT"]);
    const stack = nodeStack ?? nonEmpty(env["PULUMI_STACK"]);
    const dryRun = e?.dryRun ?? parseBool(env["PULUMI_NODEJS_DRY_RUN"]) ?? parseBool(env["PULUMI_DRY_RUN"]);
    return {
        project,
        stack,
        organization: nonEmpty(env["PULUMI_NODEJS_ORGANIZATION"]) ?? nonEmpty(env["PULUMI_ORGANIZATION"]),
        dryRun,
        source:
            project !== undefined && stack !== undefined
                ? nodeProject !== undefined && nodeStack !== undefined
                    ? "PULUMI_NODEJS_PROJECT/PULUMI_NODEJS_STACK"
                    : "PULUMI_PROJECT/PULUMI_STACK"
                : undefined,
    };
}
