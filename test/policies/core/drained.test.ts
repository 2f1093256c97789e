/**
 * When a Store scale-in counts as drained (policies/core/drained.ts), judged through
 * elasticell-store-no-scale-in against the PD double (test/helpers/pd-double.ts) on loopback,
 * while the double moves stores from Up through Offline to Tombstone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { makeStoreNoScaleIn } from "../../../policies/rules/store-no-scale-in";
import { StatefulSet } from "../../../policies/core/statefulset";
import { PdDouble, StoreState, storeAddress, type StoreStateValue } from "../../helpers/pd-double";
import { validateResource, type PolicyConfig } from "../../helpers/policy";
import { Cluster, Namespace, deployed, memoryDeps, statefulSet } from "../fixtures";

/** Waits until `check` holds (the double's moves are timers). */
async function until(check: () => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
        assert.ok(Date.now() < deadline, "timed out waiting for the PD double");
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** Takes ordinal `o` offline in the double (as the drain does) and waits for `state`. */
async function drain(
    pd: PdDouble,
    url: string,
    o: number,
    state: StoreStateValue = StoreState.Tombstone,
): Promise<void> {
    const s = pd.storeByAddress(storeAddress(Cluster, Namespace, o))!;
    await fetch(`${url}/pd/api/v1/stores/${s.id}`, { method: "DELETE" });
    await until(() => s.state === state);
}

describe("elasticell-store-no-scale-in with PD", () => {
    let pd: PdDouble;
    let url: string;
    const run = (from: number, to: number, config: PolicyConfig = {}) =>
        validateResource(makeStoreNoScaleIn(memoryDeps(new MemoryBaseline([deployed("store", from)]))), {
            resourceClass: StatefulSet,
            props: statefulSet("store", to),
            config: { pdApiUrl: url, ...config },
        });

    before(async () => {
        pd = PdDouble.seeded(Cluster, Namespace, 5, 10, { moveDelayMs: 50 });
        url = await pd.start();
    });
    after(() => pd.stop());

    it("refuses an undrained scale-in 5 -> 4 as before, saying which store is not Tombstone", async () => {
        const v = await run(5, 4);
        assert.equal(v.length, 1);
        assert.equal(v[0].level, "mandatory");
        assert.match(
            v[0].message,
            /PD: demo-store-4: store 5 is Up, not Tombstone \(read from http:\/\/127\.0\.0\.1:\d+ \(pdApiUrl\)\)/,
        );
        assert.match(v[0].message, /pulumi config set --path store\.drain '\[4\]'/);
    });

    it("allows 5 -> 4 without break-glass once PD reports demo-store-4 Tombstone", async () => {
        await drain(pd, url, 4);
        assert.deepEqual(await run(5, 4), []);
    });

    it("refuses a half-drained 5 -> 3: demo-store-3 is still Offline (its replicas are moving)", async () => {
        pd.stuck = true;
        await drain(pd, url, 3, StoreState.Offline);
        const v = await run(5, 3);
        assert.equal(v.length, 1);
        assert.match(v[0].message, /demo-store-3: store 4 is Offline, not Tombstone/);
        assert.doesNotMatch(v[0].message, /demo-store-4:/);
    });

    it("refuses when fewer than 3 of the remaining stores are Up, even if the removed ones are Tombstone", async () => {
        pd.stuck = false;
        pd.stores.get(4)!.state = StoreState.Tombstone;
        pd.stores.get(3)!.state = StoreState.Offline; // demo-store-2 offline by hand
        const v = await run(5, 3);
        assert.match(v[0].message, /only 2 of the 3 remaining stores are Up in PD; at least 3 must stay Up/);
        pd.stores.get(3)!.state = StoreState.Up;
        assert.deepEqual(await run(5, 3), []);
    });

    it("refuses an ordinal PD does not know, and a scale-out after a drain judges the new store", async () => {
        assert.match((await run(6, 3))[0].message, /demo-store-5: PD knows no store at its address/);
        const again = pd.addStore(storeAddress(Cluster, Namespace, 4)); // demo-store-4 scaled out again, a new store
        assert.match((await run(5, 4))[0].message, new RegExp(`demo-store-4: store ${again} is Up, not Tombstone`));
    });

    it("fails closed when PD cannot be read, and keeps the floor", async () => {
        const v = await run(5, 4, { pdApiUrl: "http://127.0.0.1:1" });
        assert.match(
            v[0].message,
            /PD: cannot read PD of cluster "demo": reading http:\/\/127\.0\.0\.1:1\/pd\/api\/v1\/stores failed \(ECONNREFUSED\)/,
        );
        const floor = await run(3, 2);
        assert.ok(floor.some((x) => /below the floor of 3/.test(x.message)));
    });
});
