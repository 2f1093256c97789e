/**
 * The state behind the PD double (`pd-double.ts` serves it over HTTP): stores, cells with peers and
 * leaders, offline -> Tombstone once a store's replicas have moved, and the JSON shapes PD answers
 * with. Sources of each behaviour: see `pd-double.ts`.
 */

/** Store states, as metapb.StoreState numbers them (source). */
export const StoreState = { Up: 0, Offline: 1, Tombstone: 2 } as const;
export type StoreStateValue = (typeof StoreState)[keyof typeof StoreState];

/** A store as the double holds it. */
export interface DoubleStore {
    readonly id: number;
    /** `--addr`: `<pod>.<cluster>-store-peer.<ns>.svc:10800` for the program's stores. */
    readonly address: string;
    readonly clientAddress: string;
    state: StoreStateValue;
    readonly labels: { key: string; value: string }[];
}

/** A cell (raft group): its peers, one per store, and the leader peer. */
export interface DoubleCell {
    readonly id: number;
    peers: { id: number; storeID: number }[];
    leaderPeerId: number;
}

/** Options of a `PdDouble`. */
export interface PdDoubleOptions {
    /** Delay between a store going Offline and its replicas having moved (then Tombstone). @default 300 */
    readonly moveDelayMs?: number;
    /** While true, an offline store does not finish moving (a drain that cannot finish); clearing it resumes. @default false */
    readonly stuck?: boolean;
    /** Replicas per cell (PD's maxReplicas). @default 3 */
    readonly maxReplicas?: number;
}

/** The address a program's store registers with: `<cluster>-store-<i>.<cluster>-store-peer.<ns>.svc:10800`. */
export function storeAddress(cluster: string, namespace: string, ordinal: number): string {
    return `${cluster}-store-${ordinal}.${cluster}-store-peer.${namespace}.svc:10800`;
}

/** PD's view of the cluster, as the double holds it. */
export class PdState {
    readonly stores = new Map<number, DoubleStore>();
    readonly cells = new Map<number, DoubleCell>();
    /** Delay between a store going Offline and its replicas having moved. */
    moveDelayMs: number;
    /** While true, offline stores do not finish moving. */
    stuck: boolean;
    readonly maxReplicas: number;
    /** Replica moves PD is running, by the store they leave (`GET /operators`). */
    readonly moving = new Map<number, { from: number; to: number; cell: number }[]>();
    protected nextId = 1;
    protected readonly timers = new Set<NodeJS.Timeout>();
    /** Who waits for a store to reach Tombstone (`tombstoned`), by store ID. */
    private readonly tombstoneWaiters = new Map<number, (() => void)[]>();

    constructor(opts: PdDoubleOptions = {}) {
        this.moveDelayMs = opts.moveDelayMs ?? 300;
        this.stuck = opts.stuck ?? false;
        this.maxReplicas = opts.maxReplicas ?? 3;
    }

    /** Registers a store (as a store's first heartbeat does); returns its ID. */
    addStore(address: string, state: StoreStateValue = StoreState.Up): number {
        const id = this.nextId++;
        const clientAddress = address.replace(/:10800$/, ":6370");
        this.stores.set(id, { id, address, clientAddress, state, labels: [{ key: "zone", value: "zone-1" }] });
        return id;
    }

    /** Adds a cell with one peer on each of `storeIds`, the first one leading; returns its ID. */
    addCell(storeIds: readonly number[]): number {
        const id = this.nextId++;
        const peers = storeIds.map((storeID) => ({ id: this.nextId++, storeID }));
        this.cells.set(id, { id, peers, leaderPeerId: peers[0].id });
        return id;
    }

    /** The store registered with `address` (the newest one when several did). */
    storeByAddress(address: string): DoubleStore | undefined {
        return [...this.stores.values()].filter((s) => s.address === address).pop();
    }

    /** Cancels pending moves. */
    cancelMoves(): void {
        for (const t of this.timers) {
            clearTimeout(t);
        }
        this.timers.clear();
    }

    /** True once a store has joined. */
    bootstrapped(): boolean {
        return this.stores.size > 0;
    }

    /** A store as `GET /stores` shows it. */
    storeJson(s: DoubleStore) {
        const leaderCount = [...this.cells.values()].filter(
            (c) => c.peers.find((p) => p.id === c.leaderPeerId)?.storeID === s.id,
        ).length;
        return {
            meta: { id: s.id, address: s.address, lables: s.labels, state: s.state, clientAddress: s.clientAddress },
            status: {
                stats: { storeID: s.id, cellCount: this.cellsOf(s.id).length },
                leaderCount,
                lastHeartbeatTS: Math.floor(Date.now() / 1000),
            },
        };
    }

    /** A cell as `GET /cells` shows it. */
    cellJson(c: DoubleCell) {
        return {
            meta: { id: c.id, peers: c.peers, start: "", end: "" },
            leader: c.peers.find((p) => p.id === c.leaderPeerId) ?? null,
            downPeers: [],
            pendingPeers: [],
        };
    }

    /** The cells with a replica on store `storeId`. */
    cellsOf(storeId: number): DoubleCell[] {
        return [...this.cells.values()].filter((c) => c.peers.some((p) => p.storeID === storeId));
    }

    /** Takes a store offline (`DELETE /stores/{id}`); its replicas move to other Up stores after `moveDelayMs`, then Tombstone. */
    offline(s: DoubleStore, force: boolean): void {
        if (force) {
            s.state = StoreState.Tombstone;
            return;
        }
        if (s.state !== StoreState.Up) {
            return;
        }
        s.state = StoreState.Offline;
        this.scheduleMove(s);
    }

    private scheduleMove(s: DoubleStore): void {
        const ops = this.cellsOf(s.id).map((c) => ({ from: s.id, to: 0, cell: c.id }));
        this.moving.set(s.id, ops);
        const t = setTimeout(() => {
            this.timers.delete(t);
            if (s.state !== StoreState.Offline) {
                return;
            }
            if (this.stuck) {
                this.scheduleMove(s); // look again later: clearing `stuck` lets the move finish
                return;
            }
            for (const c of this.cellsOf(s.id)) {
                const target = [...this.stores.values()].find(
                    (o) => o.state === StoreState.Up && !c.peers.some((p) => p.storeID === o.id),
                );
                if (target === undefined) {
                    return; // nowhere to move: the store stays Offline (assumption)
                }
                const peer = c.peers.find((p) => p.storeID === s.id)!;
                const moved = { id: this.nextId++, storeID: target.id };
                c.peers = c.peers.map((p) => (p === peer ? moved : p));
                if (c.leaderPeerId === peer.id) {
                    c.leaderPeerId = c.peers.find((p) => p.storeID !== s.id)!.id;
                }
            }
            this.moving.delete(s.id);
            s.state = StoreState.Tombstone;
            for (const done of this.tombstoneWaiters.get(s.id) ?? []) {
                done();
            }
            this.tombstoneWaiters.delete(s.id);
        }, this.moveDelayMs);
        this.timers.add(t);
    }

    /** Resolves once store `id` is Tombstone: when its replicas have moved (at once if it already is). */
    tombstoned(id: number): Promise<void> {
        if (this.stores.get(id)?.state === StoreState.Tombstone) {
            return Promise.resolve();
        }
        return new Promise((done) => this.tombstoneWaiters.set(id, [...(this.tombstoneWaiters.get(id) ?? []), done]));
    }

    /** `GET /system`. */
    system() {
        const stores = [...this.stores.values()];
        const count = (st: number) => stores.filter((s) => s.state === st).length;
        return {
            alreadyBootstrapped: this.bootstrapped(),
            maxReplicas: this.maxReplicas,
            storeCount: stores.length,
            offlineStoreCount: count(StoreState.Offline),
            tombStoneStoreCount: count(StoreState.Tombstone),
            cellCount: this.cells.size,
            replicasNotFullCellCount: [...this.cells.values()].filter((c) => c.peers.length < this.maxReplicas).length,
            storageCapacity: stores.length * 100 * 2 ** 30,
            storageAvailable: stores.length * 90 * 2 ** 30,
            operatorCount: [...this.moving.values()].flat().length,
        };
    }
}
