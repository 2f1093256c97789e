/**
 * Issue 12, point 2, through the real engine and CLI against the local cluster: volumes grow in
 * place. Raising `store.storage.size` grows the live claims (the StatefulSet is neither replaced
 * nor rolled), a new ordinal starts at the new size, and a shrink, a class change and growth on a
 * class without `allowVolumeExpansion` are refused at preview.
 *
 * The local cluster's default class (local-storage) does not allow expansion, so the test brings
 * its own expandable class and a few static PersistentVolumes of it (hostPath, never mounted:
 * kwok runs no kubelet). The API server accepts the larger request of a Bound claim; no driver
 * resizes these fake volumes, so `status.capacity` stays the PV's size, which already covers it.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProject } from "../helpers/engine";
import { kubectl, tierPods, waitForReadyPods, testCluster, type TestCluster } from "../helpers/cluster";

const ns = "e2e-storage";
const cluster = "sigma";
const storageClass = "e2e-storage-expandable";
const pvCount = 5;
const policy = ["--policy-pack", "policies"];
const quick = { minReadySeconds: 0 };

/** The test's StorageClass (expandable) and its static volumes. */
function storageManifests(): string {
    const pvs = Array.from(
        { length: pvCount },
        (_, i) => `---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${storageClass}-${i}, labels: {elasticell.local/e2e: storage}}
spec:
  storageClassName: ${storageClass}
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /var/lib/elasticell-fake-volumes/${storageClass}-${i}}
`,
    );
    return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: ${storageClass}, labels: {elasticell.local/e2e: storage}}
provisioner: kubernetes.io/no-provisioner
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
${pvs.join("")}`;
}

describe("engine, local cluster: volumes grow in place", () => {
    let c: TestCluster;
    let t: EngineProject;

    const storeClaims = async (): Promise<Map<string, { size?: string; phase?: string; className?: string }>> => {
        const list = await c.core.listNamespacedPersistentVolumeClaim({
            namespace: ns,
            labelSelector: `app.kubernetes.io/instance=${cluster},app.kubernetes.io/component=store`,
        });
        return new Map(
            list.items.map((p) => [
                p.metadata?.name ?? "",
                {
                    size: p.spec?.resources?.requests?.["storage"],
                    phase: p.status?.phase,
                    className: p.spec?.storageClassName,
                },
            ]),
        );
    };
    const sizes = async () => [...(await storeClaims()).entries()].map(([n, v]) => `${n}:${v.size}`).sort();
    const storeSet = () => c.apps.readNamespacedStatefulSet({ namespace: ns, name: `${cluster}-store` });
    const podUids = async () =>
        new Map((await tierPods(c, ns, cluster, "store")).map((p) => [p.metadata?.name, p.metadata?.uid]));

    before(async () => {
        c = testCluster();
        await kubectl(c, ["delete", "pv,storageclass", "-l", "elasticell.local/e2e=storage", "--wait=true"]);
        const file = join(tmpdir(), `elasticell-e2e-storage-${process.pid}.yaml`);
        writeFileSync(file, storageManifests());
        const created = await kubectl(c, ["create", "-f", file]);
        assert.equal(created.code, 0, created.output);
        t = new EngineProject(
            "s",
            {
                name: cluster,
                namespace: ns,
                pd: { ...quick, replicas: 1 },
                store: { ...quick, replicas: 3, storage: { size: "1Gi", className: storageClass } },
                proxy: { ...quick, replicas: 1 },
            },
            { kubeconfig: c.kubeconfig },
        );
        await t.init();
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
    });
    after(async () => {
        await t?.dispose();
        await kubectl(c, ["delete", "namespace", ns, "--wait=true", "--timeout=60s"]);
        await kubectl(c, ["delete", "pv,storageclass", "-l", "elasticell.local/e2e=storage", "--wait=false"]);
    });

    it("deploys the Store claims through the program: Bound, 1Gi, adopted by the StatefulSet", async () => {
        await waitForReadyPods(c, ns, cluster, "store", 3);
        const claims = await storeClaims();
        assert.deepEqual([...claims.keys()].sort(), [
            "store-sigma-store-0",
            "store-sigma-store-1",
            "store-sigma-store-2",
        ]);
        for (const [name, v] of claims) {
            assert.deepEqual(v, { size: "1Gi", phase: "Bound", className: storageClass }, name);
        }
    });

    it("1Gi -> 2Gi: the preview passes the pack, and up grows the live claims with no StatefulSet replaced and no pod deleted", async () => {
        const sts = await storeSet();
        const pods = await podUids();
        await t.setConfig("store.storage.size", "2Gi");
        const preview = await t.preview(policy);
        assert.equal(preview.code, 0, preview.output);
        assert.doesNotMatch(preview.output, /elasticell-volume-growth|elasticell-no-stateful-replace/);
        assert.doesNotMatch(preview.output, /to replace/);
        assert.match(preview.output, /3 to update/);
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
        assert.deepEqual(await sizes(), [
            "store-sigma-store-0:2Gi",
            "store-sigma-store-1:2Gi",
            "store-sigma-store-2:2Gi",
        ]);
        const after = await storeSet();
        assert.equal(after.metadata?.uid, sts.metadata?.uid, "the StatefulSet was not replaced");
        assert.equal(
            after.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.["storage"],
            "1Gi",
            "its templates stay as first deployed",
        );
        assert.deepEqual(await podUids(), pods, "no Store pod was deleted or re-created");
    });

    it("scale 3 -> 4: the new ordinal's claim starts at 2Gi", async () => {
        const pods = await podUids();
        await t.setConfig("store.replicas", "4");
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, cluster, "store", 4);
        const claims = await storeClaims();
        assert.deepEqual(claims.get("store-sigma-store-3"), { size: "2Gi", phase: "Bound", className: storageClass });
        const now = await podUids();
        for (const [name, uid] of pods) {
            assert.equal(now.get(name), uid, `${name} kept running`);
        }
    });

    it("scale 4 -> 5 over a claim made outside Pulumi (as the StatefulSet controller made them before): taken over, not refused", async () => {
        const claim = {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: {
                name: "store-sigma-store-4",
                namespace: ns,
                labels: {
                    "app.kubernetes.io/name": "elasticell",
                    "app.kubernetes.io/instance": cluster,
                    "app.kubernetes.io/component": "store",
                },
            },
            spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: storageClass,
                resources: { requests: { storage: "2Gi" } },
            },
        };
        const file = join(tmpdir(), `elasticell-e2e-storage-claim-${process.pid}.json`);
        writeFileSync(file, JSON.stringify(claim));
        const created = await kubectl(c, ["create", "-f", file]);
        assert.equal(created.code, 0, created.output);
        await t.setConfig("store.replicas", "5");
        const up = await t.up(policy);
        assert.equal(up.code, 0, up.output);
        await waitForReadyPods(c, ns, cluster, "store", 5);
        assert.deepEqual((await storeClaims()).get("store-sigma-store-4"), {
            size: "2Gi",
            phase: "Bound",
            className: storageClass,
        });
        const managers =
            (await c.core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: "store-sigma-store-4" })).metadata
                ?.managedFields ?? [];
        assert.ok(
            managers.some((m) => m.operation === "Apply" && /pulumi/.test(m.manager ?? "")),
            JSON.stringify(managers.map((m) => m.manager)),
        );
    });

    it("2Gi -> 1Gi is refused at preview, with the way to do it", async () => {
        await t.setConfig("store.storage.size", "1Gi");
        const r = await t.preview(policy);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /elasticell-volume-growth/);
        // The engine stops at the first refused claim, whichever ordinal that is.
        assert.match(
            r.output,
            /PersistentVolumeClaim e2e-storage\/store-sigma-store-\d: spec\.resources\.requests\.storage: 2Gi -> 1Gi/,
        );
        assert.match(r.output, /volumes cannot shrink/);
        assert.match(r.output, /new cluster under a new name and a data migration/);
        await t.setConfig("store.storage.size", "2Gi");
    });

    it("a className change is refused at preview, with the way to do it", async () => {
        await t.setConfig("store.storage.className", "local-storage");
        const r = await t.preview(policy);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, new RegExp(`spec\\.storageClassName: ${storageClass} -> local-storage`));
        assert.match(r.output, /the API server never changes the class of a claim/);
        assert.match(r.output, /A different class needs a new cluster under a new name and a data migration/);
        await t.setConfig("store.storage.className", storageClass);
    });

    it("growth on a class without allowVolumeExpansion is refused at preview, naming the class and the fix", async () => {
        const patched = await kubectl(c, [
            "patch",
            "storageclass",
            storageClass,
            "-p",
            '{"allowVolumeExpansion":false}',
        ]);
        assert.equal(patched.code, 0, patched.output);
        await t.setConfig("store.storage.size", "3Gi");
        const r = await t.preview(policy);
        assert.notEqual(r.code, 0, r.output);
        assert.match(r.output, /spec\.resources\.requests\.storage: 2Gi -> 3Gi/);
        assert.match(r.output, new RegExp(`StorageClass ${storageClass} does not allow volume expansion`));
        assert.match(r.output, new RegExp(`kubectl patch storageclass ${storageClass} -p`));
        assert.deepEqual(await sizes(), [
            "store-sigma-store-0:2Gi",
            "store-sigma-store-1:2Gi",
            "store-sigma-store-2:2Gi",
            "store-sigma-store-3:2Gi",
            "store-sigma-store-4:2Gi",
        ]);
    });
});
