/**
 * Proxy: the Redis-protocol entry. Stateless; it registers its notify
 * address (pod IP, port 9998) with PD, which pushes routing changes to it.
 */
import { redisServiceName, serviceHost } from "./labels";
import { clientServiceOf, peerPortsOf } from "./tier/profile";
import type { ClusterContext, ContainerPort, TierProfile } from "./tier/profile";
import { type BinaryOptions, extraArgFlags } from "./tier/binary-flags";
import { StartupDir, execCommand, scriptHeader } from "./tier/script";
import { pdRpcAddresses } from "./pd";

export const ProxyPorts = { redis: 6379, notify: 9998 } as const;

/** Where Redis clients connect: `<cluster>-cell.<ns>.svc:6379`. */
export function redisEndpoint(ctx: Pick<ClusterContext, "cluster" | "namespace">): string {
    return `${serviceHost(redisServiceName(ctx.cluster), ctx.namespace)}:${ProxyPorts.redis}`;
}

/** Replaced at start by the pod IP (downward API), which PD must reach. */
const PodIpPlaceholder = "__POD_IP__";
const ScratchDir = "/var/lib/proxy";

/**
 * Redis commands the proxy forwards by default: the operator's 64, in its order
 * (deepfabric/elasticell-operator `pkg/discovery/discovery.go`, `proxyCfgStr`.`supportCMDs`).
 * Config `proxy.supportedCommands` narrows it.
 */
export const SupportedCommands = [
    "query",
    "ping",
    "set",
    "get",
    "mset",
    "mget",
    "incrby",
    "decrby",
    "getset",
    "append",
    "setnx",
    "strLen",
    "incr",
    "decr",
    "setrange",
    "msetnx",
    "hset",
    "hget",
    "hdel",
    "hexists",
    "hkeys",
    "hvals",
    "hgetall",
    "hscanget",
    "hlen",
    "hmget",
    "hmset",
    "hsetnx",
    "hstrlen",
    "hincrby",
    "lindex",
    "linsert",
    "llen",
    "lpop",
    "lpush",
    "lpushx",
    "lrange",
    "lrem",
    "lset",
    "ltrim",
    "rpop",
    "rpoplpush",
    "rpush",
    "rpushx",
    "sadd",
    "scard",
    "srem",
    "smembers",
    "sismember",
    "spop",
    "zadd",
    "zcard",
    "zcount",
    "zincrby",
    "zlexcount",
    "zrange",
    "zrangebylex",
    "zrangebyscore",
    "zrank",
    "zrem",
    "zremrangebylex",
    "zremrangebyrank",
    "zremrangebyscore",
    "zscore",
] as const;

/** The proxy's JSON config, with the pod IP left as a placeholder; `supportCMDs` from `binary` (default: the operator's 64). */
export function proxyConfig(ctx: ClusterContext, binary?: BinaryOptions): string {
    return JSON.stringify(
        {
            addr: `0.0.0.0:${ProxyPorts.redis}`,
            addrNotify: `${PodIpPlaceholder}:${ProxyPorts.notify}`,
            watcherHeartbeatSec: 5,
            pdAddrs: pdRpcAddresses(ctx),
            maxRetries: 100,
            retryDuration: 2000,
            workerCount: 2,
            supportCMDs: binary?.supportedCommands ?? SupportedCommands,
        },
        null,
        2,
    );
}

const proxyPorts: readonly ContainerPort[] = [
    // No AUTH in elasticell: the NetworkPolicy is the only access control, so only named clients.
    { name: "redis", port: ProxyPorts.redis, from: { tiers: [], clients: true } },
    // PD's watcher pushes routing changes to the address the proxy registered (pod IP).
    { name: "notify", port: ProxyPorts.notify, from: { tiers: ["pd"] } },
];

export const proxyProfile: TierProfile = {
    kind: "proxy",
    ports: proxyPorts,
    // The StatefulSet's serviceName: a headless Service of its own (stable pod DNS, like the other tiers).
    peerPorts: peerPortsOf(proxyPorts, ["redis", "notify"]),
    clientService: clientServiceOf(redisServiceName, { name: "redis-client", port: ProxyPorts.redis }, "redis"),
    scratchPath: ScratchDir,
    readinessPort: "redis",
    needsPodIP: true,
    configFiles: (ctx, binary) => ({ "proxy-config.json": proxyConfig(ctx, binary) }),
    startScript: (_ctx, binary) =>
        [
            scriptHeader("proxy"),
            `sed "s/${PodIpPlaceholder}/\${POD_IP}/" ${StartupDir}/proxy-config.json > ${ScratchDir}/proxy-config.json`,
            // The proxy has always been started with an explicit level (the operator's was debug).
            execCommand("/usr/local/bin/proxy", [
                `--log-level=${binary?.logLevel ?? "info"}`,
                `--cfg=${ScratchDir}/proxy-config.json`,
                ...extraArgFlags(binary),
            ]),
            "",
        ].join("\n"),
    disruption: () => ({ maxUnavailable: 1 }),
};
