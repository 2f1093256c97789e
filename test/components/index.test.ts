/**
 * The package has two entries: the library (package.json `main`/`exports`,
 * what `import ... from "elasticell"` loads) and the stack program
 * (Pulumi.yaml `main`). Pulumi runs package.json's `exports["."]` when
 * Pulumi.yaml names no `main`, so both must stay set.
 */
import assert from "node:assert/strict";
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { load } from "js-yaml";
import { ProjectRoot } from "../helpers/stacks";

const pkg = JSON.parse(readFileSync(join(ProjectRoot, "package.json"), "utf8")) as {
    name: string;
    main: string;
    exports: Record<string, string>;
};

describe("package entry points", () => {
    it("package.json main and exports name the library entry, not the stack program", () => {
        assert.equal(pkg.name, "elasticell");
        assert.equal(pkg.main, "components/index.ts");
        assert.equal(pkg.exports["."], "./components/index.ts");
    });

    it("Node resolves the package name to the library entry (as a file: dependency would)", () => {
        const resolved = createRequire(join(ProjectRoot, "package.json")).resolve("elasticell");
        assert.equal(realpathSync(resolved), realpathSync(join(ProjectRoot, "components", "index.ts")));
    });

    it("Pulumi.yaml runs the stack program", () => {
        const project = load(readFileSync(join(ProjectRoot, "Pulumi.yaml"), "utf8")) as { main?: string };
        assert.equal(project.main, "index.ts");
    });

    it("the library entry exports the component, its args parser and the naming helpers", async () => {
        const lib = await import("../../components/index");
        for (const name of [
            "CellCluster",
            "resolveClusterArgs",
            "StackConfigSchema",
            "parseStackConfig",
            "LabelKeys",
            "statefulSetName",
            "redisServiceName",
            "ProxyPorts",
            "pdClientUrl",
        ]) {
            assert.ok(name in lib, `components/index.ts does not export ${name}`);
        }
        assert.equal(lib.statefulSetName("demo", "store"), "demo-store");
    });
});
