import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as k8s from "@pulumi/kubernetes";
import { parseStackConfig } from "../../../components/config";
import { installMocks, ofType, resolve, settled, Types, type Recorded } from "../../helpers/mocks";

/** The address the mocked load-balancer controller gives every LoadBalancer Service. */
const Assigned = "203.0.113.7";
let recorded: Recorded[] = [];
let CellCluster: typeof import("../../../components/cluster").CellCluster;

before(async () => {
    // What a load-balancer controller writes into a Service's status.
    recorded = await installMocks({
        status: (type, inputs) =>
            type !== Types.service
                ? undefined
                : (inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer"
                  ? { loadBalancer: { ingress: [{ ip: Assigned }] } }
                  : { loadBalancer: {} },
    });
    ({ CellCluster } = await import("../../../components/cluster"));
});

async function deploy(raw: Record<string, unknown>) {
    const start = recorded.length;
    const { name, ...cfg } = parseStackConfig({ networkPolicy: { proxyClients: { allowAll: true } }, ...raw });
    const cluster = new CellCluster(name, cfg);
    const address = await resolve(cluster.redisExternalAddress);
    await settled();
    return { address, services: ofType(recorded.slice(start), Types.service) };
}

const typeOf = (services: Recorded<k8s.types.output.core.v1.Service>[], name: string) =>
    services.find((s) => s.inputs.metadata.name === name)?.inputs.spec.type;

describe("stack output redisExternalAddress and the PD Service type", () => {
    it("a LoadBalancer Redis Service exports the address its controller assigned", async () => {
        const { address, services } = await deploy({ name: "lb", proxy: { service: { type: "LoadBalancer" } } });
        assert.equal(address, Assigned);
        assert.equal(typeOf(services, "lb-cell"), "LoadBalancer");
    });

    it("a ClusterIP Redis Service exports an empty address", async () => {
        const { address, services } = await deploy({ name: "cip" });
        assert.equal(address, "");
        assert.equal(typeOf(services, "cip-cell"), "ClusterIP");
    });

    it("pd.service.type reaches PD's client Service; the Redis address stays the proxy's", async () => {
        const { address, services } = await deploy({ name: "pdlb", pd: { service: { type: "NodePort" } } });
        assert.equal(typeOf(services, "pdlb-pd"), "NodePort");
        assert.equal(typeOf(services, "pdlb-pd-peer"), undefined, "the headless peer Service has no type");
        assert.equal(address, "");
    });
});
