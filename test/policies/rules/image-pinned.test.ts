/** `elasticell-image-pinned` (advisory, stack policy): every tier's images carry a version. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imagePinned, imageProblem } from "../../../policies/rules/image-pinned";
import { unknownValues } from "../../../policies/core/sdk";
import { checkStatefulSets, edited, mainContainer, statefulSet, Tiers, validTiers } from "../fixtures";

describe("elasticell-image-pinned", () => {
    it("accepts the valid fixtures of all three tiers", async () => {
        assert.deepEqual(await checkStatefulSets(imagePinned, validTiers()), []);
    });
    for (const [image, problem] of [
        ["deepfabric/pd:latest", "uses the :latest tag"],
        ["deepfabric/pd", "has no tag"],
        ["registry.local:5000/deepfabric/pd", "has no tag"],
        ["deepfabric/pd:v1.2.0", undefined],
        ["registry.local:5000/deepfabric/pd:v1", undefined],
        ["deepfabric/pd@sha256:0123abcd", undefined],
    ] as const) {
        it(`${image}: ${problem ?? "pinned"}`, () => {
            const p = imageProblem(image);
            if (problem === undefined) {
                assert.equal(p, undefined);
            } else {
                assert.match(p ?? "", new RegExp(problem));
            }
        });
    }
    it("flags a :latest container and an untagged init container by name", async () => {
        const props = edited(statefulSet("store"), (p) => {
            mainContainer(p).image = "deepfabric/cell:latest";
            p.spec.template.spec.initContainers = [{ name: "wait-for-pd", image: "busybox" }];
        });
        const violations = await checkStatefulSets(imagePinned, [props]);
        assert.equal(violations.length, 2);
        assert.match(
            violations[0].message,
            /tier store: image has no tag, so it means :latest: store: StatefulSet prod\/demo-store, container wait-for-pd "busybox"\./,
        );
        assert.match(
            violations[1].message,
            /tier store: image uses the :latest tag: store: StatefulSet prod\/demo-store, container store "deepfabric\/cell:latest"\./,
        );
        assert.match(violations[1].message, /pulumi config set --path store\.image <image>:<version>/);
    });

    it("collapses one problem of several tiers into one violation naming them (the default stack's case)", async () => {
        // Given in reverse: the message lists the tiers in start order all the same.
        const latest = [...Tiers]
            .reverse()
            .map((t) => edited(statefulSet(t), (p) => (mainContainer(p).image = `deepfabric/${t}:latest`)));
        const violations = await checkStatefulSets(imagePinned, latest);
        assert.equal(violations.length, 1, violations.map((v) => v.message).join("\n"));
        assert.match(
            violations[0].message,
            /^[\s\S]*elasticell cluster "demo", tiers pd, store and proxy: image uses the :latest tag: pd: StatefulSet prod\/demo-pd, container pd "deepfabric\/pd:latest"; store: .*; proxy: .*"deepfabric\/proxy:latest"\./,
        );
        for (const t of Tiers) {
            assert.match(violations[0].message, new RegExp(`pulumi config set --path ${t}\\.image`));
        }
    });

    it("says nothing about an image unknown at preview", async () => {
        const props = edited(statefulSet("pd"), (p) => (mainContainer(p).image = unknownValues.unknownStringValue));
        assert.deepEqual(await checkStatefulSets(imagePinned, [props]), []);
    });

    it("keeps clusters apart: the same problem in two clusters is two violations", async () => {
        const props = ["alpha", "beta"].map((c) =>
            edited(statefulSet("pd", 3, c), (p) => (mainContainer(p).image = "deepfabric/pd:latest")),
        );
        const violations = await checkStatefulSets(imagePinned, props);
        assert.deepEqual(
            violations.map((v) => /cluster "(\w+)"/.exec(v.message)?.[1]),
            ["alpha", "beta"],
        );
    });
});
