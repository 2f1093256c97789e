/**
 * scripts/lib/parallel.sh: `npm run deploy` builds the Pulumi toolchain and the control plane side
 * by side. Proven with two fake builds of 2 s each: together they take about 2 s, not 4; each
 * gets its own log; a failing build stops the deploy with its name and the end of its log.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ProjectRoot } from "../../helpers/stacks";

describe("scripts/lib/parallel.sh: builds side by side", () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), "elasticell-parallel-"))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    /** A fake build: logs to stderr, sleeps, prints a result on stdout, exits with `code`. */
    function build(name: string, seconds: number, code = 0): string {
        const path = join(root, `${name}.sh`);
        writeFileSync(
            path,
            `echo "${name} starting" >&2\nsleep ${seconds}\necho "${name} step failed here" >&2\necho /result/${name}\nexit ${code}\n`,
        );
        return path;
    }

    /** Runs parallel_builds with ELASTICELL_ROOT at the temp dir (logs land in <root>/.elasticell/logs). */
    function runBuilds(...args: string[]) {
        const script = `source ${join(ProjectRoot, "scripts", "lib", "common.sh")}; ELASTICELL_ROOT=${root}; source ${join(ProjectRoot, "scripts", "lib", "parallel.sh")}; parallel_builds "$@"`;
        const t0 = Date.now();
        const r = spawnSync("bash", ["-c", script, "bash", ...args], {
            encoding: "utf8",
            env: { HOME: root, PATH: process.env.PATH },
        });
        return { code: r.status, stderr: r.stderr, seconds: (Date.now() - t0) / 1000 };
    }

    it("runs both at once, with one log per build", () => {
        const r = runBuilds("toolchain", build("a", 2), "cluster-build", build("b", 2));
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.seconds < 3.5, `two 2 s builds took ${r.seconds} s: not in parallel`);
        assert.match(r.stderr, /\[toolchain\] a starting/);
        assert.match(r.stderr, /\[cluster-build\] b starting/);
        assert.match(readFileSync(join(root, ".elasticell", "logs", "toolchain.log"), "utf8"), /^a starting$/m);
        assert.equal(readFileSync(join(root, ".elasticell", "logs", "cluster-build.out"), "utf8"), "/result/b\n");
    });

    it("a failing build fails the whole step, names it and shows the end of its log; the other finishes", () => {
        const r = runBuilds("toolchain", build("a", 1), "cluster-build", build("b", 2, 3));
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /cluster-build FAILED; last lines of .*cluster-build\.log/);
        assert.match(r.stderr, /^ {4}b step failed here$/m);
        assert.match(r.stderr, /error: build failed: cluster-build \(/);
        assert.doesNotMatch(r.stderr, /toolchain FAILED/);
        assert.equal(readFileSync(join(root, ".elasticell", "logs", "toolchain.out"), "utf8"), "/result/a\n");
    });
});
