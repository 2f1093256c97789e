/**
 * A refused preview reads well (issue 15): with the shipped stack files (their config, render
 * target), `pulumi preview --policy-pack policies` of a Store 4 -> 3 scale-in shows the one
 * mandatory violation and no advisory at all, since the shipped stacks pin their images and set
 * requests, and advisories that remain on other stacks are collapsed across tiers.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { stackConfig } from "../helpers/stacks";

const policy = ["--policy-pack", "policies"];

for (const shipped of ["dev", "render"] as const) {
    describe(`engine, render target: Store 4 -> 3 on the shipped ${shipped} stack`, () => {
        const p = new EngineProject(`refusal-${shipped}`, {
            ...stackConfig(shipped),
            store: { ...(stackConfig(shipped).store as object), replicas: 4 },
        });
        after(async () => p.dispose());

        it("the preview is refused by the mandatory rule alone, with no advisory", async () => {
            await p.init();
            const up = await p.up(policy);
            assert.equal(up.code, 0, up.output);
            assert.doesNotMatch(
                up.output,
                /\[advisory\]/,
                `the shipped ${shipped} stack raises no advisory:\n${up.output}`,
            );

            await p.setConfig("store.replicas", "3");
            const preview = await p.preview(policy);
            assert.notEqual(preview.code, 0, preview.output);
            assert.match(preview.output, /\[mandatory\]\s+elasticell-store-no-scale-in/);
            assert.match(preview.output, /4 → 3|4 -> 3/);
            assert.doesNotMatch(preview.output, /\[advisory\]/, `no advisory next to the refusal:\n${preview.output}`);
            const mandatory = preview.output.match(/\[mandatory\]/g) ?? [];
            assert.equal(mandatory.length, 1, `one mandatory violation:\n${preview.output}`);
        });
    });
}
