/** An in-memory baseline for tests: fixed objects and pods, or a fixed "unreadable" reason. */
import {
    BaselineUnreadableError,
    matchesSelector,
    type Baseline,
    type DeployedClaim,
    type DeployedPod,
    type DeployedStatefulSet,
    type DeployedStorageClass,
} from "../../../policies/baseline/types";

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

    getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        this.reads++;
        return this.answer(this.unreadable, () =>
            this.statefulSets.find((s) => s.namespace === namespace && s.name === name),
        );
    }

    listStatefulSets(selector: Readonly<Record<string, string>>): Promise<readonly DeployedStatefulSet[]> {
        this.reads++;
        return this.answer(this.unreadable, () => this.statefulSets.filter((s) => matchesSelector(s.labels, selector)));
    }

    listPods(
        namespace: string,
        selector: Readonly<Record<string, string>>,
    ): Promise<readonly DeployedPod[] | undefined> {
        this.podReads++;
        return this.answer(this.unreadable ?? this.pods.unreadable, () =>
            this.pods.none === true
                ? undefined
                : (this.pods.pods ?? []).filter(
                      (p) => p.namespace === namespace && matchesSelector(p.labels, selector),
                  ),
        );
    }

    listClaims(namespace: string): Promise<readonly DeployedClaim[] | undefined> {
        return this.answer(this.unreadable, () => this.claims?.filter((c) => c.namespace === namespace));
    }

    getStorageClass(name: string | undefined): Promise<DeployedStorageClass | undefined> {
        return this.answer(this.unreadable, () =>
            this.storageClasses?.find((c) => (name === undefined ? c.isDefault : c.name === name)),
        );
    }

    /** Answers as a remote baseline does: later, and by rejecting with `reason` when it is set. */
    private answer<T>(reason: string | undefined, read: () => T): Promise<T> {
        return new Promise((resolve) => {
            if (reason !== undefined) {
                throw new BaselineUnreadableError(this.target, reason);
            }
            resolve(read());
        });
    }
}
