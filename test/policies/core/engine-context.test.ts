/** How the pack learns project, stack and dry-run: the engine's ConfigureStack, then the environment. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
    captureEngineStack,
    recordConfigureStack,
    resetEngineStack,
    runContext,
    wrapAnalyzerImplementation,
} from "../../../policies/core/engine-context";

import type { AnalyzerStackConfigureRequest } from "@pulumi/pulumi/proto/analyzer_pb";
import { analyzerGrpc, analyzerPb, grpc } from "../pack-modules";

function configureRequest(project: string, stack: string, dryRun: boolean): AnalyzerStackConfigureRequest {
    const req = new analyzerPb.AnalyzerStackConfigureRequest();
    req.setProject(project);
    req.setStack(stack);
    req.setOrganization("organization");
    req.setDryRun(dryRun);
    return req;
}

describe("engine context", () => {
    afterEach(() => resetEngineStack());

    it("records project, stack and dry-run from ConfigureStack, and prefers them to the environment", () => {
        recordConfigureStack(configureRequest("elasticell", "prod", false));
        const ctx = runContext({ PULUMI_NODEJS_PROJECT: "env-project", PULUMI_NODEJS_STACK: "env-stack" });
        assert.deepEqual(
            { project: ctx.project, stack: ctx.stack, dryRun: ctx.dryRun, source: ctx.source },
            { project: "elasticell", stack: "prod", dryRun: false, source: "the engine (ConfigureStack)" },
        );
    });

    it("falls back to PULUMI_NODEJS_*, then PULUMI_*", () => {
        const node = runContext({
            PULUMI_NODEJS_PROJECT: "p",
            PULUMI_NODEJS_STACK: "s",
            PULUMI_NODEJS_DRY_RUN: "true",
            PULUMI_STACK: "other",
        });
        assert.deepEqual(
            [node.project, node.stack, node.dryRun, node.source],
            ["p", "s", true, "PULUMI_NODEJS_PROJECT/PULUMI_NODEJS_STACK"],
        );
        const generic = runContext({ PULUMI_PROJECT: "p2", PULUMI_STACK: "s2", PULUMI_DRY_RUN: "false" });
        assert.deepEqual(
            [generic.project, generic.stack, generic.dryRun, generic.source],
            ["p2", "s2", false, "PULUMI_PROJECT/PULUMI_STACK"],
        );
        const none = runContext({});
        assert.deepEqual(
            [none.project, none.stack, none.dryRun, none.source],
            [undefined, undefined, undefined, undefined],
        );
    });

    it("keeps the engine's dry-run flag even when project/stack come from the environment", () => {
        recordConfigureStack(configureRequest("", "", true));
        assert.equal(runContext({ PULUMI_PROJECT: "p", PULUMI_STACK: "s" }).dryRun, true);
    });

    it("wraps only configureStack, and still calls the SDK's handler", () => {
        const calls: string[] = [];
        const impl = {
            analyze: () => calls.push("analyze"),
            configureStack: (_call: unknown, callback: (e: null, v: string) => void) => {
                calls.push("configureStack");
                callback(null, "answered");
            },
        };
        const wrapped = wrapAnalyzerImplementation(impl);
        assert.equal(wrapped.analyze, impl.analyze);
        let answer = "";
        wrapped.configureStack({ request: configureRequest("elasticell", "dev", true) }, (_e, v) => (answer = v));
        assert.equal(answer, "answered");
        assert.deepEqual(calls, ["configureStack"]);
        assert.equal(runContext({}).stack, "dev");
    });

    it("captures ConfigureStack sent over gRPC to a server built like @pulumi/policy's", async () => {
        captureEngineStack();
        const server = new grpc.Server();
        server.addService(analyzerGrpc.AnalyzerService, {
            configureStack: (_call: unknown, callback: (e: null, v: unknown) => void) =>
                callback(null, new analyzerPb.AnalyzerStackConfigureResponse()),
        });
        const port: number = await new Promise((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) =>
                err ? reject(err) : resolve(p),
            ),
        );
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            await new Promise<void>((resolve, reject) =>
                client.configureStack(configureRequest("elasticell", "staging", true), (err: Error | null) =>
                    err ? reject(err) : resolve(),
                ),
            );
            const ctx = runContext({});
            assert.deepEqual([ctx.project, ctx.stack, ctx.dryRun], ["elasticell", "staging", true]);
        } finally {
            client.close();
            server.forceShutdown();
        }
    });
});
