/**
 * Store, the `cell` binary: raft groups of 3 replicas on distinct stores.
 * Stores find PD through the list computed from PD's ordinal DNS names, report
 * their node's zone and rack (`tier/zone.ts`) so PD spreads each cell's
 * replicas over zones, and gate readiness and restarts on what PD knows
 * (`store-health.ts`).
 */
import type { TierProfile } from "./tier/profile";
import { configuredFlags } from "./tier/binary-flags";
import { execCommand, scriptHeader, waitForOwnDns } from "./tier/script";
import { zoneScript } from "./tier/zone";
import { pdClientUrl, pdRpcAddresses } from "./pd";
import {
    PreStopBudgetSeconds,
    StorePreStopScript,
    StoreReadyScript,
    storePreStopScript,
    storeReadyScript,
} from "./store-health";

export const StorePorts = { raft: 10800, redis: 6370 } as const;

/** Env var with PD's client URL, which the health scripts call. */
export const PdUrlEnv = "PD_URL";

export const storeProfile: TierProfile = {
    kind: "store",
    ports: [
        { name: "store-server", port: StorePorts.raft, from: { tiers: ["store"] } },
        // Only the proxies forward requests here: nothing else may bypass them.
        { name: "redis-cli", port: StorePorts.redis, from: { tiers: ["proxy"] } },
    ],
    peerPorts: [
        { name: "cell-peer", port: StorePorts.raft },
        { name: "cell-cli", port: StorePorts.redis },
    ],
    storage: { template: "store", mountPath: "/var/lib/store" },
    readinessPort: "redis-cli",
    // Two PD calls of at most 2 s each, plus the fallback.
    readiness: { kind: "script", file: StoreReadyScript, timeoutSeconds: 5 },
    preStop: { file: StorePreStopScript, budgetSeconds: PreStopBudgetSeconds },
    zoneAware: true,
    env: (ctx) => [{ name: PdUrlEnv, value: pdClientUrl(ctx) }],
    configFiles: () => ({
        [StoreReadyScript]: storeReadyScript(StorePorts),
        [StorePreStopScript]: storePreStopScript(StorePorts),
    }),
    startScript: (ctx, binary) =>
        [
            scriptHeader("store"),
            waitForOwnDns(60),
            zoneScript(),
            // `cell` retries PD (60 x 3 s) while PD comes up; PD spreads replicas by --zone, then --rack.
            execCommand("cell", [
                "--data=/var/lib/store/data",
                `--addr="\${domain}:${StorePorts.raft}"`,
                `--addr-cli="\${domain}:${StorePorts.redis}"`,
                '--zone="${zone}"',
                '--rack="${rack}"',
                "--interval-heartbeat-store=5",
                "--interval-heartbeat-cell=2",
                `--pd=${pdRpcAddresses(ctx).join(",")}`,
                ...configuredFlags(binary),
            ]),
            "",
        ].join("\n"),
    // One store down at a time keeps every 3-replica raft group at quorum.
    disruption: () => ({ maxUnavailable: 1 }),
};
