import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import type { DeployedClaim } from "../../../policies/baseline/types";
import { PersistentVolumeClaim } from "../../../policies/core/claim";
import { claimOrdinal, makeVolumeGrowth } from "../../../policies/rules/volume-growth";
import { unknownValues } from "../../../policies/core/sdk";
import { validateResource } from "../../helpers/policy";
import { baseline, classes, liveClaim, planned } from "../claim-fixtures";
import { edited, live, memoryDeps, validOverride } from "../fixtures";

async function run(props: object, b: MemoryBaseline, config: Record<string, unknown> = {}, dryRun = true) {
    const deps = memoryDeps(b, { project: "elasticell", stack: "dev", dryRun, source: "test" });
    return validateResource(makeVolumeGrowth(deps), { resourceClass: PersistentVolumeClaim, props, config });
}

describe("elasticell-volume-growth allows", () => {
    const allowed: [string, object, MemoryBaseline][] = [
        ["a new claim (first deployment, or a new ordinal)", planned("store", "2Gi"), baseline([])],
        ["the same size", planned("store", "1Gi"), baseline([liveClaim("store", "1Gi")])],
        [
            "the same size written differently (1Gi = 1024Mi)",
            planned("store", "1024Mi"),
            baseline([liveClaim("store", "1Gi")]),
        ],
        [
            "growth where the claim's class allows expansion",
            planned("store", "2Gi"),
            baseline([liveClaim("store", "1Gi")]),
        ],
        [
            "growth of a Bound claim",
            planned("store", "2Gi"),
            baseline([{ ...liveClaim("store", "1Gi"), phase: "Bound" }]),
        ],
        [
            "growth of a PD volume on the default class that allows expansion",
            planned("pd", "2Gi"),
            baseline([liveClaim("pd", "1Gi", null)], [{ name: "std", allowVolumeExpansion: true, isDefault: true }]),
        ],
        [
            "lowering a request whose expansion failed, still above the volume's capacity (20Gi asked, 10Gi held, 15Gi now)",
            planned("store", "15Gi"),
            baseline([{ ...liveClaim("store", "20Gi"), capacity: "10Gi" }]),
        ],
        [
            "the deployed class set explicitly",
            planned("store", "1Gi", "expandable"),
            baseline([liveClaim("store", "1Gi")]),
        ],
        [
            "a claim being deleted (the StatefulSet controller re-creates it)",
            planned("store", "512Mi"),
            baseline([{ ...liveClaim("store", "1Gi"), deleting: true }]),
        ],
        ["a render directory (no claims to compare)", planned("store", "512Mi"), baseline(undefined, undefined)],
        [
            "a claim of another program (no elasticell labels)",
            edited(planned("store", "512Mi"), (m) => delete m.metadata.labels),
            baseline([liveClaim("store", "1Gi")]),
        ],
        [
            "a proxy-labelled claim (the proxy keeps no data)",
            planned("proxy", "512Mi"),
            baseline([liveClaim("proxy", "1Gi")]),
        ],
    ];
    for (const [name, props, b] of allowed) {
        it(name, async () => assert.deepEqual(await run(props, b), []));
    }
});

describe("elasticell-volume-growth refuses", () => {
    const refused: [string, object, MemoryBaseline, readonly RegExp[]][] = [
        [
            "growth where the class does not allow expansion",
            planned("store", "2Gi"),
            baseline([liveClaim("store", "1Gi", "fixed")]),
            [
                /spec\.resources\.requests\.storage: 1Gi -> 2Gi \(deployed -> requested\)/,
                /StorageClass fixed does not allow volume expansion \(allowVolumeExpansion is not true\)/,
                /`kubectl patch storageclass fixed -p '\{"allowVolumeExpansion":true\}'`/,
                /`pulumi config set --path store\.storage\.size 1Gi`/,
            ],
        ],
        [
            "growth on the default class when it does not allow expansion",
            planned("store", "2Gi"),
            baseline([liveClaim("store", "1Gi", null)]),
            [/StorageClass fixed does not allow volume expansion/],
        ],
        [
            "growth where the claim's class is gone",
            planned("store", "2Gi"),
            baseline([liveClaim("store", "1Gi", "deleted-class")]),
            [/StorageClass deleted-class does not exist in the cluster/, /keep the deployed size 1Gi/],
        ],
        [
            "growth of a claim not yet Bound (its pod not scheduled)",
            planned("store", "2Gi"),
            baseline([{ ...liveClaim("store", "1Gi"), phase: "Pending" }]),
            [
                /the claim is Pending, not Bound, and the API server changes a claim's size only once it is bound/,
                /keep the deployed size 1Gi/,
            ],
        ],
        [
            "shrinking",
            planned("store", "512Mi"),
            baseline([liveClaim("store", "1Gi")]),
            [
                /spec\.resources\.requests\.storage: 1Gi -> 512Mi/,
                /volumes cannot shrink/,
                /A smaller volume needs a new cluster under a new name and a data migration/,
            ],
        ],
        [
            "lowering a request to the volume's capacity or below",
            planned("store", "10Gi"),
            baseline([{ ...liveClaim("store", "20Gi"), capacity: "10Gi" }]),
            [/20Gi -> 10Gi/, /volumes cannot shrink/],
        ],
        [
            "shrinking a volume grown by hand (the live claim is the truth)",
            planned("pd", "1Gi"),
            baseline([liveClaim("pd", "5Gi")]),
            [
                /tier pd, PersistentVolumeClaim prod\/pd-demo-pd-0: spec\.resources\.requests\.storage: 5Gi -> 1Gi/,
                /`pulumi config set --path pd\.storage\.size 5Gi`/,
            ],
        ],
        [
            "a size that is not a quantity",
            planned("store", "lots"),
            baseline([liveClaim("store", "1Gi")]),
            [/lots is not a Kubernetes quantity/],
        ],
        [
            "another class",
            planned("store", "1Gi", "fast-ssd"),
            baseline([liveClaim("store", "1Gi")]),
            [
                /spec\.storageClassName: expandable -> fast-ssd/,
                /the API server never changes the class of a claim/,
                /`pulumi config set --path store\.storage\.className expandable`/,
                /A different class needs a new cluster under a new name and a data migration/,
            ],
        ],
        [
            "a class where none is deployed",
            planned("store", "1Gi", "fast-ssd"),
            baseline([liveClaim("store", "1Gi", null)]),
            [
                /storageClassName: <none> -> fast-ssd/,
                /keep no storage class: `pulumi config rm --path store\.storage\.className`/,
            ],
        ],
    ];
    for (const [name, props, b, patterns] of refused) {
        it(name, async () => {
            const violations = await run(props, b);
            assert.equal(violations.length, 1, JSON.stringify(violations));
            const v = violations[0];
            assert.equal(v.level, "mandatory");
            assert.match(
                v.message,
                /elasticell cluster "demo", tier (pd|store), PersistentVolumeClaim prod\/(pd|store)-demo-(pd|store)-0: spec\./,
            );
            assert.doesNotMatch(v.message, /undefined|NaN|\[object /);
            for (const p of patterns) {
                assert.match(v.message, p);
            }
        });
    }

    it("a class change and a shrink at once: one violation each", async () => {
        const violations = await run(planned("store", "512Mi", "fast-ssd"), baseline([liveClaim("store", "1Gi")]));
        assert.deepEqual(
            violations.map((v) => /: (spec\.[^:]+):/.exec(v.message)?.[1]),
            ["spec.storageClassName", "spec.resources.requests.storage"],
        );
    });

    it("even with a break-glass override: the API server would refuse it anyway", async () => {
        const violations = await run(planned("store", "512Mi"), baseline([liveClaim("store", "1Gi")]), {
            override: validOverride({ tier: "store" }),
        });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /Break-glass override does not apply: the API server refuses this change/);
    });
});

describe("elasticell-volume-growth reports", () => {
    it("fails closed when the cluster cannot be read", async () => {
        const violations = await run(planned("store", "2Gi"), baseline([], classes, "403 Forbidden"));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(
            violations[0].message,
            /cannot read the deployed state from the in-memory baseline: 403 Forbidden/,
        );
    });

    it("a size unknown at preview as advisory, and as mandatory during the update", async () => {
        const props = planned("store", unknownValues.unknownStringValue);
        const atPreview = await run(props, baseline([liveClaim("store", "1Gi")]));
        assert.equal(atPreview.length, 1);
        assert.equal(atPreview[0].level, "advisory");
        assert.match(atPreview[0].message, /cannot check at preview: .*spec\.resources\.requests\.storage/);
        const atUp = await run(props, baseline([liveClaim("store", "1Gi")]), {}, false);
        assert.equal(atUp[0].level, "mandatory");
    });
});

describe("elasticell-volume-growth: a new PD volume is a PD resize", () => {
    const pdClaim = (ordinal: number) =>
        edited(planned("pd", "1Gi"), (m) => (m.metadata.name = `pd-demo-pd-${ordinal}`));
    const pdClaims = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ ...liveClaim("pd", "1Gi"), name: `pd-demo-pd-${i}` }));
    const withPd = (claims: DeployedClaim[], sts = [live("pd", 3)]) =>
        new MemoryBaseline(sts, undefined, "the in-memory baseline", {}, claims, classes);

    it("parses a claim's template and ordinal", () => {
        assert.deepEqual(claimOrdinal("pd-demo-pd-12", "demo-pd"), { template: "pd", ordinal: 12 });
        assert.equal(claimOrdinal("pd-demo-pd-01", "demo-pd"), undefined);
        assert.equal(claimOrdinal("pd-other-pd-1", "demo-pd"), undefined);
    });

    const allowed: [string, object, MemoryBaseline][] = [
        ["a first deployment (no StatefulSet, no volume)", pdClaim(2), withPd([], [])],
        ["a missing volume within the deployed size (re-created)", pdClaim(2), withPd(pdClaims(2))],
    ];
    for (const [name, props, b] of allowed) {
        it(`allows ${name}`, async () => assert.deepEqual(await run(props, b), []));
    }

    const refused: [string, object, MemoryBaseline, readonly RegExp[]][] = [
        [
            "a PD ordinal beyond the live member list (3 -> 5)",
            pdClaim(3),
            withPd(pdClaims(3)),
            [
                /PersistentVolumeClaim prod\/pd-demo-pd-3: a new volume for PD ordinal 3, but PD's deployed size is 3 \(the deployed size comes from PD's member list/,
                /PD embeds etcd with a static member list/,
                /created even where the StatefulSet change is refused/,
                /`pulumi config set --path pd\.replicas 3`/,
                /"elasticell-volume-growth": \{"override"/,
            ],
        ],
        [
            "a PD ordinal beyond the volumes of a PD StatefulSet that is gone",
            pdClaim(3),
            withPd(pdClaims(3), []),
            [
                /PD's deployed size is 3 \(the deployed size comes from its volumes \(PVCs pd-demo-pd-0, pd-demo-pd-1, pd-demo-pd-2\)/,
            ],
        ],
    ];
    for (const [name, props, b, patterns] of refused) {
        it(`refuses ${name}`, async () => {
            const violations = await run(props, b);
            assert.equal(violations.length, 1, JSON.stringify(violations));
            assert.equal(violations[0].level, "mandatory");
            for (const p of patterns) {
                assert.match(violations[0].message, p);
            }
        });
    }

    it("a break-glass override of this rule for the PD tier makes it advisory", async () => {
        const violations = await run(pdClaim(3), withPd(pdClaims(3)), { override: validOverride({ tier: "pd" }) });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /ALLOWED by break-glass override/);
    });

    it("never judges a new Store ordinal (scale-out is allowed)", async () => {
        const store = edited(planned("store", "1Gi"), (m) => (m.metadata.name = "store-demo-store-7"));
        assert.deepEqual(await run(store, new MemoryBaseline([live("store", 3)], undefined, "x", {}, [], classes)), []);
    });
});
