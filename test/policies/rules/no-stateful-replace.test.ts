import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import { makeNoStatefulReplace } from "../../../policies/rules/no-stateful-replace";
import { unknownValues } from "../../../policies/core/sdk";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource, type PolicyConfig } from "../../helpers/policy";
import {
    claimTemplate,
    deployed,
    edited,
    live,
    mainContainer,
    memoryDeps,
    statefulSet,
    validOverride,
    type StatefulSetFixture,
} from "../fixtures";

type Edit = (m: StatefulSetFixture) => void;

/** The Store fixture with one edit. */
function store(edit: Edit = () => {}): StatefulSetFixture {
    return edited(statefulSet("store", 3), edit);
}

const setSize =
    (size: string): Edit =>
    (m) =>
        (claimTemplate(m).spec.resources.requests.storage = size);
const setClass =
    (c: string): Edit =>
    (m) =>
        (claimTemplate(m).spec.storageClassName = c);

async function run(
    props: object,
    baseline = new MemoryBaseline([live("store", 3)]),
    config: PolicyConfig = {},
    dryRun = true,
) {
    const deps = memoryDeps(baseline, { project: "elasticell", stack: "dev", dryRun });
    return validateResource(makeNoStatefulReplace(deps), { resourceClass: StatefulSet, props, config });
}

describe("elasticell-no-stateful-replace allows", () => {
    const allowed: [string, object, MemoryBaseline?][] = [
        ["no change (live object with API server defaults)", store()],
        ["a first deployment with any immutable field", store(setSize("50Gi")), new MemoryBaseline([])],
        ["a planned template without storageClassName (live has the default class)", store()],
        ["the same size written differently (1Gi = 1024Mi)", store(setSize("1024Mi"))],
        ["the same size as a plain byte count", store(setSize("1073741824"))],
        ["the deployed class set explicitly", store(setClass("standard"))],
        [
            "no change against a rendered manifest (no defaults filled)",
            store(),
            new MemoryBaseline([deployed("store", 3)]),
        ],
        [
            "podManagementPolicy unset in the plan when live has the default",
            store((m) => delete m.spec.podManagementPolicy),
            new MemoryBaseline([live("store", 3, (m) => (m.spec.podManagementPolicy = "OrderedReady"))]),
        ],
        [
            "a changed replica count or image (not immutable)",
            store((m) => {
                m.spec.replicas = 5;
                mainContainer(m).image = "deepfabric/cell:v2";
            }),
        ],
    ];
    for (const [name, props, baseline] of allowed) {
        it(name, async () => assert.deepEqual(await run(props, baseline), []));
    }

    it("the proxy tier, without reading the baseline", async () => {
        const baseline = new MemoryBaseline([live("proxy", 1)]);
        const proxy = edited(statefulSet("proxy"), (m) => (m.spec.serviceName = "other"));
        assert.deepEqual(await run(proxy, baseline), []);
        assert.equal(baseline.reads, 0);
    });
});

describe("elasticell-no-stateful-replace refuses", () => {
    const refused: [string, object, MemoryBaseline | undefined, readonly RegExp[]][] = [
        [
            "growing the Store volumes",
            store(setSize("2Gi")),
            undefined,
            [
                /spec\.volumeClaimTemplates\[store\]\.resources\.requests\.storage: 1Gi -> 2Gi \(deployed -> requested\)/,
                /keep the deployed size 1Gi: `pulumi config set --path store\.storage\.size 1Gi`/,
                /Volumes grow through their claims, never through this template/,
                /`ignoreChanges: \["spec\.volumeClaimTemplates"\]` and one PersistentVolumeClaim per ordinal sized from store\.storage\.size/,
                /elasticell-volume-growth/,
            ],
        ],
        [
            "shrinking the PD volumes",
            edited(statefulSet("pd", 3), setSize("512Mi")),
            new MemoryBaseline([live("pd", 3)]),
            [
                /tier pd, StatefulSet prod\/demo-pd: spec\.volumeClaimTemplates\[pd\]\.resources\.requests\.storage: 1Gi -> 512Mi/,
                /`pulumi config set --path pd\.storage\.size 1Gi`/,
                /Volumes cannot shrink: a smaller size needs a new cluster under a new name and a data migration/,
            ],
        ],
        [
            "another storage class than the deployed one",
            store(setClass("fast-ssd")),
            undefined,
            [
                /spec\.volumeClaimTemplates\[store\]\.storageClassName: standard -> fast-ssd/,
                /`pulumi config set --path store\.storage\.className standard` \(or `pulumi config rm --path store\.storage\.className` when standard is the cluster's default class\)/,
                /new cluster under a new name and a data migration/,
            ],
        ],
        [
            "a storage class where none is deployed",
            store(setClass("fast-ssd")),
            new MemoryBaseline([deployed("store", 3)]),
            [
                /storageClassName: <none> -> fast-ssd/,
                /keep no storage class: `pulumi config rm --path store\.storage\.className`/,
            ],
        ],
        [
            "other access modes",
            store((m) => (claimTemplate(m).spec.accessModes = ["ReadWriteMany"])),
            undefined,
            [/spec\.volumeClaimTemplates\[store\]\.accessModes: \[ReadWriteOnce\] -> \[ReadWriteMany\]/],
        ],
        [
            "an added volume template",
            store((m) =>
                (m.spec.volumeClaimTemplates ??= []).push({
                    metadata: { name: "wal" },
                    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
                }),
            ),
            undefined,
            [/spec\.volumeClaimTemplates\[wal\]: <none> -> added/, /keep the deployed templates \[store\]/],
        ],
        [
            "a removed volume template",
            store((m) => delete m.spec.volumeClaimTemplates),
            undefined,
            [/spec\.volumeClaimTemplates\[store\]: present -> removed/],
        ],
        [
            "a selector with the version label",
            store((m) => (m.spec.selector.matchLabels["app.kubernetes.io/version"] = "v1.2.0")),
            undefined,
            [
                /spec\.selector\.matchLabels: app\.kubernetes\.io\/component=store,app\.kubernetes\.io\/instance=demo,app\.kubernetes\.io\/name=elasticell -> .*app\.kubernetes\.io\/version=v1\.2\.0/,
                /keep the deployed selector/,
            ],
        ],
        [
            "another serviceName",
            store((m) => (m.spec.serviceName = "demo-store")),
            undefined,
            [/spec\.serviceName: demo-store-peer -> demo-store/, /keep serviceName demo-store-peer/],
        ],
        [
            "dropping podManagementPolicy (the API server would use OrderedReady)",
            store((m) => delete m.spec.podManagementPolicy),
            undefined,
            [
                /spec\.podManagementPolicy: Parallel -> OrderedReady \(not set in the plan: the API server's default\)/,
                /keep podManagementPolicy Parallel/,
            ],
        ],
    ];
    for (const [name, props, baseline, patterns] of refused) {
        it(name, async () => {
            const violations = await run(props, baseline);
            assert.equal(violations.length, 1, JSON.stringify(violations));
            const [v] = violations;
            assert.ok(v);
            assert.equal(v.level, "mandatory");
            assert.match(
                v.message,
                /elasticell cluster "demo", tier (pd|store), StatefulSet prod\/demo-(pd|store): spec\./,
            );
            assert.match(
                v.message,
                /the API server forbids updating this field of a StatefulSet, so the provider would delete the StatefulSet and re-create it/,
            );
            assert.match(v.message, /"elasticell-no-stateful-replace": \{"override"/);
            assert.doesNotMatch(v.message, /undefined|NaN|\[object /);
            for (const p of patterns) {
                assert.match(v.message, p);
            }
        });
    }

    it("one violation per changed field", async () => {
        const violations = await run(
            store((m) => {
                setSize("2Gi")(m);
                setClass("fast-ssd")(m);
                m.spec.serviceName = "x";
            }),
        );
        assert.deepEqual(
            violations.map((v) => /: (spec\.[^:]+):/.exec(v.message)?.[1]),
            [
                "spec.volumeClaimTemplates[store].resources.requests.storage",
                "spec.volumeClaimTemplates[store].storageClassName",
                "spec.serviceName",
            ],
        );
    });
});

describe("elasticell-no-stateful-replace reports", () => {
    it("a size unknown at preview as advisory, checked at up", async () => {
        const violations = await run(store(setSize(unknownValues.unknownStringValue)));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(
            violations[0].message,
            /cannot check at preview: string value at \.spec\.volumeClaimTemplates\.0\.spec\.resources\.requests\.storage/,
        );
    });

    it("a size still unknown during the update as mandatory", async () => {
        const violations = await run(store(setSize(unknownValues.unknownStringValue)), undefined, {}, false);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /still unknown during the update/);
    });

    it("an unreadable baseline as mandatory (fail closed)", async () => {
        const violations = await run(store(), new MemoryBaseline([], "403 Forbidden"));
        assert.equal(violations[0].level, "mandatory");
        assert.match(
            violations[0].message,
            /cannot read the deployed state from the in-memory baseline: 403 Forbidden/,
        );
    });

    it("a refusal as advisory under a valid override", async () => {
        const violations = await run(store(setSize("2Gi")), undefined, { override: validOverride({ tier: "store" }) });
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /ALLOWED by break-glass override/);
    });
});
