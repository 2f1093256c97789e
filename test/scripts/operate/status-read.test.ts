/** scripts/operate/status-read.ts: which PersistentVolumeClaims belong to a tier. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tierClaims } from "../../../scripts/operate/status-read";

describe("status read: a tier's volumes", () => {
    it("volumes: only the claims the tier's templates name", () => {
        const claims = [
            { namespace: "ns", name: "store-opr-store-10", storage: "10Gi", deleting: false },
            { namespace: "ns", name: "store-opr-store-2", storage: "10Gi", deleting: false },
            { namespace: "ns", name: "store-opr-store-x", deleting: false },
            { namespace: "ns", name: "store-other-store-0", deleting: false },
        ];
        assert.deepEqual(
            tierClaims("opr-store", ["store"], claims).map((c) => c.name),
            ["store-opr-store-2", "store-opr-store-10"],
        );
    });
});
