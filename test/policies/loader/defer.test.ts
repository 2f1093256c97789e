/**
 * The pack's deferred imports (policies/loader/defer.js): a pack start does not load
 * `@npmcli/arborist`, and the proxy left in its place hands out the real module on first use.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { PackDir } from "../../helpers/pack-copy";

describe("deferred imports (policies/loader/defer.js)", () => {
    it("keeps @npmcli/arborist out of a pack start and loads it on first use", () => {
        const script = `
            const path = require("path");
            const { deferUnusedImports } = require(path.join(process.argv[1], "loader", "defer.js"));
            const deferred = deferUnusedImports(process.argv[1]);
            require(require.resolve("@pulumi/policy", { paths: [process.argv[1]] }));
            const loaded = () => Object.keys(require.cache).filter((f) => f.includes("@npmcli/arborist/lib/arborist")).length;
            const before = loaded();
            const codePaths = require.resolve("@pulumi/pulumi/runtime/closure/codePaths.js", { paths: [process.argv[1]] });
            const arborist = require(require("module").createRequire(codePaths).resolve("@npmcli/arborist"));
            const ctor = typeof arborist.Arborist;
            console.log(JSON.stringify({ deferred, before, ctor, after: loaded() }));
        `;
        const r = spawnSync(process.execPath, ["-e", script, PackDir], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { deferred: string[]; before: number; ctor: string; after: number };
        assert.deepEqual(out.deferred, ["@npmcli/arborist"]);
        assert.equal(out.before, 0, "loading @pulumi/policy did not load arborist");
        assert.equal(out.ctor, "function", "the proxy hands out the real Arborist class");
        assert.ok(out.after > 0, "first use loaded the real module");
    });
});
