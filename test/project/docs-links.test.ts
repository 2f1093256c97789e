/**
 * The README and docs/ point at things that exist: every relative link reaches a file (and, with
 * `#anchor`, a heading of it, slugged as GitHub does), and every `npm run <script>` they show is a
 * script of package.json. Moving a section then fails here instead of leaving a dead link.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { ProjectRoot } from "../helpers/stacks";

const Docs = [
    "README.md",
    ...readdirSync(join(ProjectRoot, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => join("docs", f)),
];

/** Markdown without its fenced code blocks (links and headings inside them are not real). */
function prose(file: string): string {
    return readFileSync(join(ProjectRoot, file), "utf8").replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const [, heading = ""] of prose(file).matchAll(/^#{1,6} (.+)$/gm)) {
        const slug = heading
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        result.add(n === 0 ? slug : `${slug}-${n}`);
    }
    return result;
}

/** A code span naming a file or folder of this repository (the top-level folders that hold sources). */
const RepoPath = /^(components|policies|scripts|cluster|toolchain|bench|examples|test|docs)\/[\w./{},-]*$/;

/** `a/{b,c}.ts` -> `a/b.ts`, `a/c.ts` (one brace group, as the docs write them). */
function expandBraces(span: string): string[] {
    const m = /^(.*)\{([^}]*)\}(.*)$/.exec(span);
    return m === null ? [span] : (m[2] ?? "").split(",").map((part) => `${m[1]}${part}${m[3]}`);
}

describe("README and docs/", () => {
    it("finds the README and at least one doc", () => {
        assert.ok(Docs.length >= 2, Docs.join(", "));
    });

    for (const file of Docs) {
        it(`${file}: relative links reach a file and a heading`, () => {
            const broken: string[] = [];
            let checked = 0;
            for (const [, target = ""] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) {
                    continue; // an absolute URL: not checked offline
                }
                checked++;
                const [path = "", anchor] = target.split("#");
                const resolved = path === "" ? join(ProjectRoot, file) : join(dirname(join(ProjectRoot, file)), path);
                if (!existsSync(resolved)) {
                    broken.push(`${target}: no ${relative(ProjectRoot, resolved)}`);
                } else if (anchor !== undefined && statSync(resolved).isFile()) {
                    if (!anchors(relative(ProjectRoot, resolved)).has(anchor)) {
                        broken.push(`${target}: no heading #${anchor}`);
                    }
                }
            }
            assert.deepEqual(broken, []);
            assert.ok(file !== "README.md" || checked >= 10, `README links checked: ${checked}`);
        });
    }

    it("names only repository paths that exist (`components/...`, `test/...`, with {a,b} expanded)", () => {
        const missing: string[] = [];
        let checked = 0;
        for (const file of Docs) {
            for (const [, span = ""] of prose(file).matchAll(/`([^`\s<>*$]+)`/g)) {
                if (!RepoPath.test(span) || span.includes("node_modules")) {
                    continue;
                }
                for (const path of expandBraces(span)) {
                    checked++;
                    if (!existsSync(join(ProjectRoot, path))) {
                        missing.push(`${file}: ${path}`);
                    }
                }
            }
        }
        assert.ok(checked >= 20, `${checked} paths checked`);
        assert.deepEqual(missing, []);
    });

    it("shows only npm scripts that package.json defines", () => {
        const pkg = JSON.parse(readFileSync(join(ProjectRoot, "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        };
        const shown = Docs.flatMap((f) =>
            [...readFileSync(join(ProjectRoot, f), "utf8").matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]),
        );
        assert.ok(shown.length >= 5, `${shown.length} npm run commands found`);
        assert.deepEqual(
            [...new Set(shown.filter((s) => s === undefined || !(s in pkg.scripts)))],
            [],
            "npm scripts shown in the docs but missing from package.json",
        );
    });
});
