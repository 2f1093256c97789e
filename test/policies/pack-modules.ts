/**
 * The modules of the pack's own node_modules that tests drive the pack with (gRPC, the analyzer
 * protobufs, the SDK's analyze handler), loaded the way the pack loads them and typed with the
 * declarations the root project installs. The pack's copies are the ones whose behaviour counts
 * (a pinned @pulumi/policy), so they are required from policies/, not imported from the root.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as Grpc from "@grpc/grpc-js";
import type * as AnalyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policies/core/sdk";

/** The policy pack's directory. */
export const PackDir = path.resolve(__dirname, "../../policies");

/** `require` as seen from the pack. */
export const packRequire = createRequire(path.join(PackDir, "package.json"));

/** @grpc/grpc-js as @pulumi/policy loads it. */
export const grpc = createRequire(packRequire.resolve("@pulumi/policy"))("@grpc/grpc-js") as typeof Grpc;

/** The analyzer messages. */
export const analyzerPb = packRequire("@pulumi/pulumi/proto/analyzer_pb") as typeof AnalyzerPb;

/** The analyzer service and client. */
export const analyzerGrpc = packRequire("@pulumi/pulumi/proto/analyzer_grpc_pb") as typeof AnalyzerGrpc;

/** `google.protobuf.Struct`. */
export const structPb = packRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;

/** `google.protobuf.Empty`. */
export const emptyPb = packRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;

/** The part of `@pulumi/policy/server.js` tests call: the Analyze handler the server registers. */
export interface PolicyServer {
    makeAnalyzeRpcFun(
        name: string,
        version: string,
        enforcementLevel: string,
        policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
    ): (
        call: { request: AnalyzerPb.AnalyzeRequest },
        callback: (err: Error | null, res: AnalyzerPb.AnalyzeResponse) => void,
    ) => unknown;
}

/** `@pulumi/policy/server.js` of the pack. */
export const policyServer = packRequire("@pulumi/policy/server.js") as PolicyServer;

/** A diagnostic as tests compare it: policy, level name and message. */
export interface Diagnostic {
    readonly policy: string;
    readonly level: string;
    readonly message: string;
}

/** Names of the enforcement levels by their wire value (`ADVISORY`, `MANDATORY`, ...). */
export const LevelNames: Readonly<Record<number, string>> = Object.fromEntries(
    Object.entries(analyzerPb.EnforcementLevel).map(([k, v]) => [v, k]),
);

/** The diagnostics of an Analyze or AnalyzeStack answer. */
export function diagnosticsOf(res: AnalyzerPb.AnalyzeResponse): Diagnostic[] {
    return res.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        level: LevelNames[d.getEnforcementlevel()] ?? "?",
        message: d.getMessage(),
    }));
}

/** A gRPC callback that settles a promise: `new Promise((ok, fail) => client.x(req, settle(ok, fail)))`. */
export function settle<T>(
    resolve: (value: T) => void,
    reject: (err: Error) => void,
): (err: Grpc.ServiceError | null, value: T) => void {
    return (err, value) => (err === null ? resolve(value) : reject(err));
}

/** `value` as a `google.protobuf.Struct`, through JSON as the engine sends it. */
export function toStruct(value: object): StructPb.Struct {
    return structPb.Struct.fromJavaScript(
        JSON.parse(JSON.stringify(value)) as Record<string, StructPb.JavaScriptValue>,
    );
}
