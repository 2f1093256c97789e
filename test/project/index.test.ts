import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settled } from "../helpers/mocks";

describe("the program entry (index.ts) with bad config", () => {
    it("fails with a RunError listing every problem and registers nothing", async () => {
        const recorded = await installMocks({ stack: "broken" });
        pulumi.runtime.setAllConfig({
            "elasticell:name": "Bad_Name",
            "elasticell:pd": JSON.stringify({ replicas: 4 }),
            "elasticell:store": JSON.stringify({ replicas: 2, replica: 5 }),
            "kubernetes:context": "ignored-other-namespace",
        });
        await assert.rejects(import("../../index"), (err: unknown) => {
            assert.ok(pulumi.RunError.isInstance(err), `expected a RunError (no stack trace), got ${String(err)}`);
            const text = err.message;
            for (const fragment of [
                "name: must be a DNS-1035 label",
                "pd.replicas: must be odd",
                "store.replicas: must be at least 3",
                "store.replica: unknown key",
            ]) {
                assert.ok(text.includes(fragment), `missing ${fragment} in:\n${text}`);
            }
            assert.match(text, /4 problems/);
            return true;
        });
        await settled();
        assert.deepEqual(recorded, [], "no resource may be registered when the config is bad");
    });
});
