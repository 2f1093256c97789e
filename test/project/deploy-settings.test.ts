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

/** The parts of a tsconfig.json these tests read. */
interface TsConfig {
    compilerOptions?: Record<string, unknown>;
    "ts-node"?: Record<string, unknown>;
}

function tsconfig(file: string): TsConfig {
    const read = ts.readConfigFile(file, (f) => readFileSync(f, "utf8"));
    assert.equal(read.error, undefined, `${file} parses`);
    // TypeScript types a parsed config as `any`: it is the file's JSON, which the asserts below read.
    return read.config as TsConfig;
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
