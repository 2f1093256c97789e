/**
 * `source scripts/env.sh` never closes the user's shell: a failure (no toolchain, no Go) leaves
 * the shell running and unchanged, even under `set -u`; on success it exports PATH, the state
 * backend and KUBECONFIG and defines no helper functions in the shell. Runs the real file under
 * bash with a fake HOME, a fake cache and fake Pulumi executables.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ProjectRoot } from "../helpers/stacks";

const envSh = join(ProjectRoot, "scripts", "env.sh");

describe("scripts/env.sh: sourced, it never closes the user's shell", () => {
    let root: string;
    let home: string;
    let bin: string;

    /** Runs a bash "session" that sources env.sh, then prints what the shell looks like after. */
    function session(before: string, env: NodeJS.ProcessEnv = {}) {
        const after =
            'echo "ALIVE rc=$rc"; echo "PATH=$PATH"; echo "KUBECONFIG=${KUBECONFIG-}"; echo "BACKEND=${PULUMI_BACKEND_URL-}"; type die >/dev/null 2>&1 && echo "FUNCTION die"; true';
        const r = spawnSync("bash", ["-c", `${before}\nsource ${envSh}; rc=$?\n${after}`], {
            env: { HOME: home, PATH: `${bin}:/usr/bin:/bin`, ELASTICELL_CACHE: join(root, "cache"), ...env },
            encoding: "utf8",
        });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "elasticell-env-"));
        home = join(root, "home");
        bin = join(root, "bin");
        mkdirSync(home);
        mkdirSync(bin);
        // node is needed (state.sh reads credentials.json with it); go is deliberately absent.
        writeFileSync(join(bin, "node"), `#!/bin/sh\nexec ${process.execPath} "$@"\n`);
        chmodSync(join(bin, "node"), 0o755);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    for (const [name, before] of [
        ["a plain shell", ""],
        ["a shell with set -u", "set -u"],
        ["a shell with set -o pipefail", "set -o pipefail"],
    ] as const) {
        it(`no toolchain and no Go: returns 1 and ${name} keeps running, unchanged`, () => {
            const r = session(before);
            assert.match(r.stdout, /^ALIVE rc=1$/m, r.stderr);
            assert.match(r.stderr, /Go \(>= 1\.26\) is needed/);
            assert.match(r.stderr, /nothing changed in this shell/);
            assert.match(r.stdout, new RegExp(`^PATH=${bin}:/usr/bin:/bin$`, "m"), "PATH untouched");
            assert.match(r.stdout, /^BACKEND=$/m, "no backend exported");
            assert.doesNotMatch(r.stdout, /FUNCTION die/, "no die() left in the shell");
        });
    }

    it("with an installed toolchain: exports PATH, the project state and the local kubeconfig first", () => {
        for (const t of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"]) {
            writeFileSync(join(bin, t), "#!/bin/sh\nexit 0\n");
            chmodSync(join(bin, t), 0o755);
        }
        mkdirSync(join(home, ".kube"));
        writeFileSync(join(home, ".kube", "config"), "apiVersion: v1\n");
        const r = session("");
        assert.match(r.stdout, /^ALIVE rc=0$/m, r.stderr);
        assert.match(
            r.stdout,
            new RegExp(`^PATH=.*${join(ProjectRoot, "scripts", "plugins")}:${bin}:/usr/bin:/bin$`, "m"),
        );
        assert.match(r.stdout, new RegExp(`^BACKEND=file://${ProjectRoot}/\\.elasticell/state$`, "m"));
        const kubeconfig = join(ProjectRoot, ".elasticell", "cluster", "kubeconfig");
        if (existsSync(kubeconfig)) {
            // The local cluster exists on this machine: its kubeconfig comes first, the user's stays.
            assert.match(r.stdout, new RegExp(`^KUBECONFIG=${kubeconfig}:${join(home, ".kube", "config")}$`, "m"));
        }
        assert.doesNotMatch(r.stdout, /FUNCTION die/);
    });

    it("run instead of sourced: says so and fails", () => {
        const r = spawnSync("bash", [envSh], { encoding: "utf8", env: { HOME: home, PATH: `${bin}:/usr/bin:/bin` } });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /source this file instead of running it/);
    });
});
