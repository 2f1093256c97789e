/** scripts/operate/run-main.ts: the exit code of an operate script, and its one-line failure. */
import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import { runMain } from "../../../scripts/operate/run-main";

describe("runMain", () => {
    afterEach(() => {
        process.exitCode = undefined;
    });

    it("exits with the code main resolves with", async () => {
        await runMain("status", () => Promise.resolve(1));
        assert.equal(process.exitCode, 1);
    });

    it("a failure: `<name>: <message>` on stderr, exit code 2", async () => {
        const write = mock.method(process.stderr, "write", () => true);
        try {
            await runMain("audit", () => Promise.reject(new Error("no stack named x")));
        } finally {
            write.mock.restore();
        }
        assert.deepEqual(
            write.mock.calls.map((c) => c.arguments[0]),
            ["audit: no stack named x\n"],
        );
        assert.equal(process.exitCode, 2);
    });
});
