import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../components/config";
import { ofType, resolve, settled, Types, type Recorded } from "../helpers/mocks";

/** The address the mocked load-balancer controller gives every LoadBalancer Service. */
const Assigned = "203.0.113.7";
const recorded: Recorded[] = [];
let CellCluster: typeof import("../../components/cluster").CellCluster;

before(async () => {
    // As test/helpers/mocks.ts, plus what a load-balancer controller writes into a Service's status.
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
                const metadata = { ...(args.inputs.metadata ?? {}), name: args.inputs.metadata?.name ?? args.name };
                const status =
                    args.type === Types.service && args.inputs.spec?.type === "LoadBalancer"
                        ? { loadBalancer: { ingress: [{ ip: Assigned }] } }
                        : { loadBalancer: {} };
                return { id: `${args.name}-id`, state: { ...args.inputs, metadata, status } };
            },
            call: (args) => args.inputs,
        },
        "elasticell",
        "test",
        false,
    );
    ({ CellCluster } = await import("../../components/cluster"));
});

async function deploy(raw: Record<string, unknown>) {
    const start = recorded.length;
    const { name, ...cfg } = parseStackConfig({ networkPolicy: { proxyClients: { allowAll: true } }, ...raw });
    const cluster = new CellCluster(name, cfg);
    const address = await resolve(cluster.redisExternalAddress);
    await settled();
    return { address, services: ofType(recorded.slice(start), Types.service) };
}

const typeOf = (services: Recorded[], name: string) =>
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
