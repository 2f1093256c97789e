"use strict";
/**
 * Keeps the compiled pack (`bin/`) current with its TypeScript sources, whichever command runs it.
 *
 * `bin/.sources.sha` records the hash of the sources `bin/` was built from (every `*.ts` outside
 * node_modules/ and bin/, plus tsconfig.json and package.json). The pack's entry (main.js) checks it
 * on every start and, when it does not match (a fresh clone, an edited rule), transpiles the sources
 * into bin/ before loading them, so `pulumi preview --policy-pack policies` never runs a stale build.
 * Transpiling uses the TypeScript that `@pulumi/pulumi/cmd/run-policy-pack` has already loaded into
 * the pack's process (one program, no type-check, no lib files: about 0.4 s for the whole pack);
 * type errors are caught by `npm run typecheck` and by `tsc` here, not at preview time.
 *
 * Plain CommonJS on purpose: it must run before anything is compiled.
 *
 * CLI (scripts/lib/common.sh's build_policy_pack, `npm run build --prefix policies`):
 *   node loader/build.js check      exit 0 when bin/ is current, 1 otherwise
 *   node loader/build.js tsc        when stale: type-check and compile with tsc, then stamp (exit code of tsc)
 *   node loader/build.js transpile  when stale: transpile without type-check, then stamp
 *   node loader/build.js hash       print the sources hash
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** The stamp file, relative to the pack directory. */
const StampFile = path.join("bin", ".sources.sha");

/** Directories never read for sources: dependencies, build output, and dot-directories. */
const SkippedDirs = new Set(["node_modules", "bin"]);

/**
 * The pack's source files, as paths relative to `packDir` sorted by code unit: every `*.ts` outside
 * node_modules/, bin/ and dot-directories, plus tsconfig.json and package.json.
 * @param {string} packDir
 * @returns {string[]}
 */
function sourceFiles(packDir) {
    const found = ["package.json", "tsconfig.json"].filter((f) => fs.existsSync(path.join(packDir, f)));
    const walk = (rel) => {
        for (const entry of fs.readdirSync(path.join(packDir, rel), { withFileTypes: true })) {
            const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
            if (entry.isDirectory()) {
                if (!SkippedDirs.has(entry.name) && !entry.name.startsWith(".")) {
                    walk(child);
                }
            } else if (entry.name.endsWith(".ts")) {
                found.push(child);
            }
        }
    };
    walk("");
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * SHA-256 of the sources (each file's relative path and content), in hex.
 * @param {string} packDir
 * @returns {string}
 */
function sourcesHash(packDir) {
    const hash = crypto.createHash("sha256");
    for (const rel of sourceFiles(packDir)) {
        hash.update(rel)
            .update("\0")
            .update(fs.readFileSync(path.join(packDir, rel)))
            .update("\0");
    }
    return hash.digest("hex");
}

/**
 * The hash bin/ was built from, or undefined when there is no stamp.
 * @param {string} packDir
 * @returns {string | undefined}
 */
function readStamp(packDir) {
    try {
        return fs.readFileSync(path.join(packDir, StampFile), "utf8").trim();
    } catch {
        return undefined;
    }
}

/**
 * Records that bin/ holds the build of `hash`.
 * @param {string} packDir
 * @param {string} hash
 */
function writeStamp(packDir, hash) {
    writeAtomically(path.join(packDir, StampFile), `${hash}\n`);
}

/**
 * Writes a file through a temporary name and a rename, so a concurrent reader (another preview
 * starting the pack) sees the old or the new content, never half a file.
 * @param {string} file
 * @param {string} text
 */
function writeAtomically(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
}

/**
 * Transpiles the pack's sources into bin/ without type-checking: one TypeScript program with the
 * pack's tsconfig.json options plus noCheck, noResolve and noLib (the output is byte-identical to
 * tsc's for this pack; test/policies/loader/build.test.ts compares them). Throws on syntax errors.
 * @param {string} packDir
 * @param {typeof import("typescript")} [ts] a loaded TypeScript; default: the pack's own
 */
function transpile(packDir, ts = loadTypeScript(packDir)) {
    const configFile = path.join(packDir, "tsconfig.json");
    const problems = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
        configFile,
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d),
        },
    );
    if (parsed === undefined || problems.length > 0 || parsed.errors.length > 0) {
        throw new Error(`cannot read ${configFile}:\n${format(ts, [...problems, ...(parsed?.errors ?? [])])}`);
    }
    const files = parsed.fileNames.filter((f) => !f.endsWith(".d.ts"));
    const program = ts.createProgram(files, {
        ...parsed.options,
        noCheck: true,
        noResolve: true,
        noLib: true,
        types: [],
        isolatedModules: true,
        declaration: false,
        declarationMap: false,
        noEmitOnError: false,
    });
    const syntax = program.getSyntacticDiagnostics();
    if (syntax.length > 0) {
        throw new Error(`the policy pack has syntax errors:\n${format(ts, syntax)}`);
    }
    const result = program.emit(undefined, (file, text) => writeAtomically(file, text));
    if (result.emitSkipped) {
        throw new Error(`TypeScript emitted nothing for the policy pack:\n${format(ts, result.diagnostics)}`);
    }
}

/** The pack's TypeScript (a devDependency, installed by `npm ci`), or an error that says how to get it. */
function loadTypeScript(packDir) {
    try {
        return require(require.resolve("typescript", { paths: [packDir] }));
    } catch (err) {
        throw new Error(
            `policies/bin is missing or older than the sources, and TypeScript is not installed to rebuild it (${err.message}). ` +
                `Run \`npm ci --prefix ${packDir}\` (or \`npm run setup\`), then run the command again.`,
            { cause: err },
        );
    }
}

function format(ts, diagnostics) {
    return ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => process.cwd(),
        getNewLine: () => "\n",
    });
}

/**
 * Makes bin/ current: when the stamp does not match the sources, transpiles them and stamps.
 * Returns what it did, for the caller's log and for tests.
 * @param {string} packDir
 * @param {typeof import("typescript")} [ts]
 * @returns {"current" | "transpiled"}
 */
function ensureCurrent(packDir, ts) {
    const hash = sourcesHash(packDir);
    if (readStamp(packDir) === hash && fs.existsSync(path.join(packDir, "bin", "index.js"))) {
        return "current";
    }
    // Hash first, build second: an edit made while transpiling leaves the stamp stale, never wrong.
    transpile(packDir, ts);
    writeStamp(packDir, hash);
    return "transpiled";
}

/** `node loader/build.js check|tsc|transpile|hash` (see the file comment). */
function main(argv) {
    // This file lives in <pack>/loader/.
    const packDir = path.dirname(__dirname);
    const hash = sourcesHash(packDir);
    const current = readStamp(packDir) === hash && fs.existsSync(path.join(packDir, "bin", "index.js"));
    switch (argv[0]) {
        case "hash":
            process.stdout.write(`${hash}\n`);
            return 0;
        case "check":
            return current ? 0 : 1;
        case "transpile":
            if (!current) {
                transpile(packDir);
                writeStamp(packDir, hash);
            }
            return 0;
        case "tsc": {
            if (current && argv[1] !== "--force") {
                return 0;
            }
            const tsc = require.resolve("typescript/bin/tsc", { paths: [packDir] });
            const run = require("node:child_process").spawnSync(process.execPath, [tsc, "-p", packDir], {
                stdio: "inherit",
            });
            if (run.status === 0) {
                writeStamp(packDir, hash);
            }
            return run.status ?? 1;
        }
        default:
            process.stderr.write("usage: node loader/build.js check|tsc [--force]|transpile|hash\n");
            return 2;
    }
}

module.exports = { StampFile, sourceFiles, sourcesHash, readStamp, writeStamp, transpile, ensureCurrent };

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
