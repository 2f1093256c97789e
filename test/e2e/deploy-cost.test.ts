/**
 * Through the real CLI and language host, what keeps a preview cheap (issue 11, point 7), as
 * project files rather than environment variables a user must know:
 *   - the program is not type-checked on deploy (tsconfig.json's "ts-node" block), and
 *     PULUMI_NODEJS_TRANSPILE_ONLY=false still turns type-checking on;
 *   - `--policy-pack` on a pack whose bin/ is stale (or missing) rebuilds it before it runs.
 * Timings are in `npm run bench`; nothing here is timed.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { PackCopy, StaleBuildMessage } from "../helpers/pack-copy";

/** A type error the program's code would never contain; only a type-check notices it. */
const TypeErrorProbe = '\nexport const typeCheckProbe: number = "not a number" as string;\n';

describe("engine, render target: what a preview does not pay for", () => {
    let project: EngineProject;
    const packs: PackCopy[] = [];

    before(async () => {
        project = new EngineProject("deploycost", { name: "cost", namespace: "cost-ns" });
        appendFileSync(join(project.dir, "index.ts"), TypeErrorProbe);
        await project.init();
    });
    after(async () => {
        packs.forEach((p) => p.dispose());
        await project.dispose();
    });

    it("runs the program transpile-only by default (a type error does not stop the preview)", async () => {
        // "" is what @pulumi/pulumi/cmd/run treats as unset: the project's tsconfig.json decides.
        const preview = await project.preview([]);
        const unset = await project.run(["preview", "--stack", project.stack], { PULUMI_NODEJS_TRANSPILE_ONLY: "" });
        assert.equal(preview.code, 0, preview.output);
        assert.equal(unset.code, 0, unset.output);
        assert.doesNotMatch(unset.output, /TS2322/);
    });

    it("type-checks when PULUMI_NODEJS_TRANSPILE_ONLY=false asks for it", async () => {
        const checked = await project.run(["preview", "--stack", project.stack], {
            PULUMI_NODEJS_TRANSPILE_ONLY: "false",
        });
        assert.notEqual(checked.code, 0, checked.output);
        assert.match(checked.output, /TS2322: Type 'string' is not assignable to type 'number'/);
    });

    for (const bin of ["stale", "none"] as const) {
        it(`rebuilds a pack whose bin/ is ${bin === "stale" ? "stale" : "missing (a fresh clone)"} before it runs`, async () => {
            const pack = new PackCopy(bin);
            packs.push(pack);
            const preview = await project.preview(["--policy-pack", pack.dir]);
            assert.equal(preview.code, 0, preview.output);
            assert.match(preview.output, /elasticell@v?0\.1\.0/, "the pack ran and reported");
            assert.ok(!preview.output.includes(StaleBuildMessage), preview.output);
            assert.ok(pack.isCurrent(), "bin/ is stamped with the current sources");
            assert.ok(existsSync(join(pack.dir, "bin", "rules", "index.js")));
        });
    }
});
