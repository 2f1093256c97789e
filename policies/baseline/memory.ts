/** An in-memory baseline for tests: fixed objects, or a fixed "unreadable" reason. */
import { BaselineUnreadableError, matchesSelector, type Baseline, type DeployedStatefulSet } from "./types";

/** In-memory `Baseline`; counts reads so tests can assert caching. */
export class MemoryBaseline implements Baseline {
    /** Number of `getStatefulSet`/`listStatefulSets` calls answered. */
    reads = 0;

    /**
     * @param statefulSets the deployed objects
     * @param unreadable when set, every read throws `BaselineUnreadableError` with this reason
     * @param target description used in messages
     */
    constructor(
        readonly statefulSets: readonly DeployedStatefulSet[] = [],
        readonly unreadable?: string,
        readonly target: string = "the in-memory baseline",
    ) {}

    async getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        this.reads++;
        if (this.unreadable !== undefined) {
            throw new BaselineUnreadableError(this.target, this.unreadable);
        }
        return this.statefulSets.find((s) => s.namespace === namespace && s.name === name);
    }

    async listStatefulSets(selector: Readonly<Record<string, string>>): Promise<readonly DeployedStatefulSet[]> {
        this.reads++;
        if (this.unreadable !== undefined) {
            throw new BaselineUnreadableError(this.target, this.unreadable);
        }
        return this.statefulSets.filter((s) => matchesSelector(s.labels, selector));
    }
}
