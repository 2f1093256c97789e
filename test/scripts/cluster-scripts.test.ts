/**
 * The local cluster's scripts without a cluster: `--check` and `cluster-build.sh --cached` never
 * build, cluster-down is idempotent, the state of the former hand-written scripts is named before
 * anything is built, kwokctl's configuration is filled in completely, and a cached binary is reused
 * only when its build record matches what the wrapper module would link. Runs the real files
 * under bash with an empty cache and a temporary state dir.
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
    rmSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { load } from "js-yaml";
import { ProjectRoot } from "../helpers/stacks";

const scripts = join(ProjectRoot, "scripts");

describe("scripts/cluster-*.sh and scripts/cluster/*.sh without a cluster", () => {
    let root: string;
    let cache: string;
    let state: string;

    function bash(script: string, env: NodeJS.ProcessEnv = {}) {
        const r = spawnSync("bash", ["-c", script], {
            env: {
                ...process.env,
                ELASTICELL_CACHE: cache,
                ELASTICELL_CLUSTER_DIR: state,
                // Ports nothing listens on, so a stray start could not reach the shared cluster.
                ELASTICELL_APISERVER_PORT: "1",
                ...env,
            },
            encoding: "utf8",
            timeout: 60_000,
        });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    }
    const entries = () => (existsSync(join(cache, "toolchain")) ? readdirSync(join(cache, "toolchain")) : []);

    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "elasticell-cluster-"));
        cache = join(root, "cache");
        state = join(root, "state");
        mkdirSync(cache);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("cluster-build.sh --cached with nothing built: exit 1, and no build started", () => {
        const r = bash(`bash ${scripts}/cluster-build.sh --cached`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /cluster binaries are not built yet|go is not on PATH/);
        assert.doesNotMatch(r.stderr, /building/);
        assert.deepEqual(
            entries().filter((e) => e.startsWith("cluster-")),
            [],
        );
    });

    it("cluster-up.sh --check with nothing built: not running (exit 1), and no build started", () => {
        const r = bash(`bash ${scripts}/cluster-up.sh --check`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /local cluster is not running/);
        assert.doesNotMatch(r.stderr, /building/);
        assert.equal(r.stdout, "");
        assert.deepEqual(
            entries().filter((e) => e.startsWith("cluster-")),
            [],
        );
    });

    it("cluster-up.sh refuses the state of the former scripts before building anything", () => {
        mkdirSync(join(state, "pids"), { recursive: true });
        const r = bash(`bash ${scripts}/cluster-up.sh`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /holds a cluster of the former hand-written scripts/);
        assert.match(r.stderr, new RegExp(`rm -rf ${state}`));
        assert.doesNotMatch(r.stderr, /building/);
    });

    it("cluster-down.sh with no cluster: nothing to stop; --purge removes the state dir", () => {
        const r = bash(`bash ${scripts}/cluster-down.sh`);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /nothing to stop/);
        mkdirSync(state);
        writeFileSync(join(state, "kubeconfig"), "stale");
        const p = bash(`bash ${scripts}/cluster-down.sh --purge`);
        assert.equal(p.code, 0, p.stderr);
        assert.equal(existsSync(state), false);
        assert.equal(bash(`bash ${scripts}/cluster-down.sh --bogus`).code, 1);
    });

    it("cluster-down.sh --purge never deletes the state of a cluster of the former scripts", () => {
        mkdirSync(join(state, "pids"), { recursive: true });
        const r = bash(`bash ${scripts}/cluster-down.sh --purge`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /former hand-written scripts/);
        assert.equal(existsSync(join(state, "pids")), true);
    });

    it("render_config fills every placeholder of cluster/kwokctl.yaml", () => {
        const out = join(root, "kwokctl.yaml");
        const r = bash(
            `source ${scripts}/lib/common.sh; source ${scripts}/cluster/config.sh; BIN=/opt/bin; render_config ${out} v1.36.3`,
            { ELASTICELL_ETCD_PORT: "33790", ELASTICELL_KWOK_PORT: "20347" },
        );
        assert.equal(r.code, 0, r.stderr);
        const text = readFileSync(out, "utf8");
        assert.doesNotMatch(text.replace(/^\s*#.*$/gm, ""), /@[A-Z0-9_]+@/, "a placeholder was left");
        const conf = load(text) as {
            kind: string;
            options: Record<string, unknown>;
            componentsPatches: { name: string; extraArgs: { key: string; value: string }[] }[];
        };
        assert.equal(conf.kind, "KwokctlConfiguration");
        assert.equal(conf.options.kubeApiserverPort, 1);
        assert.equal(conf.options.etcdPort, 33790);
        assert.equal(conf.options.kwokControllerPort, 20347);
        assert.equal(conf.options.kubeVersion, "v1.36.3");
        assert.equal(conf.options.kubeApiserverBinary, "/opt/bin/kube-apiserver");
        assert.equal(conf.options.kubeAdmission, true, "admission plugins (ValidatingAdmissionPolicy) stay on");
        const kcm = conf.componentsPatches.find((p) => p.name === "kube-controller-manager")!;
        const signing = kcm.extraArgs.find((a) => a.key === "cluster-signing-key-file")!;
        assert.equal(signing.value, join(state, "kwok", "clusters", "elasticell", "pki", "ca.key"));
    });

    it("every file of cluster/kwok/*.yaml that cluster-up passes to kwokctl -c is a Stage", () => {
        const dir = join(ProjectRoot, "cluster", "kwok");
        const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
        assert.ok(files.length >= 6, files.join(" "));
        for (const f of files) {
            assert.equal((load(readFileSync(join(dir, f), "utf8")) as { kind: string }).kind, "Stage", f);
        }
    });

    it("same_build: reuses a binary only when its Go version, settings and linked modules match", () => {
        // A fake `go`: `go version -m` prints a recorded build, `go list` what the module would link.
        const bin = join(root, "bin");
        mkdirSync(bin);
        const record = [
            "/x/kwok: go1.26.8",
            "\tpath\tsigs.k8s.io/kwok/cmd/kwok",
            "\tmod\tsigs.k8s.io/kwok\tv0.8.0\th1:a=",
            "\tdep\tk8s.io/api\tv0.36.1\th1:b=",
            "\tdep\tk8s.io/client-go\tv0.0.0",
            "\t=>\tk8s.io/client-go\tv0.36.1\th1:c=",
            "\tbuild\t-trimpath=true",
            "\tbuild\tCGO_ENABLED=0",
            `\tbuild\tGOARCH=${process.arch === "arm64" ? "arm64" : "amd64"}`,
            "\tbuild\tGOOS=linux",
        ].join("\n");
        writeFileSync(join(root, "record"), `${record}\n`);
        writeFileSync(
            join(bin, "go"),
            [
                "#!/bin/sh",
                `case "$1" in`,
                `  version) cat ${join(root, "record")} ;;`,
                `  list) cat ${join(root, "linked")} ;;`,
                `  env) [ "$2" = GOOS ] && echo linux || echo ${process.arch === "arm64" ? "arm64" : "amd64"} ;;`,
                "esac",
            ].join("\n"),
        );
        chmodSync(join(bin, "go"), 0o755);
        const same = (linked: string, goVersion = "go1.26.8") => {
            writeFileSync(join(root, "linked"), linked);
            return bash(
                `source ${scripts}/lib/common.sh; source ${scripts}/cluster/reuse.sh; GO_VERSION=${goVersion}; same_build /x/kwok ${root} "" sigs.k8s.io/kwok/cmd/kwok`,
                { PATH: `${bin}:${process.env.PATH ?? ""}` },
            ).code;
        };
        const linked =
            "sigs.k8s.io/kwok v0.8.0\nk8s.io/api v0.36.1\nk8s.io/client-go v0.0.0 => k8s.io/client-go v0.36.1\n";
        assert.equal(same(linked), 0, "identical record: reused");
        assert.equal(same(linked.replace("k8s.io/api v0.36.1", "k8s.io/api v0.36.2")), 1, "a dependency moved");
        assert.equal(
            same(linked.replace("=> k8s.io/client-go v0.36.1", "=> k8s.io/client-go v0.36.3")),
            1,
            "a replacement moved",
        );
        assert.equal(same(`${linked}golang.org/x/net v0.51.0\n`), 1, "one more module linked");
        assert.equal(same(linked, "go1.26.9"), 1, "another Go version");
    });
});
