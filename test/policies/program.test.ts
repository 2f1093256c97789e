/**
 * The program and the pack agree: what CellCluster registers for the
 * example stacks (under mocks) passes every policy of `allPolicies` on a
 * first deployment, and the prod example raises no advisory either.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { allPolicies } from "../../policies/rules";
import { makeNoStatefulReplace, noStatefulReplaceName } from "../../policies/rules/no-stateful-replace";
import { makeNoTierRemoval, noTierRemovalName } from "../../policies/rules/no-tier-removal";
import { makePdReplicasFixed, pdReplicasFixedName } from "../../policies/rules/pd-replicas-fixed";
import { makeRollHealthyTier, rollHealthyTierName } from "../../policies/rules/roll-healthy-tier";
import { makeStoreNoScaleIn, storeNoScaleInName } from "../../policies/rules/store-no-scale-in";
import { makeTierOwner, tierOwnerName } from "../../policies/rules/tier-owner";
import { makeVolumeGrowth, volumeGrowthName } from "../../policies/rules/volume-growth";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policies/core/sdk";
import { MockClusters } from "../helpers/mock-cluster";
import type { Recorded } from "../helpers/mocks";
import { validateResource, validateStack, type Violation } from "../helpers/policy";
import { stackConfig } from "../helpers/stacks";
import { memoryDeps } from "./fixtures";

let mocks: MockClusters;

before(async () => {
    mocks = await MockClusters.install();
});

/** The Kubernetes objects the program registers for a stack file. */
async function planned(stack: string): Promise<Recorded[]> {
    return (await mocks.deploy(stackConfig(stack))).resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** Every policy of the pack, the mandatory rules reading an empty (first deployment) baseline. */
function pack() {
    const deps = memoryDeps(undefined, { project: "elasticell", stack: "dev", dryRun: true, source: "test" });
    const mandatory: Record<string, () => ResourceValidationPolicy | StackValidationPolicy> = {
        [pdReplicasFixedName]: () => makePdReplicasFixed(deps),
        [storeNoScaleInName]: () => makeStoreNoScaleIn(deps),
        [noTierRemovalName]: () => makeNoTierRemoval(deps),
        [noStatefulReplaceName]: () => makeNoStatefulReplace(deps),
        [tierOwnerName]: () => makeTierOwner(deps),
        [rollHealthyTierName]: () => makeRollHealthyTier(deps),
        [volumeGrowthName]: () => makeVolumeGrowth(deps),
    };
    const unmapped = allPolicies
        .filter((p) => p.enforcementLevel === "mandatory" && mandatory[p.name] === undefined)
        .map((p) => p.name);
    assert.deepEqual(
        unmapped,
        [],
        "every mandatory rule reads the in-memory baseline here, never the ambient kubeconfig",
    );
    return allPolicies.map((p) => mandatory[p.name]?.() ?? p);
}

async function violations(resources: readonly Recorded[]): Promise<Violation[]> {
    const out: Violation[] = [];
    for (const policy of pack()) {
        if ("validateResource" in policy) {
            for (const r of resources) {
                out.push(
                    ...(await validateResource(policy, {
                        resourceClass: { __pulumiType: r.type },
                        props: r.inputs,
                        name: r.name,
                    })),
                );
            }
        } else {
            const stack = resources.map((r) => ({ type: r.type, props: r.inputs, name: r.name }));
            out.push(...(await validateStack(policy as StackValidationPolicy, { resources: stack })));
        }
    }
    return out;
}

describe("the example stacks pass the policy pack", () => {
    it("dev: no violation at all (pinned images and requests: nothing avoidable is advised)", async () => {
        assert.deepEqual(await violations(await planned("dev")), []);
    });

    it("render: no violation at all", async () => {
        assert.deepEqual(await violations(await planned("render")), []);
    });

    it("prod: no violation at all", async () => {
        assert.deepEqual(await violations(await planned("prod")), []);
    });
});
