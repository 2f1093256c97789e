import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import type { DeployedPod } from "../../../policies/baseline/types";
import { makeRollHealthyTier } from "../../../policies/rules/roll-healthy-tier";
import { unknownValues } from "../../../policies/core/sdk";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource, type PolicyConfig } from "../../helpers/policy";
import {
    edited,
    live,
    mainContainer,
    memoryDeps,
    pod,
    statefulSet,
    validOverride,
    type ContainerFixture,
    type StatefulSetFixture,
} from "../fixtures";

type Edit = (m: StatefulSetFixture) => void;

const healthy: readonly DeployedPod[] = [0, 1, 2].flatMap((i) => [pod("pd", i), pod("store", i)]);

/** The healthy pods with the pod `tier-ordinal` replaced (or removed when `state` is undefined). */
function podsWith(tier: "pd" | "store", ordinal: number, state?: Partial<DeployedPod>): DeployedPod[] {
    const others = healthy.filter((p) => p.name !== `demo-${tier}-${ordinal}`);
    return state === undefined ? others : [...others, pod(tier, ordinal, state)];
}

function cluster(
    pods: readonly DeployedPod[] = healthy,
    extra: { unreadable?: string; none?: boolean } = {},
): MemoryBaseline {
    return new MemoryBaseline([live("pd", 3), live("store", 3)], undefined, undefined, { pods, ...extra });
}

const container =
    (edit: (c: ContainerFixture) => void): Edit =>
    (m) =>
        edit(mainContainer(m));
const newImage = container((c) => (c.image = "deepfabric/cell:v1.3.0"));
const newHash: Edit = (m) => (m.spec.template.metadata.annotations["elasticell.io/config-hash"] = "store-hash-2");

async function run(props: object, baseline: MemoryBaseline, config: PolicyConfig = {}) {
    return validateResource(makeRollHealthyTier(memoryDeps(baseline)), { resourceClass: StatefulSet, props, config });
}

function store(edit: Edit = () => {}): StatefulSetFixture {
    return edited(statefulSet("store", 3), edit);
}

describe("elasticell-roll-healthy-tier allows", () => {
    const down = podsWith("store", 1, { phase: "Pending", ready: false });
    const allowed: [string, object, MemoryBaseline, number][] = [
        ["no template change, without reading pods, even with a pod down", store(), cluster(down), 0],
        [
            "a replica change only (no roll), without reading pods",
            store((m) => (m.spec.replicas = 5)),
            cluster(down),
            0,
        ],
        [
            "a first deployment, without reading pods",
            store(newImage),
            new MemoryBaseline([], undefined, undefined, { pods: down }),
            0,
        ],
        ["a roll while every Store and PD pod is Ready", store(newImage), cluster(), 2],
        [
            "a PD roll while every PD pod is Ready (Store pods are not PD's concern)",
            edited(
                statefulSet("pd", 3),
                container((c) => (c.image = "deepfabric/pd:v1.3.0")),
            ),
            cluster(down),
            1,
        ],
        [
            "a roll on a render target (no pods to read: the check is skipped)",
            store(newImage),
            cluster([], { none: true }),
            1,
        ],
    ];
    for (const [name, props, baseline, podReads] of allowed) {
        it(name, async () => {
            assert.deepEqual(await run(props, baseline), []);
            assert.equal(baseline.podReads, podReads);
        });
    }

    it("the proxy tier", async () => {
        const proxy = edited(
            statefulSet("proxy"),
            container((c) => (c.image = "deepfabric/proxy:v2")),
        );
        assert.deepEqual(await run(proxy, cluster(podsWith("store", 0, { ready: false }))), []);
    });
});

describe("elasticell-roll-healthy-tier refuses", () => {
    const refused: [string, object, readonly DeployedPod[], readonly RegExp[]][] = [
        [
            "an image change with a Store pod Pending",
            store(newImage),
            podsWith("store", 1, { phase: "Pending", ready: false }),
            [
                /container store image deepfabric\/cell:v1\.2\.0 -> deepfabric\/cell:v1\.3\.0/,
                /1 pod\(s\) of cluster "demo" do not serve: prod\/demo-store-1 \(Pending, not Ready\)/,
                /`kubectl -n prod describe pod demo-store-1`/,
            ],
        ],
        [
            "a start-script change (config hash) with a PD pod missing",
            store(newHash),
            podsWith("pd", 2),
            [
                /pod template annotation elasticell\.io\/config-hash store-hash-1 -> store-hash-2/,
                /prod\/demo-pd-2 \(missing: no pod\)/,
            ],
        ],
        [
            "a Store roll with a PD pod crash-looping",
            store(newImage),
            podsWith("pd", 0, { ready: false, reason: "CrashLoopBackOff" }),
            [/prod\/demo-pd-0 \(Running, CrashLoopBackOff, not Ready\)/],
        ],
        [
            "a roll with a Store pod being deleted",
            store(newImage),
            podsWith("store", 2, { deleting: true }),
            [/prod\/demo-store-2 \(Running, being deleted\)/],
        ],
        [
            "a command change",
            store(container((c) => (c.command ??= []).push("--debug"))),
            podsWith("store", 0, { ready: false }),
            [/container store command/],
        ],
        [
            "an env change",
            store(container((c) => ((c.env ?? [])[1] = { name: "CLUSTER_NAME", value: "other" }))),
            podsWith("store", 0, { ready: false }),
            [/container store env/],
        ],
        [
            "an added sidecar",
            store((m) => m.spec.template.spec.containers.push({ name: "exporter", image: "exporter:v1" })),
            podsWith("store", 0, { ready: false }),
            [/container exporter added/],
        ],
        [
            "an added init container",
            store((m) => (m.spec.template.spec.initContainers = [{ name: "wait", image: "busybox:1.36" }])),
            podsWith("store", 0, { ready: false }),
            [/init container wait added/],
        ],
        [
            "a changed pod template label",
            store((m) => (m.spec.template.metadata.labels["app.kubernetes.io/version"] = "v1.3.0")),
            podsWith("store", 0, { ready: false }),
            [/pod template label app\.kubernetes\.io\/version v1\.2\.0 -> v1\.3\.0/],
        ],
    ];
    for (const [name, props, pods, patterns] of refused) {
        it(name, async () => {
            const violations = await run(props, cluster(pods));
            assert.equal(violations.length, 1, JSON.stringify(violations));
            const m = violations[0].message;
            assert.equal(violations[0].level, "mandatory");
            assert.match(
                m,
                /elasticell cluster "demo", tier store, StatefulSet prod\/demo-store: this plan changes the pod template/,
            );
            assert.match(m, /a rolling update restarts one pod at a time on the assumption that the others serve/);
            assert.match(
                m,
                /wait until `kubectl -n prod get pods -l app\.kubernetes\.io\/instance=demo` shows every pod Ready/,
            );
            assert.match(m, /re-run the preview/);
            assert.match(m, /"elasticell-roll-healthy-tier": \{"override"/);
            assert.doesNotMatch(m, /undefined|NaN|\[object /);
            for (const p of patterns) {
                assert.match(m, p);
            }
        });
    }

    it("a PD roll with a PD pod not Ready", async () => {
        const pd = edited(
            statefulSet("pd", 3),
            container((c) => (c.image = "deepfabric/pd:v1.3.0")),
        );
        const violations = await run(pd, cluster(podsWith("pd", 1, { phase: "Running", ready: false })));
        assert.equal(violations.length, 1);
        assert.match(
            violations[0].message,
            /tier pd, StatefulSet prod\/demo-pd: .*container pd image deepfabric\/pd:v1\.2\.0 -> deepfabric\/pd:v1\.3\.0/,
        );
        assert.match(violations[0].message, /prod\/demo-pd-1 \(Running, not Ready\)/);
    });
});

describe("elasticell-roll-healthy-tier reports", () => {
    it("an image unknown at preview as advisory", async () => {
        const violations = await run(store(container((c) => (c.image = unknownValues.unknownStringValue))), cluster());
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(
            violations[0].message,
            /cannot check at preview: string value at \.spec\.template\.spec\.containers\.0\.image/,
        );
    });

    it("pods it may not read as mandatory (fail closed), naming the permission", async () => {
        const reason =
            "the credentials may not read pods in namespace prod (403 Forbidden); grant get and list on pods in namespace prod";
        const violations = await run(store(newImage), cluster(healthy, { unreadable: reason }));
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "mandatory");
        assert.match(violations[0].message, /cannot read the deployed state .*grant get and list on pods/);
    });

    it("a refusal as advisory under a valid override", async () => {
        const violations = await run(store(newImage), cluster(podsWith("store", 1)), {
            override: validOverride({ tier: "store" }),
        });
        assert.equal(violations[0].level, "advisory");
        assert.match(violations[0].message, /prod\/demo-store-1 \(missing: no pod\)/);
    });
});
