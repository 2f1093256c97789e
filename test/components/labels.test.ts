import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    LabelKeys,
    MaxDnsLabel,
    MaxStatefulSetName,
    derivedNames,
    peerServiceName,
    podFqdn,
    statefulSetName,
    tierLabels,
    tierSelector,
} from "../../components/labels";

describe("derived names", () => {
    const rows: [string, string][] = [
        [statefulSetName("demo", "pd"), "demo-pd"],
        [statefulSetName("demo", "store"), "demo-store"],
        [statefulSetName("demo", "proxy"), "demo-proxy"],
        [peerServiceName("demo", "pd"), "demo-pd-peer"],
        [peerServiceName("demo", "store"), "demo-store-peer"],
        [podFqdn("demo", "pd", 2, "ns1"), "demo-pd-2.demo-pd-peer.ns1.svc"],
        [podFqdn("demo", "store", 0, "ns1"), "demo-store-0.demo-store-peer.ns1.svc"],
    ];
    for (const [got, want] of rows) {
        it(want, () => assert.equal(got, want));
    }
});

describe("naming limits", () => {
    const rows: [number, boolean][] = [
        [1, true],
        [46, true],
        [47, false],
        [60, false],
    ];
    for (const [length, fits] of rows) {
        it(`a ${length}-character cluster name ${fits ? "fits" : "does not fit"}`, () => {
            const over = derivedNames("c".repeat(length)).filter((d) => d.name.length > d.limit);
            assert.equal(over.length === 0, fits, JSON.stringify(over));
        });
    }

    it("uses the StatefulSet limit of kubernetes/kubernetes#64023 and the DNS label limit", () => {
        assert.equal(MaxStatefulSetName, 52);
        assert.equal(MaxDnsLabel, 63);
        const limits = new Set(derivedNames("x").map((d) => `${d.what}:${d.limit}`));
        assert.ok(limits.has("StatefulSet:52") && limits.has("headless Service:63") && limits.has("Service:63"));
    });
});

describe("labels and selectors", () => {
    it("the selector is name, instance and component only", () => {
        assert.deepEqual(tierSelector("demo", "store"), {
            [LabelKeys.name]: "elasticell",
            [LabelKeys.instance]: "demo",
            [LabelKeys.component]: "store",
        });
    });

    it("labels add managed-by, part-of and version, and user labels cannot override the selector", () => {
        const labels = tierLabels("demo", "pd", "v1.0.0", { team: "x", [LabelKeys.instance]: "evil" });
        assert.equal(labels[LabelKeys.version], "v1.0.0");
        assert.equal(labels[LabelKeys.managedBy], "pulumi");
        assert.equal(labels[LabelKeys.partOf], "elasticell");
        assert.equal(labels.team, "x");
        assert.equal(labels[LabelKeys.instance], "demo");
    });

    it("the selector never carries a version", () => {
        assert.ok(!(LabelKeys.version in tierSelector("demo", "pd")));
    });
});
