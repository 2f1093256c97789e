import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pdProfile } from "../../../components/pd";
import { proxyProfile } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import type { TierProfile } from "../../../components/tier/profile";
import { buildTier } from "../../../components/tier/spec";
import { buildClaims, claimName } from "../../../components/tier/volumes";
import { statefulSetSpec, tierArgs as args } from "../../helpers/tier-build";

describe("buildClaims: one claim per ordinal, sized by the config", () => {
    const rows: [string, TierProfile, unknown, string[], string][] = [
        [
            "Store defaults: 3 claims of 10Gi",
            storeProfile,
            {},
            ["store-demo-store-0", "store-demo-store-1", "store-demo-store-2"],
            "10Gi",
        ],
        [
            "Store scaled to 4 and grown to 20Gi",
            storeProfile,
            { store: { replicas: 4, storage: { size: "20Gi" } } },
            ["store-demo-store-0", "store-demo-store-1", "store-demo-store-2", "store-demo-store-3"],
            "20Gi",
        ],
        ["PD defaults: 3 claims of 1Gi", pdProfile, {}, ["pd-demo-pd-0", "pd-demo-pd-1", "pd-demo-pd-2"], "1Gi"],
        ["a single PD", pdProfile, { pd: { replicas: 1 } }, ["pd-demo-pd-0"], "1Gi"],
    ];
    for (const [name, profile, raw, names, size] of rows) {
        it(name, () => {
            const claims = buildClaims(args(profile, raw));
            assert.deepEqual(
                claims.map((c) => c.metadata.name),
                names,
            );
            assert.deepEqual(
                claims.map((c) => c.ordinal),
                names.map((_, i) => i),
            );
            for (const c of claims) {
                assert.equal(c.spec.resources.requests.storage, size);
                assert.equal(c.metadata.namespace, "ns1");
            }
        });
    }

    it("none for the Proxy (no storage)", () => assert.deepEqual(buildClaims(args(proxyProfile)), []));

    it("names claims as the StatefulSet controller does: <template>-<statefulset>-<ordinal>", () => {
        assert.equal(claimName("store", "alpha-store", 12), "store-alpha-store-12");
    });

    it("each claim is what the StatefulSet's volumeClaimTemplate would make (so the controller adopts it)", () => {
        const a = args(storeProfile, { store: { storage: { size: "20Gi", className: "fast-ssd" } } });
        const [template] = statefulSetSpec(buildTier(a)).volumeClaimTemplates;
        assert.ok(template !== undefined);
        for (const c of buildClaims(a)) {
            assert.deepEqual(c.spec, template.spec);
            assert.deepEqual(c.metadata.labels, template.metadata.labels, "the template's labels (the tier selector)");
            assert.equal(c.metadata.name.startsWith(`${template.metadata.name}-demo-store-`), true);
        }
    });

    it("leaves storageClassName unset without className (the default class), and carries the extra annotations", () => {
        const [c] = buildClaims(args(storeProfile, { annotations: { team: "db" } }));
        assert.equal(c?.spec.storageClassName, undefined);
        assert.deepEqual(c?.metadata.annotations, {
            team: "db",
            "pulumi.com/patchForce": "true",
            "pulumi.com/skipAwait": "true",
        });
    });
});
