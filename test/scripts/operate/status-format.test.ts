/** scripts/operate/status-format.ts: the status text a person reads. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatStatus } from "../../../scripts/operate/status-format";
import { pdView, report, store, tier } from "./status-fixtures";

describe("status text", () => {
    it("text: one table row per tier, drift, PD stores and the verdict", () => {
        const text = formatStatus(
            report({
                tiers: [tier("pd", 3), tier("store", 3, { liveReplicas: 4, ready: 4 }), tier("proxy", 1)],
                pd: pdView({ stores: [store(0), store(1), store(2), store(3)] }),
            }),
        );
        assert.match(text, /^store\s+opr-store\s+3\s+4\s+4\/4\s+img\/store:1/m);
        assert.match(text, /drift: store runs 4 replicas, the stack asks for 3 \(npm run audit -- dev\)/);
        assert.match(text, /^\s+opr-store-3\s+4\s+Up\s+2$/m);
        assert.match(text, /^HEALTHY$/m);
    });
});
