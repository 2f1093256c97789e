/** An in-memory baseline for tests: fixed objects and pods, or a fixed "unreadable" reason. */
import {
    BaselineUnreadableError,
    matchesSelector,
    type Baseline,
    type DeployedClaim,
    type DeployedPod,
    type DeployedStatefulSet,
    type DeployedStorageClass,
} from "./types";

/** Pods of a `MemoryBaseline`. */
export interface MemoryPods {
    /** The pods. @default [] */
    readonly pods?: readonly DeployedPod[];
    /** When true, `listPods` answers undefined, as a render directory does. */
    readonly none?: boolean;
    /** When set, `listPods` throws `BaselineUnreadableError` with this reason (StatefulSets stay readable). */
    readonly unreadable?: string;
}

/** In-memory `Baseline`; counts reads so tests can assert caching and skipped reads. */
export class MemoryBaseline implements Baseline {
    /** Number of `getStatefulSet`/`listStatefulSets` calls answered. */
    reads = 0;
    /** Number of `listPods` calls answered. */
    podReads = 0;

    /**
     * @param statefulSets the deployed objects
     * @param unreadable when set, every read throws `BaselineUnreadableError` with this reason
     * @param target description used in messages
     * @param pods the pods, and whether they are readable
     * @param claims the PVCs; undefined answers "no volumes to read", as a render directory does
     * @param storageClasses the StorageClasses; undefined answers "no classes to read", as a render directory does
     */
    constructor(
        readonly statefulSets: readonly DeployedStatefulSet[] = [],
        readonly unreadable?: string,
        readonly target: string = "the in-memory baseline",
        readonly pods: MemoryPods = {},
        readonly claims: readonly DeployedClaim[] | undefined = [],
        readonly storageClasses: readonly DeployedStorageClass[] | undefined = [],
    ) {}

    async getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        this.reads++;
        this.failIf(this.unreadable);
        return this.statefulSets.find((s) => s.namespace === namespace && s.name === name);
    }

    async listStatefulSets(selector: Readonly<Record<string, string>>): Promise<readonly DeployedStatefulSet[]> {
        this.reads++;
        this.failIf(this.unreadable);
        return this.statefulSets.filter((s) => matchesSelector(s.labels, selector));
    }

    async listPods(
        namespace: string,
        selector: Readonly<Record<string, string>>,
    ): Promise<readonly DeployedPod[] | undefined> {
        this.podReads++;
        this.failIf(this.unreadable ?? this.pods.unreadable);
        if (this.pods.none === true) {
            return undefined;
        }
        return (this.pods.pods ?? []).filter((p) => p.namespace === namespace && matchesSelector(p.labels, selector));
    }

    async listClaims(namespace: string): Promise<readonly DeployedClaim[] | undefined> {
        this.failIf(this.unreadable);
        return this.claims?.filter((c) => c.namespace === namespace);
    }

    async getStorageClass(name: string | undefined): Promise<DeployedStorageClass | undefined> {
        this.failIf(this.unreadable);
        return this.storageClasses?.find((c) => (name === undefined ? c.isDefault : c.name === name));
    }

    private failIf(reason: string | undefined): void {
        if (reason !== undefined) {
            throw new BaselineUnreadableError(this.target, reason);
        }
    }
}
