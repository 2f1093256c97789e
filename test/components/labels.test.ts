import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReplicaSeries } from "../../bench/sizes";
import { dns1035LabelProblems, dns1123LabelProblems, labelValueProblems } from "../../components/k8s-validation";
import {
    LabelKeys,
    MaxDnsLabel,
    MaxStatefulSetName,
    ReplicaCeiling,
    TierKinds,
    derivedNames,
    podName,
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
        [podName("demo", "store", 299), "demo-store-299"],
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
        assert.ok(limits.has("pod (highest ordinal):63"));
    });

    it("checks each tier's pod at its highest ordinal", () => {
        const pods = derivedNames("demo")
            .filter((d) => d.what.startsWith("pod"))
            .map((d) => d.name);
        assert.deepEqual(pods, ["demo-pd-6", "demo-store-299", "demo-proxy-99"]);
    });

    it("every derived name of the longest accepted cluster name passes the API server's checks", () => {
        for (const d of derivedNames("c".repeat(46))) {
            // Services are DNS-1035 labels; pod names are host names (DNS-1123 labels) and label values.
            const problems = d.what.includes("Service")
                ? dns1035LabelProblems(d.name)
                : [...dns1123LabelProblems(d.name), ...labelValueProblems(d.name)];
            assert.deepEqual(problems, [], d.name);
            // A StatefulSet's pods carry controller-revision-hash = <name>-<hash of up to 10 characters>.
            if (d.what === "StatefulSet") {
                assert.deepEqual(labelValueProblems(`${d.name}-${"h".repeat(10)}`), [], d.name);
            }
        }
    });
});

describe("replica ceilings", () => {
    it("PD 7 (etcd's largest documented size), Store 300, Proxy 100", () => {
        assert.deepEqual(ReplicaCeiling, { pd: 7, store: 300, proxy: 100 });
        assert.deepEqual(Object.keys(ReplicaCeiling), [...TierKinds]);
    });

    it("the Store ceiling covers the benchmark's largest size (the reason it is 300)", () => {
        assert.equal(Math.max(...ReplicaSeries.map((s) => s.storeReplicas)), ReplicaCeiling.store);
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
