/**
 * The project settings that keep `pulumi preview` cheap, checked without the engine (the engine
 * proof is test/e2e/deploy-cost.test.ts; the cost is in `npm run bench`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";
import { ProjectRoot } from "../helpers/stacks";

function tsconfig(file: string): { compilerOptions?: Record<string, unknown>; "ts-node"?: Record<string, unknown> } {
    const read = ts.readConfigFile(file, (f) => readFileSync(f, "utf8"));
    assert.equal(read.error, undefined, `${file} parses`);
    return read.config;
}

describe("deploy-time settings", () => {
    it("runs the program transpile-only under any language host (tsconfig.json's ts-node block)", () => {
        const config = tsconfig(join(ProjectRoot, "tsconfig.json"));
        assert.equal(config["ts-node"]?.["transpileOnly"], true);
        // noCheck would make @pulumi/pulumi/cmd/run transpile-only too, but it also silences `tsc --noEmit`.
        assert.equal(config.compilerOptions?.["noCheck"], undefined, "npm run typecheck still type-checks");
    });

    it("starts the policy pack through its freshness-checking entry, not bin/ directly", () => {
        const pkg = JSON.parse(readFileSync(join(ProjectRoot, "policies", "package.json"), "utf8")) as { main: string };
        assert.equal(pkg.main, "main.js");
        const main = readFileSync(join(ProjectRoot, "policies", "main.js"), "utf8");
        const ensure = main.indexOf("ensureCurrent(__dirname)");
        const load = main.indexOf('require("./bin/index.js")');
        assert.ok(ensure > 0 && load > ensure, "bin/ is made current before it is loaded");
    });
});
