import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdInitialCluster, pdProfile, pdRpcAddresses } from "../../components/pd";
import { buildFromConfig as build, mainContainer, startScript, testCtx as ctx } from "../helpers/tier-build";

describe("PD addresses from ordinal DNS names (no discovery service)", () => {
    it("--initial-cluster lists every member", () => {
        assert.equal(
            pdInitialCluster(ctx),
            "demo-pd-0=http://demo-pd-0.demo-pd-peer.ns1.svc:2380," +
                "demo-pd-1=http://demo-pd-1.demo-pd-peer.ns1.svc:2380," +
                "demo-pd-2=http://demo-pd-2.demo-pd-peer.ns1.svc:2380",
        );
    });

    it("the rpc list has one entry per member", () => {
        assert.deepEqual(
            pdRpcAddresses({ ...ctx, pdReplicas: 5 }),
            [0, 1, 2, 3, 4].map((i) => `demo-pd-${i}.demo-pd-peer.ns1.svc:20800`),
        );
    });
});

describe("PD's start script", () => {
    it("PD waits for its own DNS record, then starts with the computed member list", () => {
        const s = startScript(build(pdProfile), pdProfile);
        assert.match(s, /until resolves "\$\{domain\}"/);
        assert.match(s, /getent hosts "\$1"/);
        assert.ok(s.indexOf("until resolves") < s.indexOf("exec pd"));
        assert.ok(
            s.includes('--initial-cluster="${PD_INITIAL_CLUSTER}"'),
            "the member list comes from the StatefulSet's env",
        );
        const env = mainContainer(build(pdProfile)).env;
        assert.deepEqual(
            env.find((e) => e.name === "PD_INITIAL_CLUSTER"),
            { name: "PD_INITIAL_CLUSTER", value: pdInitialCluster(ctx) },
        );
        assert.ok(s.includes("--data=/var/lib/pd/data"));
        assert.ok(s.includes('--addr-rpc="${domain}:20800"'));
        assert.ok(s.includes('--urls-advertise-peer="http://${domain}:2380"'));
        assert.ok(!s.includes("10261"), "no discovery service");
    });
});
