import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { MockClusters } from "../../helpers/mock-cluster";
import { ofType, resolve, Types, type Recorded } from "../../helpers/mocks";
import { stackConfig } from "../../helpers/stacks";

const PVC = "kubernetes:core/v1:PersistentVolumeClaim";

let mocks: MockClusters;

/** Options of every registered resource, by `<type>/<name>` (mocks do not see resource options). */
const options = new Map<string, pulumi.ResourceOptions>();

before(async () => {
    mocks = await MockClusters.install();
});

async function deploy(raw: unknown): Promise<Recorded[]> {
    const deployed = await mocks.deploy(raw);
    deployed.options.forEach((o, key) => options.set(key, o));
    return deployed.resources;
}

const names = (rs: Recorded[]) =>
    ofType(rs, PVC)
        .map((r) => r.inputs.metadata.name)
        .sort();

describe("Tier under mocks: the program sizes the PD and Store volumes", () => {
    it("registers one claim per PD and Store ordinal, with the configured size, and none for the Proxy", async () => {
        const raw = {
            ...(stackConfig("dev") as object),
            store: { replicas: 4, storage: { size: "30Gi", className: "fast" } },
        };
        const rs = await deploy(raw);
        assert.deepEqual(names(rs), [
            "pd-dev-pd-0",
            "pd-dev-pd-1",
            "pd-dev-pd-2",
            "store-dev-store-0",
            "store-dev-store-1",
            "store-dev-store-2",
            "store-dev-store-3",
        ]);
        for (const c of ofType(rs, PVC).filter((r) => r.inputs.metadata.name.startsWith("store-"))) {
            assert.equal(c.inputs.spec.resources.requests.storage, "30Gi");
            assert.equal(c.inputs.spec.storageClassName, "fast");
            assert.equal(c.inputs.metadata.namespace, "elasticell-dev");
            assert.equal(c.inputs.metadata.labels["app.kubernetes.io/component"], "store");
        }
    });

    it("never deletes a claim through Pulumi (scale-in, destroy): retainOnDelete on every claim", async () => {
        const rs = await deploy(stackConfig("dev"));
        const claims = ofType(rs, PVC);
        assert.ok(claims.length > 0);
        for (const c of claims) {
            assert.equal(options.get(`${PVC}/${c.name}`)?.retainOnDelete, true, c.name);
        }
    });

    it("keeps every StatefulSet's first volumeClaimTemplates (ignoreChanges) and creates the claims before it", async () => {
        const rs = await deploy(stackConfig("dev"));
        for (const sts of ofType(rs, Types.statefulSet)) {
            const opts = options.get(`${Types.statefulSet}/${sts.name}`);
            assert.deepEqual(opts?.ignoreChanges, ["spec.volumeClaimTemplates"], sts.name);
            const deps = (opts?.dependsOn ?? []) as pulumi.Resource[];
            const depNames = await Promise.all(deps.map((d) => resolve((d as pulumi.CustomResource).urn)));
            const tier = sts.inputs.metadata.name.replace("dev-", "");
            const claimDeps = depNames.filter((u) => u.includes(`::${tier}-dev-${tier}-`)).length;
            assert.equal(claimDeps, tier === "proxy" ? 0 : 3, `${sts.name} depends on its claims`);
        }
    });
});
