/**
 * scripts/operate/pd-read.ts over config `pd.apiUrl`, against the PD double on loopback: it reads
 * PD with the pack's envelope parsing and HTTP GET (policies/baseline/pd.ts), so both answer alike.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PdErrorAnswer, envelopeValue, parseStores } from "../../../policies/baseline/pd";
import { readPd } from "../../../scripts/operate/pd-read";
import type { StackInfo } from "../../../scripts/operate/stack";
import { PdDouble, StoreState, storeAddress } from "../../helpers/pd-double";

const info = (pdApiUrl: string): StackInfo =>
    ({
        stack: "dev",
        projectDir: "/nonexistent",
        namespace: "ns1",
        cluster: "demo",
        kube: {},
        pdApiUrl,
    }) as unknown as StackInfo;

describe("status reads PD through pd.apiUrl", () => {
    it("a bootstrapped PD: the stores with ordinal, state name and leader count, and the cell summary", async () => {
        const pd = PdDouble.seeded("demo", "ns1", 3);
        pd.storeByAddress(storeAddress("demo", "ns1", 2))!.state = StoreState.Offline;
        await pd.serve(async (url) => {
            const view = await readPd(info(url));
            assert.ok(view.reachable);
            assert.equal(view.source, `${url} (config pd.apiUrl)`);
            assert.equal(view.bootstrapped, true);
            assert.deepEqual(
                view.stores.map((s) => [s.ordinal, s.state]),
                [
                    [0, "Up"],
                    [1, "Up"],
                    [2, "Offline"],
                ],
            );
            assert.ok(view.stores.every((s) => typeof s.leaderCount === "number"));
            assert.equal(typeof view.cellCount, "number");
        });
    });

    it("PD not bootstrapped yet: reachable, bootstrapped false, no stores", async () => {
        const pd = new PdDouble();
        await pd.serve(async (url) => {
            const view = await readPd(info(url));
            assert.ok(view.reachable);
            assert.equal(view.bootstrapped, false);
            assert.deepEqual(view.stores, []);
        });
    });

    it("nothing listening: unreachable, with the socket error as the reason", async () => {
        const pd = new PdDouble();
        const url = await pd.start();
        await pd.stop();
        const view = await readPd(info(url));
        assert.deepEqual(view, { reachable: false, source: `${url} (config pd.apiUrl)`, reason: "ECONNREFUSED" });
    });
});

describe("PD's envelope, shared by the pack and status", () => {
    const notBootstrapped = JSON.stringify({ code: 1, error: "cluster not bootstrapped" });

    it("envelopeValue: the value of code 0, PdErrorAnswer with PD's text otherwise, a plain Error for non-JSON", () => {
        assert.deepEqual(envelopeValue(JSON.stringify({ code: 0, value: [1] })), [1]);
        assert.throws(
            () => envelopeValue(notBootstrapped),
            (e: unknown) => e instanceof PdErrorAnswer && e.message === "cluster not bootstrapped",
        );
        assert.throws(() => envelopeValue(JSON.stringify({ code: 7 })), { message: "code 7" });
        assert.throws(
            () => envelopeValue("<html>"),
            (e: unknown) => !(e instanceof PdErrorAnswer) && /not JSON \(<html>\)/.test((e as Error).message),
        );
    });

    it("parseStores names PD's error for the pack's messages", () => {
        assert.throws(() => parseStores(notBootstrapped, "demo", "ns1"), {
            message: "PD answered with an error: cluster not bootstrapped",
        });
        assert.throws(() => parseStores(JSON.stringify({ code: 0, value: {} }), "demo", "ns1"), {
            message: "PD's store list is not a list",
        });
    });
});
