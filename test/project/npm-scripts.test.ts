/**
 * Every `npm run <script>` of package.json points at things that exist: each path it names (a
 * script file, a tsconfig directory, a test directory) is in the repository, and each program it
 * starts is a system tool or a dependency's binary. A README that says `npm run setup` then works.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ProjectRoot } from "../helpers/stacks";

const pkg = JSON.parse(readFileSync(join(ProjectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** Programs a script may start without shipping them: the shell's and the OS's. */
const SystemPrograms = new Set(["bash", "sh", "node", "npm", "find", "sort"]);

/** The commands of a script line: split on shell operators and command substitutions. */
function commands(line: string): string[][] {
    return line
        .split(/&&|\|\||[|;]|\$\(|\)/)
        .map((c) =>
            c
                .trim()
                .split(/\s+/)
                .filter((w) => w !== ""),
        )
        .filter((words) => words.length > 0);
}

/** The words of a command that name files or directories of the repository. */
function paths(words: readonly string[]): string[] {
    const out: string[] = [];
    words.forEach((w, i) => {
        const unquoted = w.replace(/^['"]|['"]$/g, "");
        if (unquoted.includes("*") || unquoted.startsWith("-") || unquoted === ".") {
            return;
        }
        const afterProjectFlag = i > 0 && words[i - 1] === "-p";
        if (afterProjectFlag || unquoted.includes("/") || /\.(sh|ts|js|json)$/.test(unquoted)) {
            out.push(unquoted);
        }
    });
    return out;
}

describe("package.json scripts point at existing files", () => {
    it("the parser sees the paths and programs of a script", () => {
        assert.deepEqual(commands("tsc --noEmit -p . && tsc -p policies"), [
            ["tsc", "--noEmit", "-p", "."],
            ["tsc", "-p", "policies"],
        ]);
        assert.deepEqual(paths(["node", "--test", "$(find", "test/a", "-name", "'*.test.ts'"]), ["test/a"]);
        assert.deepEqual(paths(["bash", "scripts/x.sh"]), ["scripts/x.sh"]);
    });

    for (const [name, line] of Object.entries(pkg.scripts)) {
        it(`npm run ${name}: ${line}`, () => {
            for (const words of commands(line)) {
                const program = words[0] ?? "";
                assert.ok(
                    SystemPrograms.has(program) || existsSync(join(ProjectRoot, "node_modules", ".bin", program)),
                    `npm run ${name} starts "${program}", which is neither a system tool nor in node_modules/.bin`,
                );
                for (const p of paths(words)) {
                    assert.ok(existsSync(join(ProjectRoot, p)), `npm run ${name} names ${p}, which does not exist`);
                }
            }
        });
    }

    it("every scripts/*.sh an npm script runs is a bash script with strict mode", () => {
        for (const line of Object.values(pkg.scripts)) {
            for (const m of line.matchAll(/bash (scripts\/[\w.-]+\.sh)/g)) {
                const text = readFileSync(join(ProjectRoot, m[1] ?? ""), "utf8");
                assert.match(text, /^#!\/usr\/bin\/env bash/, `${m[1]}: shebang`);
                assert.match(text, /^set -euo pipefail$/m, `${m[1]}: strict mode`);
            }
        }
    });
});
