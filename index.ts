/**
 * The elasticell program: validate the stack config, build the cluster,
 * export what operators need. Everything else lives in components/.
 */
import { CellCluster } from "./components/cluster";
import { loadStackConfig } from "./components/config";

const { name, ...config } = loadStackConfig();
const cluster = new CellCluster(name, config);

/** Where clients connect: `<name>-cell.<namespace>.svc:6379` (Redis protocol). */
export const redisEndpoint = cluster.redisEndpoint;
/** PD's client URL; its HTTP API is under /pd/api/v1/ (stores: /pd/api/v1/stores). */
export const pdClientUrl = cluster.pdClientUrl;
/** The Redis Service's LoadBalancer IP or hostname; empty unless `proxy.service.type` is LoadBalancer. */
export const redisExternalAddress = cluster.redisExternalAddress;
export const namespace = cluster.namespace;
export const clusterName = name;
/** Per tier: StatefulSet name, replicas and image. */
export const pd = cluster.pd;
export const store = cluster.store;
export const proxy = cluster.proxy;
