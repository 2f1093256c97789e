/**
 * examples/basic under mocks: a program of its own that imports the library
 * as `elasticell` (tsconfig `paths` maps it here; npm's `file:../..` link
 * does for a real checkout) and builds one CellCluster with a few args.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { inputsByName, installMocks, ofType, resolve, settled, Types, type Recorded } from "../helpers/mocks";

let recorded: Recorded[];
let program: typeof import("../../examples/basic/index");

before(async () => {
    recorded = await installMocks({ project: "elasticell-basic", stack: "dev" });
    program = await import("../../examples/basic/index");
    await resolve(program.redisEndpoint);
    await settled();
});

describe("examples/basic under mocks", () => {
    it("registers one cluster named demo in the cell-demo namespace, with its objects", () => {
        assert.equal(ofType(recorded, Types.cluster).length, 1);
        assert.deepEqual(
            ofType(recorded, Types.statefulSet)
                .map((r) => r.inputs.metadata.name)
                .sort(),
            ["demo-pd", "demo-proxy", "demo-store"],
        );
        assert.deepEqual(
            ofType(recorded, Types.namespace).map((r) => r.inputs.metadata.name),
            ["cell-demo"],
        );
        for (const r of recorded.filter(
            (x) => x.type.startsWith("kubernetes:") && x.inputs.metadata.namespace !== undefined,
        )) {
            assert.equal(r.inputs.metadata.namespace, "cell-demo", `${r.type} ${r.name}`);
        }
    });

    it("applies the example's args and the component's defaults for the rest", () => {
        const sts = inputsByName(recorded, Types.statefulSet);
        assert.equal(sts["demo-store"].spec.replicas, 5);
        assert.equal(sts["demo-store"].spec.volumeClaimTemplates[0].spec.resources.requests.storage, "20Gi");
        assert.equal(sts["demo-proxy"].spec.replicas, 2);
        assert.equal(sts["demo-proxy"].spec.template.spec.containers[0].image, "deepfabric/proxy:v1.0.0");
        assert.equal(sts["demo-pd"].spec.replicas, 3, "PD keeps the default");
        assert.equal(sts["demo-pd"].spec.template.spec.containers[0].image, "deepfabric/pd:latest");
        for (const s of Object.values(sts)) {
            assert.equal(s.metadata.labels.team, "storage");
            assert.equal(
                s.metadata.annotations["elasticell.io/pulumi-stack"],
                "elasticell-basic/dev",
                "the guard's owner stamp names this program",
            );
        }
    });

    it("exports the endpoints and the store count", async () => {
        assert.equal(await resolve(program.redisEndpoint), "demo-cell.cell-demo.svc:6379");
        assert.equal(await resolve(program.pdClientUrl), "http://demo-pd.cell-demo.svc:2379");
        assert.equal(await resolve(program.storeReplicas), 5);
    });
});
