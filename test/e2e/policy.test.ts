/**
 * The policy pack through the real engine (render target): after an `up`,
 * PD resizes and Store scale-ins are refused by `pulumi preview --policy-pack`
 * and `pulumi up` changes nothing; scale-out, proxy changes and image
 * changes pass; the break-glass override works only while valid.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { renderedOf } from "../helpers/e2e-rendered";

const policy = ["--policy-pack", "policies"];

describe("engine, render target: the policy pack", () => {
    let p: EngineProject;
    const rendered = (tier: string) => renderedOf(p, "StatefulSet", `demo-${tier}`).spec?.replicas;

    /** Sets config, expects preview and up to be refused, nothing to change, then restores the value. */
    async function refused(path: string, value: string, restore: string, expected: RegExp[]) {
        const before = { pd: rendered("pd"), store: rendered("store"), resources: await p.resourceCount() };
        await p.setConfig(path, value);
        const preview = await p.preview(policy);
        assert.notEqual(preview.code, 0, `preview must fail:\n${preview.output}`);
        for (const re of expected) {
            assert.match(preview.output, re);
        }
        const up = await p.up(policy);
        assert.notEqual(up.code, 0, `up must fail:\n${up.output}`);
        assert.deepEqual(
            { pd: rendered("pd"), store: rendered("store"), resources: await p.resourceCount() },
            before,
            "nothing changed",
        );
        await p.setConfig(path, restore);
    }

    async function passes(path: string, value: string) {
        await p.setConfig(path, value);
        const up = await p.up(policy);
        assert.equal(up.code, 0, up.output);
        return up;
    }

    before(async () => {
        p = new EngineProject("policy", { name: "demo", namespace: "pack-e2e" });
        await p.init();
        const up = await p.up(policy);
        assert.equal(up.code, 0, up.output);
    });
    after(async () => p.dispose());

    it("refuses PD 3 -> 5", async () => {
        await refused("pd.replicas", "5", "3", [/elasticell-pd-replicas-fixed/, /pack-e2e\/demo-pd/, /3 → 5|3 -> 5/]);
    });

    it("refuses PD 3 -> 1", async () => {
        await refused("pd.replicas", "1", "3", [/elasticell-pd-replicas-fixed/, /3 → 1|3 -> 1/]);
    });

    it("refuses Store 3 -> 2 (the config floor names the tier and both counts)", async () => {
        await refused("store.replicas", "2", "3", [/store\.replicas: must be at least 3/, /\(got 2\)/]);
    });

    it("allows Store 3 -> 4, then refuses Store 4 -> 3 in the pack", async () => {
        await passes("store.replicas", "4");
        assert.equal(rendered("store"), 4);
        await refused("store.replicas", "3", "4", [
            /elasticell-store-no-scale-in/,
            /pack-e2e\/demo-store/,
            /4 → 3|4 -> 3/,
            /Tombstone/,
        ]);
    });

    it("allows Proxy 1 -> 3 -> 1 and an image change", async () => {
        await passes("proxy.replicas", "3");
        assert.equal(rendered("proxy"), 3);
        await passes("proxy.replicas", "1");
        assert.equal(rendered("proxy"), 1);
        await passes("store.image", "deepfabric/cell:v2");
        assert.equal(
            renderedOf(p, "StatefulSet", "demo-store").spec?.template.spec?.containers[0]?.image,
            "deepfabric/cell:v2",
        );
    });

    it("a valid override lets Store 4 -> 3 through as advisory, echoing the reason; an expired one blocks", async () => {
        const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
        const configFile = (expires: string) => {
            const file = join(p.dir, `policy-config-${expires}.json`);
            writeFileSync(
                file,
                JSON.stringify({
                    "elasticell-store-no-scale-in": {
                        override: {
                            reason: "CHG-42: store 3 drained, Tombstone",
                            expires,
                            cluster: "demo",
                            tier: "store",
                            from: 4,
                            to: 3,
                        },
                    },
                }),
            );
            return ["--policy-pack-config", file];
        };
        await p.setConfig("store.replicas", "3");
        const expired = await p.preview([...policy, ...configFile(day(-2))]);
        assert.notEqual(expired.code, 0, expired.output);
        assert.match(expired.output, /expired/i);

        const valid = await p.up([...policy, ...configFile(day(2))]);
        assert.equal(valid.code, 0, valid.output);
        assert.match(valid.output, /CHG-42/);
        assert.equal(rendered("store"), 3);
    });
});
