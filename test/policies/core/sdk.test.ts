/**
 * Proves, against the real analyze handler of the pinned @pulumi/policy (server.js; no server is
 * started), that a mandatory rule can report one violation as advisory through the SDK's object
 * form of reportViolation, while the string form keeps the policy's mandatory level. If an SDK
 * upgrade drops the object form, this fails (and the violation would turn mandatory: fail closed).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { report } from "../../../policies/core/report";
import { makePdReplicasFixed } from "../../../policies/rules/pd-replicas-fixed";
import { unknownValues, type ResourceValidationPolicy } from "../../../policies/core/sdk";
import type { AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb";
import { deployed, memoryDeps, statefulSet } from "../fixtures";
import { analyzerPb, diagnosticsOf, policyServer as server, toStruct, type Diagnostic } from "../pack-modules";

async function analyze(policy: ResourceValidationPolicy, props: object): Promise<Diagnostic[]> {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType("kubernetes:apps/v1:StatefulSet");
    request.setUrn("urn:pulumi:dev::elasticell::kubernetes:apps/v1:StatefulSet::demo-pd");
    request.setName("demo-pd");
    request.setProperties(toStruct(props));
    request.setOptions(new analyzerPb.AnalyzerResourceOptions());
    const handler = server.makeAnalyzeRpcFun("elasticell", "0.1.0", "advisory", [policy]);
    const response = await new Promise<AnalyzeResponse>((resolve, reject) =>
        handler({ request }, (err, res) =>
            err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res),
        ),
    );
    return diagnosticsOf(response);
}

describe("@pulumi/policy 1.21.0 reporting levels", () => {
    const probe: ResourceValidationPolicy = {
        name: "elasticell-probe",
        description: "Probe.",
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation) => {
            const r = { reportViolation, description: "Probe.", urn: args.urn };
            report(r, "advisory", "downgraded");
            report(r, "mandatory", "kept");
        },
    };

    it("reports the object form at its own level and the string form at the policy's", async () => {
        const diags = await analyze(probe, {});
        assert.deepEqual(diags, [
            { level: "ADVISORY", message: "Probe.\ndowngraded", policy: "elasticell-probe" },
            { level: "MANDATORY", message: "Probe.\nkept", policy: "elasticell-probe" },
        ]);
    });

    it("runs a real rule: PD replicas unknown at preview come out advisory", async () => {
        const rule = makePdReplicasFixed(memoryDeps(new MemoryBaseline([deployed("pd", 3)])));
        const props = statefulSet("pd");
        props.spec.replicas = unknownValues.unknownStringValue; // the engine sends every unknown as this sentinel
        const diags = await analyze(rule, props);
        assert.equal(diags.length, 1);
        assert.equal(diags[0].level, "ADVISORY");
        assert.match(diags[0].message, /cannot check at preview/);
    });

    it("runs a real rule: a PD resize comes out mandatory", async () => {
        const rule = makePdReplicasFixed(memoryDeps(new MemoryBaseline([deployed("pd", 3)])));
        const diags = await analyze(rule, statefulSet("pd", 5));
        assert.equal(diags.length, 1);
        assert.equal(diags[0].level, "MANDATORY");
        assert.match(diags[0].message, /3 -> 5 \(deployed -> requested\)/);
    });
});
