/** `store.drain`, `store.drainTimeoutSeconds` and `pd.apiUrl` (components/config-drain.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../components/config";
import { drainOrdinals } from "../../components/config-drain";
import { problems } from "../helpers/config-refusal";

describe("stack config: store.drain", () => {
    it("defaults to no drain, a 1800 s deadline and no PD override", () => {
        const cfg = parseStackConfig({});
        assert.deepEqual([cfg.store.drain, cfg.store.drainTimeoutSeconds, cfg.pd.apiUrl], [[], 1800, undefined]);
    });

    const good: [string, unknown, number, number[]][] = [
        ["the top ordinal before the shrink", [3], 4, [3]],
        ["the top two, in any order, as pod names", ["demo-store-4", 3], 5, [4, 3]],
        ["a JSON list as `pulumi config set --path` stores it", "[5, 4]", 6, [5, 4]],
        ["numbers typed as strings", ["4"], 5, [4]],
        ["the drained ordinals after the shrink (kept for that run)", [3], 3, [3]],
        ["two drained, shrunk to 3", [4, 3], 3, [4, 3]],
    ];
    for (const [name, drain, replicas, ordinals] of good) {
        it(`accepts ${name}`, () => {
            const cfg = parseStackConfig({ store: { replicas, drain } });
            assert.deepEqual(drainOrdinals(cfg.name, cfg.store.drain), ordinals);
        });
    }

    const bad: [string, unknown, number, RegExp][] = [
        [
            "a drain leaving 2 stores",
            [3, 2],
            4,
            /store\.drain: would leave 2 stores; at least 3 must stay .*\n\s+fix: pulumi config set --path store\.drain '\[3\]'/,
        ],
        [
            "a store that is not the highest",
            [3],
            5,
            /store\.drain: must be the highest ordinals of the 5 stores, without gaps \(drain demo-store-4 first.*\n\s+fix: pulumi config set --path store\.drain '\[4,3\]'/,
        ],
        ["a gap", [5, 3], 6, /must be the highest ordinals of the 6 stores, without gaps/],
        ["ordinals past the tier", [5], 3, /must be the highest ordinals of the 3 stores/],
        [
            "a pod of another cluster",
            ["other-store-3"],
            4,
            /store\.drain\[0\]: names a pod of another StatefulSet; this cluster's stores are demo-store-<ordinal>/,
        ],
        ["a word", ["three"], 4, /store\.drain\[0\]/],
        ["a negative ordinal", [-1], 4, /store\.drain\[0\]/],
    ];
    for (const [name, drain, replicas, pattern] of bad) {
        it(`refuses ${name}`, () => assert.match(problems({ store: { replicas, drain } }), pattern));
    }

    it("refuses a drain deadline of 0 and a PD URL that is not http(s)", () => {
        assert.match(problems({ store: { drainTimeoutSeconds: 0 } }), /store\.drainTimeoutSeconds/);
        assert.match(problems({ pd: { apiUrl: "ftp://pd:2379" } }), /pd\.apiUrl/);
        assert.equal(parseStackConfig({ pd: { apiUrl: "http://127.0.0.1:2379" } }).pd.apiUrl, "http://127.0.0.1:2379");
    });
});
