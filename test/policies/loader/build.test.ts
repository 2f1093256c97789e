/**
 * The pack's build freshness (policies/loader/build.js) and its entry (policies/main.js): a stale or
 * missing bin/ is transpiled before the pack runs, whichever command starts it, and the transpiled
 * output is tsc's. Works on temporary copies of policies/ (its node_modules linked), never on the
 * repository's bin/, which other runs may be using.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PackCopy, PackDir, StaleBuildMessage, type CopyBin } from "../../helpers/pack-copy";

const copies: PackCopy[] = [];
const tmpDirs: string[] = [];

/** A copy of policies/ (see test/helpers/pack-copy.ts); its own loader/build.js is the one under test. */
function packCopy(bin: CopyBin = "none"): PackCopy {
    const copy = new PackCopy(bin);
    copies.push(copy);
    return copy;
}

/** Every file under `root`, relative, with its content. */
function tree(root: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const child = path.join(rel, e.name);
            if (e.isDirectory()) {
                walk(child);
            } else {
                out.set(child, fs.readFileSync(path.join(root, child), "utf8"));
            }
        }
    };
    walk("");
    return out;
}

after(() => {
    copies.forEach((c) => c.dispose());
    tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe("policy pack build freshness (policies/loader/build.js)", () => {
    it("hashes the TypeScript sources, tsconfig.json and package.json, not bin/ or node_modules/", () => {
        const { dir, build } = packCopy();
        const files = build.sourceFiles(dir);
        assert.ok(
            files.includes("tsconfig.json") && files.includes("package.json") && files.includes("index.ts"),
            files.join(" "),
        );
        assert.ok(files.includes("rules/index.ts"), files.join(" "));
        assert.ok(
            files.every((f) => !f.startsWith("bin/") && !f.startsWith("node_modules/") && !f.endsWith(".js")),
            files.join(" "),
        );

        const before = build.sourcesHash(dir);
        fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
        fs.writeFileSync(path.join(dir, "bin", "extra.ts"), "export {};\n");
        assert.equal(build.sourcesHash(dir), before, "bin/ is output, not source");
        fs.appendFileSync(path.join(dir, "rules", "index.ts"), "\n// edited\n");
        assert.notEqual(build.sourcesHash(dir), before, "an edited rule changes the hash");
    });

    it("transpiles to exactly what tsc emits", { timeout: 120_000 }, () => {
        const { dir, build } = packCopy();
        build.transpile(dir);
        const tscOut = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-pack-tsc-"));
        tmpDirs.push(tscOut);
        const tsc = createRequire(path.join(PackDir, "package.json")).resolve("typescript/bin/tsc");
        // Emits even when another change is mid-edit and does not type-check: the emit is what is compared.
        spawnSync(process.execPath, [tsc, "-p", dir, "--outDir", tscOut], { encoding: "utf8" });
        const expected = tree(tscOut);
        const actual = tree(path.join(dir, "bin"));
        assert.ok(expected.size > 20, `tsc emitted ${expected.size} files`);
        assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
        for (const [file, text] of expected) {
            assert.equal(actual.get(file), text, `${file} differs from tsc's output`);
        }
    });

    it("rebuilds a stale bin/ (stamp of other sources) and then leaves it alone", { timeout: 60_000 }, () => {
        const { dir, build } = packCopy("stale");

        assert.equal(build.ensureCurrent(dir), "transpiled");
        assert.equal(build.readStamp(dir), build.sourcesHash(dir));
        assert.ok(!fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8").includes(StaleBuildMessage));
        assert.equal(build.ensureCurrent(dir), "current");

        fs.appendFileSync(path.join(dir, "core", "messages.ts"), "\nexport const Edited = 1;\n");
        assert.equal(build.ensureCurrent(dir), "transpiled", "an edit after the build makes it stale again");
        assert.match(fs.readFileSync(path.join(dir, "bin", "core", "messages.js"), "utf8"), /Edited = 1/);
    });

    it("refuses to run sources with syntax errors, saying where", () => {
        const { dir, build } = packCopy();
        fs.appendFileSync(path.join(dir, "core", "messages.ts"), "\nexport const = ;\n");
        assert.throws(() => build.ensureCurrent(dir), /syntax errors:[\s\S]*core\/messages\.ts/);
        assert.equal(build.readStamp(dir), undefined, "nothing is stamped");
    });

    it(
        "`node loader/build.js check` fails on a stale bin/ and `tsc` type-checks, compiles and stamps it",
        { timeout: 120_000 },
        () => {
            const { dir, build } = packCopy();
            const cli = (...args: string[]) =>
                spawnSync(process.execPath, [path.join(dir, "loader", "build.js"), ...args], { encoding: "utf8" });
            assert.equal(cli("check").status, 1, "no bin/ yet");
            const compiled = cli("tsc");
            // Another change may be mid-edit in the working tree: tsc reports it and the stamp is not written.
            if (compiled.status === 0) {
                assert.equal(build.readStamp(dir), build.sourcesHash(dir));
                assert.equal(cli("check").status, 0);
            } else {
                assert.match(compiled.stdout + compiled.stderr, /error TS\d+/);
                assert.equal(build.readStamp(dir), undefined);
            }
            assert.equal(cli("hash").stdout.trim(), build.sourcesHash(dir));
        },
    );
});

describe("policy pack entry (policies/main.js) under run-policy-pack", () => {
    it("starts the pack's analyzer server from a stale bin/ after rebuilding it", { timeout: 120_000 }, async () => {
        const { dir, build } = packCopy("stale");
        const runner = createRequire(path.join(dir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
        // The language host's command line: run-policy-pack <engine address> <pack directory>, in the pack directory.
        const child = spawn(process.execPath, [runner, "127.0.0.1:1", dir], { cwd: dir });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += String(d)));
        try {
            const port = await new Promise<string>((resolve, reject) => {
                child.stdout.once("data", (d) => resolve(String(d).trim()));
                child.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
            });
            assert.match(port, /^\d+$/, "the analyzer server printed its port");
            assert.equal(build.readStamp(dir), build.sourcesHash(dir));
        } finally {
            child.kill();
        }
    });
});
