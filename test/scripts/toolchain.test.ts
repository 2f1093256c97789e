/**
 * scripts/toolchain.sh finds an existing Pulumi install before it decides to build: `pulumi` on
 * PATH or in ~/.pulumi/bin, the language host next to it, and the Kubernetes provider where
 * Pulumi installs plugins (~/.pulumi/plugins/resource-kubernetes-v<version>/). Each case runs the
 * real script with a fake HOME, fake executables and a fake `go` that records being called, so
 * "does not build" is observed, not assumed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
    chmodSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    realpathSync,
    rmSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ProjectRoot } from "../helpers/stacks";

/** The provider version the script looks for (toolchain/versions.env). */
const providerVersion = /^KUBERNETES_PROVIDER_VERSION=(.+)$/m.exec(
    readFileSync(join(ProjectRoot, "toolchain", "versions.env"), "utf8"),
)?.[1];

interface Sandbox {
    readonly root: string;
    readonly home: string;
    /** On PATH: the fake `go` (and whatever a case adds). */
    readonly bin: string;
    readonly cache: string;
    /** Written by the fake `go` when the script tries to build. */
    readonly goCalls: string;
}

function fakeExecutable(path: string, body = "exit 0"): string {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
}

function run(s: Sandbox, env: NodeJS.ProcessEnv = {}) {
    const r = spawnSync("bash", [join(ProjectRoot, "scripts", "toolchain.sh")], {
        env: { HOME: s.home, PATH: `${s.bin}:/usr/bin:/bin`, ELASTICELL_CACHE: s.cache, ...env },
        encoding: "utf8",
    });
    const lines = r.stdout.trim().split("\n");
    return { code: r.status, stderr: r.stderr, bin: lines[lines.length - 1] ?? "" };
}

/** Resolves each tool of a printed bin dir to the file it runs. */
function resolved(bin: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"]) {
        out[t] = realpathSync(join(bin, t));
    }
    return out;
}

describe("scripts/toolchain.sh: an existing Pulumi install is used, nothing is built", () => {
    let s: Sandbox;

    beforeEach(() => {
        const root = mkdtempSync(join(tmpdir(), "elasticell-toolchain-"));
        s = {
            root,
            home: join(root, "home"),
            bin: join(root, "bin"),
            cache: join(root, "cache"),
            goCalls: join(root, "go-calls"),
        };
        mkdirSync(s.home);
        fakeExecutable(join(s.bin, "go"), `echo "go $*" >> ${s.goCalls}\nexit 1`);
    });
    afterEach(() => rmSync(s.root, { recursive: true, force: true }));

    it("reads the provider version from toolchain/versions.env", () => {
        assert.match(providerVersion ?? "", /^\d+\.\d+\.\d+$/);
    });

    it("Pulumi's installer layout: ~/.pulumi/bin and the provider in ~/.pulumi/plugins", () => {
        const cli = fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi"));
        const host = fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi-language-nodejs"));
        const provider = fakeExecutable(
            join(s.home, ".pulumi", "plugins", `resource-kubernetes-v${providerVersion}`, "pulumi-resource-kubernetes"),
        );
        const r = run(s);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(resolved(r.bin), {
            pulumi: cli,
            "pulumi-language-nodejs": host,
            "pulumi-resource-kubernetes": provider,
        });
        assert.match(
            r.stderr,
            new RegExp(`using the installed pulumi-resource-kubernetes: ${provider.replace(/[.]/g, "\\.")}`),
        );
        assert.equal(existsSync(s.goCalls), false, "go must not run");
        assert.deepEqual(
            readdirSync(join(s.cache, "toolchain")).filter((d) => d.startsWith("pulumi-")),
            [],
            "no build entry in the cache",
        );
    });

    it("pulumi on PATH with its language host beside it, the provider from the plugin dir", () => {
        const cli = fakeExecutable(join(s.root, "opt", "pulumi", "pulumi"));
        const host = fakeExecutable(join(s.root, "opt", "pulumi", "pulumi-language-nodejs"));
        const provider = fakeExecutable(
            join(s.home, ".pulumi", "plugins", `resource-kubernetes-v${providerVersion}`, "pulumi-resource-kubernetes"),
        );
        const r = run(s, { PATH: `${join(s.root, "opt", "pulumi")}:${s.bin}:/usr/bin:/bin` });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(resolved(r.bin), {
            pulumi: cli,
            "pulumi-language-nodejs": host,
            "pulumi-resource-kubernetes": provider,
        });
        assert.equal(existsSync(s.goCalls), false, "go must not run");
    });

    it("PULUMI_HOME moves the plugin dir", () => {
        const home = join(s.root, "pulumi-home");
        fakeExecutable(join(home, "bin", "pulumi"));
        fakeExecutable(join(home, "bin", "pulumi-language-nodejs"));
        const provider = fakeExecutable(
            join(home, "plugins", `resource-kubernetes-v${providerVersion}`, "pulumi-resource-kubernetes"),
        );
        const r = run(s, { PULUMI_HOME: home });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(resolved(r.bin)["pulumi-resource-kubernetes"], provider);
        assert.equal(existsSync(s.goCalls), false, "go must not run");
    });

    it("all three in one directory on PATH: that directory, unchanged", () => {
        const dir = join(s.root, "tools");
        for (const t of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"]) {
            fakeExecutable(join(dir, t));
        }
        const r = run(s, { PATH: `${dir}:${s.bin}:/usr/bin:/bin` });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.bin, dir);
        assert.equal(existsSync(s.goCalls), false, "go must not run");
    });

    it("a provider plugin of another version is not used: it decides to build (and says why)", () => {
        fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi"));
        fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi-language-nodejs"));
        fakeExecutable(join(s.home, ".pulumi", "plugins", "resource-kubernetes-v4.0.0", "pulumi-resource-kubernetes"));
        const r = run(s);
        assert.notEqual(r.code, 0, "the fake go fails the build");
        assert.match(
            r.stderr,
            new RegExp(
                `no installed pulumi-resource-kubernetes \\(looked on PATH and in .*resource-kubernetes-v${providerVersion}/\\)`,
            ),
        );
        assert.match(readFileSync(s.goCalls, "utf8"), /^go build /m, "it tried to build");
    });

    it("ELASTICELL_TOOLCHAIN=build builds even with an install present", () => {
        fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi"));
        fakeExecutable(join(s.home, ".pulumi", "bin", "pulumi-language-nodejs"));
        fakeExecutable(
            join(s.home, ".pulumi", "plugins", `resource-kubernetes-v${providerVersion}`, "pulumi-resource-kubernetes"),
        );
        const r = run(s, { ELASTICELL_TOOLCHAIN: "build" });
        assert.notEqual(r.code, 0, "the fake go fails the build");
        assert.match(readFileSync(s.goCalls, "utf8"), /^go build /m);
    });
});
