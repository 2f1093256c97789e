import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdRpcAddresses } from "../../components/pd";
import { storeProfile } from "../../components/store";
import { buildFromConfig as build, startScript, testCtx as ctx } from "../helpers/tier-build";

describe("the Store's start script", () => {
    it("Store gets the PD list, its own addresses and the required zone/rack", () => {
        const s = startScript(build(storeProfile), storeProfile);
        assert.ok(s.includes(`--pd=${pdRpcAddresses(ctx).join(",")}`));
        for (const flag of [
            '--addr="${domain}:10800"',
            '--addr-cli="${domain}:6370"',
            '--zone="${zone}"',
            '--rack="${rack}"',
            "--data=/var/lib/store/data",
        ]) {
            assert.ok(s.includes(flag), flag);
        }
    });
});
