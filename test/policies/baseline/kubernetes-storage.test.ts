/**
 * The Kubernetes API baseline's StorageClass and PVC reads (for elasticell-volume-growth), against a
 * loopback HTTP server reached through a kubeconfig.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KubernetesBaseline } from "../../../policies/baseline/kubernetes";
import { FakeApi, json, kubeconfig, status, unreadable } from "./fake-api";

const classes = "/apis/storage.k8s.io/v1/storageclasses";
const sc = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner: "x",
    ...extra,
});
const defaultAnnotation = { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } };

describe("Kubernetes API baseline: StorageClasses and claims", () => {
    const api = new FakeApi();
    let server = "";
    const baseline = () =>
        new KubernetesBaseline(
            { kubeconfig: kubeconfig({ fake: server }, "fake"), origin: 'provider "k8s"' },
            { timeoutMs: 2000 },
        );

    before(async () => {
        server = await api.start();
    });
    after(() => api.stop());

    it("reads a named class: allowVolumeExpansion true, false, absent", async () => {
        api.routes.set(`GET ${classes}/grow`, (_q, r) => json(r, 200, sc("grow", { allowVolumeExpansion: true })));
        api.routes.set(`GET ${classes}/fixed`, (_q, r) => json(r, 200, sc("fixed", { allowVolumeExpansion: false })));
        api.routes.set(`GET ${classes}/plain`, (_q, r) => json(r, 200, sc("plain")));
        const b = baseline();
        assert.deepEqual(await b.getStorageClass("grow"), {
            name: "grow",
            allowVolumeExpansion: true,
            isDefault: false,
        });
        assert.deepEqual(await b.getStorageClass("fixed"), {
            name: "fixed",
            allowVolumeExpansion: false,
            isDefault: false,
        });
        assert.deepEqual(await b.getStorageClass("plain"), {
            name: "plain",
            allowVolumeExpansion: false,
            isDefault: false,
        });
    });

    it("answers undefined for a class that does not exist (404)", async () => {
        assert.equal(await baseline().getStorageClass("gone"), undefined);
    });

    it("finds the default class in the list when no name is given", async () => {
        api.routes.set(`GET ${classes}`, (_q, r) =>
            json(r, 200, {
                items: [
                    sc("a"),
                    { ...sc("b", { allowVolumeExpansion: true }), metadata: { name: "b", ...defaultAnnotation } },
                ],
            }),
        );
        assert.deepEqual(await baseline().getStorageClass(undefined), {
            name: "b",
            allowVolumeExpansion: true,
            isDefault: true,
        });
    });

    it("reads each class once per process", async () => {
        let calls = 0;
        api.routes.set(`GET ${classes}/counted`, (_q, r) => {
            calls++;
            json(r, 200, sc("counted"));
        });
        const b = baseline();
        await b.getStorageClass("counted");
        await b.getStorageClass("counted");
        assert.equal(calls, 1);
    });

    it("is unreadable on 403, asking for a ClusterRole that includes storageclasses", async () => {
        api.routes.set(`GET ${classes}/secret`, status(403, 'storageclasses.storage.k8s.io "secret" is forbidden'));
        const err = await unreadable(baseline().getStorageClass("secret"), /403 Forbidden/);
        assert.match(
            err.reason,
            /--resource=statefulsets\.apps,pods,persistentvolumeclaims,storageclasses\.storage\.k8s\.io/,
        );
    });

    it("reads a claim's phase, class and capacity", async () => {
        api.routes.set("GET /api/v1/namespaces/prod/persistentvolumeclaims", (_q, r) =>
            json(r, 200, {
                items: [
                    {
                        metadata: { name: "store-demo-store-0", namespace: "prod" },
                        spec: { storageClassName: "grow", resources: { requests: { storage: "1Gi" } } },
                        status: { phase: "Bound", capacity: { storage: "5Gi" } },
                    },
                ],
            }),
        );
        assert.deepEqual(await baseline().listClaims("prod"), [
            {
                namespace: "prod",
                name: "store-demo-store-0",
                storage: "1Gi",
                storageClassName: "grow",
                deleting: false,
                phase: "Bound",
                capacity: "5Gi",
            },
        ]);
    });
});
