/**
 * The admission guard's CEL (components/guard/admission.ts), as text: which requests it matches
 * and what each validation says. Its behaviour in a live API server is test/e2e/guard.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as k8s from "@pulumi/kubernetes";
import { buildAdmissionGuard } from "../../../components/guard/admission";

type Validation = k8s.types.output.admissionregistration.v1.Validation;

describe("the admission guard", () => {
    const guard = buildAdmissionGuard({
        cluster: "demo",
        namespace: "ns1",
        labels: {},
        annotations: { "elasticell.io/pulumi-stack": "p/s" },
    });
    // The builder returns plain values typed as inputs; read them as the plain objects they are.
    const spec = guard.policy
        .spec as unknown as k8s.types.output.admissionregistration.v1.ValidatingAdmissionPolicySpec;
    const validation = (fragment: string): Validation => {
        const found = spec.validations.find((v) => (v.messageExpression ?? v.message ?? "").includes(fragment));
        assert.ok(found !== undefined, `no validation says ${fragment}`);
        return found;
    };

    it("matches UPDATEs and DELETEs of StatefulSets and their /scale subresource in the cluster's namespace", () => {
        const rule = spec.matchConstraints.resourceRules[0];
        assert.deepEqual(rule.resources, ["statefulsets", "statefulsets/scale"]);
        assert.deepEqual(rule.operations, ["UPDATE", "DELETE"]);
        assert.equal(guard.binding.spec.policyName, guard.policy.metadata.name);
        assert.deepEqual(guard.binding.spec.validationActions, ["Deny"]);
        assert.equal(guard.policy.metadata.name, "elasticell-guard.ns1.demo");
        assert.deepEqual(
            spec.matchConditions.map((c) => c.expression),
            ["request.name == 'demo-pd' || request.name == 'demo-store'"],
        );
    });

    it("reads replicas as 0 when a Scale omits them, and never reads `object` on DELETE", () => {
        const vars = Object.fromEntries(spec.variables.map((v) => [v.name, v.expression]));
        assert.equal(
            vars.requested,
            "request.operation == 'DELETE' ? 0 : (has(object.spec.replicas) ? object.spec.replicas : 0)",
        );
        assert.equal(vars.deployed, "has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0");
        assert.match(
            vars.unlock,
            /^request\.operation == 'DELETE' \? .*'elasticell\.io\/allow-delete' in oldObject\.metadata\.annotations/,
        );
        assert.match(vars.claimant, /^request\.operation == 'DELETE' \|\| request\.kind\.kind == 'Scale' \? ''/);
    });

    it("freezes PD replicas and forbids Store decreases, by name, on updates only", () => {
        assert.equal(
            validation("PD replicas").expression,
            "request.operation == 'DELETE' || request.name != 'demo-pd' || variables.requested == variables.deployed",
        );
        assert.equal(
            validation("Store replicas").expression,
            "request.operation == 'DELETE' || request.name != 'demo-store' || variables.requested >= variables.deployed || (variables.drainedTo >= 3 && variables.requested >= variables.drainedTo)",
        );
    });

    it("keeps PD's member list (PD_INITIAL_CLUSTER) as it was, on updates of the PD StatefulSet", () => {
        const v = validation("PD's member list");
        assert.match(
            v.expression,
            /^request\.operation == 'DELETE' \|\| request\.kind\.kind == 'Scale' \|\| request\.name != 'demo-pd' \|\| /,
        );
        assert.match(
            v.expression,
            /oe\.name != 'PD_INITIAL_CLUSTER' \|\| !has\(oe\.value\) \|\| object\.spec\.template\.spec\.containers\.exists/,
        );
        assert.match(v.expression, /e\.value == oe\.value/);
    });

    it("refuses a delete without the unlock annotation, saying how to unlock", () => {
        const v = validation("would stop every pod");
        assert.equal(v.expression, "request.operation != 'DELETE' || variables.unlock != ''");
        assert.match(
            v.messageExpression,
            /annotate statefulset ' \+ request\.name \+ ' elasticell\.io\/allow-delete="<reason>"'/,
        );
    });

    it("refuses an update that hands the StatefulSet to another stack", () => {
        assert.deepEqual(
            guard.policy.metadata.annotations,
            { "elasticell.io/pulumi-stack": "p/s" },
            "a second stack conflicts instead of co-owning it",
        );
        assert.deepEqual(guard.binding.metadata.annotations, { "elasticell.io/pulumi-stack": "p/s" });
        const v = validation("may not take it over");
        assert.equal(
            v.expression,
            "variables.owner == '' || variables.claimant == '' || variables.owner == variables.claimant",
        );
    });
});
