/** The StoreDrain a CellCluster registers for `store.drain` (under mocks). */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { MockClusters } from "../../helpers/mock-cluster";
import { ofType, Types, type Recorded } from "../../helpers/mocks";

let mocks: MockClusters;

before(async () => {
    mocks = await MockClusters.install();
});

async function deploy(raw: unknown): Promise<Recorded[]> {
    return (await mocks.deploy(raw)).resources;
}

describe("CellCluster: store.drain", () => {
    it("registers no drain without store.drain", async () => {
        assert.deepEqual(ofType(await deploy({ store: { replicas: 4 } }), Types.storeDrain), []);
    });

    it("registers one StoreDrain with the ordinals highest first, the volume template, the deadline and the PD override", async () => {
        const rs = await deploy({
            name: "demo",
            namespace: "prod",
            pd: { apiUrl: "http://pd.example:2379" },
            store: { replicas: 6, drain: ["demo-store-4", 5], drainTimeoutSeconds: 60 },
        });
        const drains = ofType(rs, Types.storeDrain);
        assert.equal(drains.length, 1);
        const d = drains[0];
        assert.equal(d.name, "demo-store-drain");
        assert.deepEqual(
            [
                d.inputs.cluster,
                d.inputs.namespace,
                d.inputs.statefulSet,
                d.inputs.ordinals,
                d.inputs.claimTemplates,
                d.inputs.timeoutSeconds,
            ],
            ["demo", "prod", "demo-store", [5, 4], ["store"], 60],
        );
        // A secret (it may hold a kubeconfig's contents): the mock sees the secret envelope.
        assert.equal(d.inputs.access["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
        assert.equal(d.inputs.access.value.apiUrl, "http://pd.example:2379");
        // The provider travels serialized in the inputs; the engine e2e (test/e2e/drain.test.ts) runs it.
        assert.match(String(d.inputs.__provider), /runDrain/);
        assert.doesNotMatch(String(d.inputs.__provider), /force/);
    });
});
