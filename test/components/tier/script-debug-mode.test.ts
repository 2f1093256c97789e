/**
 * The start scripts' debug run mode (components/tier/script.ts `scriptHeader`), run by the
 * system's /bin/sh: with the pod annotation `runmode="debug"` the script idles instead of starting
 * the binary; removing the annotation resumes it with no container restart (docs/operations.md: Debug a pod);
 * a TERM while idle ends it without starting the binary.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { scriptHeader } from "../../../components/tier/script";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("start script debug mode: enter, leave, stop", () => {
    let dir: string;
    let annotations: string;

    /** Starts the header followed by a stand-in for `exec <binary>`; collects stdout. */
    function start() {
        const script = join(dir, "start.sh");
        writeFileSync(script, `${scriptHeader("store")}\necho BINARY-STARTED\n`);
        const child = spawn("/bin/sh", [script], { env: { PATH: "/usr/bin:/bin", PODINFO_DIR: dir } });
        const run = {
            out: "",
            code: undefined as number | null | undefined,
            signal: undefined as string | null | undefined,
        };
        child.stdout.on("data", (d) => (run.out += d));
        const done = new Promise<void>((resolve) =>
            child.on("close", (code, signal) => {
                run.code = code;
                run.signal = signal;
                resolve();
            }),
        );
        return { child, run, done };
    }

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "elasticell-debug-"));
        annotations = join(dir, "annotations");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("no annotation: the binary starts at once", async () => {
        writeFileSync(annotations, 'kubernetes.io/config.seen="x"\n');
        const { run, done } = start();
        await done;
        assert.equal(run.code, 0);
        assert.doesNotMatch(run.out, /idling/);
        assert.match(run.out, /BINARY-STARTED/);
    });

    it("runmode=debug idles; removing the annotation starts the binary without a restart", async () => {
        writeFileSync(annotations, 'runmode="debug"\nkubernetes.io/config.seen="x"\n');
        const { run, done } = start();
        await sleep(1500);
        assert.match(run.out, /runmode=debug: idling instead of starting store/);
        assert.doesNotMatch(run.out, /BINARY-STARTED/, "must idle while annotated");
        assert.equal(run.code, undefined, "still running");
        writeFileSync(annotations, 'kubernetes.io/config.seen="x"\n'); // the kubelet rewrites the file
        const t0 = Date.now();
        await done;
        assert.ok(Date.now() - t0 < 7000, "resumes within one 5 s poll");
        assert.equal(run.code, 0);
        assert.match(run.out, /runmode annotation removed: starting store\nBINARY-STARTED/);
    });

    it("TERM while idle (pod deleted) ends the script without starting the binary", async () => {
        writeFileSync(annotations, 'runmode="debug"\n');
        const { child, run, done } = start();
        await sleep(1000);
        child.kill("SIGTERM");
        const t0 = Date.now();
        await done;
        assert.ok(Date.now() - t0 < 7000, "stops within one poll");
        assert.ok(run.code === 143 || run.signal === "SIGTERM", `exit ${run.code} ${run.signal}`);
        assert.doesNotMatch(run.out, /BINARY-STARTED/);
    });
});
