/**
 * Pods read through the Kubernetes API baseline (policies/baseline/pods.ts parses them): their
 * readiness, phase, reason and deletion, against a loopback API server reached by a kubeconfig.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { json, KubeconfigApi, status, unreadable } from "./fake-api";

describe("Kubernetes API baseline: pods", () => {
    const k = KubeconfigApi.inSuite();
    const api = k.api;
    const baseline = () => k.baseline();

    const podsPath =
        "/api/v1/namespaces/prod/pods?labelSelector=" +
        encodeURIComponent(
            "app.kubernetes.io/component=store,app.kubernetes.io/instance=demo,app.kubernetes.io/name=elasticell",
        );
    const storeSelector = {
        "app.kubernetes.io/name": "elasticell",
        "app.kubernetes.io/instance": "demo",
        "app.kubernetes.io/component": "store",
    };
    const podItem = (name: string, status: object, metadata: object = {}) => ({
        metadata: { name, namespace: "prod", labels: storeSelector, ...metadata },
        status,
    });

    it("lists the pods of one namespace by label, reading readiness, phase, reason and deletion", async () => {
        api.routes = new Map([
            [
                `GET ${podsPath}`,
                (_req, res) =>
                    json(res, 200, {
                        kind: "PodList",
                        items: [
                            podItem("demo-store-0", {
                                phase: "Running",
                                conditions: [{ type: "Ready", status: "True" }],
                            }),
                            podItem("demo-store-1", {
                                phase: "Pending",
                                conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
                            }),
                            podItem("demo-store-2", {
                                phase: "Running",
                                conditions: [{ type: "Ready", status: "False" }],
                                containerStatuses: [{ state: { waiting: { reason: "CrashLoopBackOff" } } }],
                            }),
                            podItem(
                                "demo-store-3",
                                { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
                                { deletionTimestamp: "2025-03-10T11:59:00Z" },
                            ),
                        ],
                    }),
            ],
        ]);
        const b = baseline();
        const before = api.requests.length;
        const pods = await b.listPods("prod", storeSelector);
        assert.deepEqual(
            pods?.map((p) => [p.namespace, p.name, p.phase, p.ready, p.deleting, p.reason ?? ""]),
            [
                ["prod", "demo-store-0", "Running", true, false, ""],
                ["prod", "demo-store-1", "Pending", false, false, ""],
                ["prod", "demo-store-2", "Running", false, false, "CrashLoopBackOff"],
                ["prod", "demo-store-3", "Running", true, true, ""],
            ],
        );
        assert.equal(pods?.[0]?.labels["app.kubernetes.io/component"], "store");
        await b.listPods("prod", { ...storeSelector });
        assert.deepEqual(
            api.requests.slice(before).map((r) => r.url),
            [podsPath],
            "one namespaced request, cached",
        );
    });

    it("is unreadable when pods may not be listed (403), naming the permission", async () => {
        api.routes = new Map([
            [
                `GET ${podsPath}`,
                status(403, 'pods is forbidden: User "ci" cannot list resource "pods" in the namespace "prod"'),
            ],
        ]);
        await unreadable(
            baseline().listPods("prod", storeSelector),
            /may not read pods in namespace prod \(403 Forbidden: pods is forbidden.*\); grant get and list on pods in namespace prod/,
        );
    });

    it("answers no pods for a 404", async () => {
        api.routes = new Map();
        assert.deepEqual(await baseline().listPods("prod", storeSelector), []);
    });
});
