/**
 * Store, the `cell` binary: raft groups of 3 replicas on distinct stores.
 * Stores find PD through the list computed from PD's ordinal DNS names.
 */
import type { TierProfile } from "./tier/profile";
import { execCommand, scriptHeader, waitForOwnDns } from "./tier/script";
import { pdRpcAddresses } from "./pd";

export const StorePorts = { raft: 10800, redis: 6370 } as const;

export const storeProfile: TierProfile = {
    kind: "store",
    ports: [
        { name: "store-server", port: StorePorts.raft },
        { name: "redis-cli", port: StorePorts.redis },
    ],
    peerPorts: [
        { name: "cell-peer", port: StorePorts.raft },
        { name: "cell-cli", port: StorePorts.redis },
    ],
    storage: { template: "store", mountPath: "/var/lib/store" },
    readinessPort: "redis-cli",
    startScript: (ctx) =>
        [
            scriptHeader("store"),
            waitForOwnDns(60),
            // zone/rack as the operator set them; `cell` retries PD (60 x 3 s) while PD comes up.
            execCommand("cell", [
                "--data=/var/lib/store/data",
                `--addr="\${domain}:${StorePorts.raft}"`,
                `--addr-cli="\${domain}:${StorePorts.redis}"`,
                "--zone=zone-1",
                "--rack=rack-1",
                "--interval-heartbeat-store=5",
                "--interval-heartbeat-cell=2",
                `--pd=${pdRpcAddresses(ctx).join(",")}`,
            ]),
            "",
        ].join("\n"),
    // One store down at a time keeps every 3-replica raft group at quorum.
    disruption: () => ({ maxUnavailable: 1 }),
};
