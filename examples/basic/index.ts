/**
 * A program of your own that uses the elasticell library: one cluster with
 * five stores and two proxies in its own namespace, a team label on every
 * object, and the endpoints exported for the apps that use it. Every other
 * setting keeps the component's default (CellClusterArgs states them).
 */
import * as pulumi from "@pulumi/pulumi";
import { CellCluster } from "elasticell";

const config = new pulumi.Config();

const cell = new CellCluster("demo", {
    namespace: config.get("namespace") ?? "cell-demo",
    labels: { team: "storage" },
    // Stores may only grow (or shrink to drained stores): the admission guard and the policy pack hold you to it.
    store: { replicas: config.getNumber("storeReplicas") ?? 5, storage: { size: "20Gi" } },
    proxy: { replicas: 2, image: "deepfabric/proxy:v1.0.0" },
});

/** Where clients connect (Redis protocol). */
export const redisEndpoint = cell.redisEndpoint;
/** PD's client URL. */
export const pdClientUrl = cell.pdClientUrl;
/** Store count, for dashboards. */
export const storeReplicas = cell.store.replicas;
