import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdRpcAddresses } from "../../components/pd";
import { proxyConfig, proxyProfile, SupportedCommands } from "../../components/proxy";
import { buildFromConfig as build, proxyJson, startScript, testCtx as ctx } from "../helpers/tier-build";

describe("the proxy's config and start script", () => {
    it("Proxy writes its config with the pod IP as notify address", () => {
        const m = build(proxyProfile);
        const cfg = proxyJson(m);
        assert.deepEqual(cfg.pdAddrs, pdRpcAddresses(ctx));
        assert.equal(cfg.addrNotify, "__POD_IP__:9998");
        assert.equal(cfg.addr, "0.0.0.0:6379");
        assert.equal(cfg.supportCMDs.length, 64);
        assert.equal(SupportedCommands.length, 64);
        assert.match(startScript(m, proxyProfile), /sed "s\/__POD_IP__\/\$\{POD_IP\}\//);
        assert.equal(proxyConfig(ctx), m.configMap.data["proxy-config.json"]);
    });
});
