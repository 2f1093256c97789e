/**
 * Comparing planned values with deployed ones, as the rules need it: exact string maps and lists,
 * and deep containment (the API server adds defaults to what the plan sent, e.g.
 * `fieldRef.apiVersion: v1`, so "the plan's value is contained in the live one" means unchanged).
 */

/** The keys whose values differ between two string maps (absent counts as a difference), sorted. */
export function changedKeys(
    planned: Readonly<Record<string, string>>,
    deployed: Readonly<Record<string, string>>,
): string[] {
    const keys = new Set([...Object.keys(planned), ...Object.keys(deployed)]);
    return [...keys].filter((k) => planned[k] !== deployed[k]).sort();
}

/** `a=1,b=2` (sorted), or `<none>` for an empty map. */
export function mapText(m: Readonly<Record<string, string>>): string {
    const pairs = Object.entries(m)
        .map(([k, v]) => `${k}=${v}`)
        .sort();
    return pairs.length === 0 ? "<none>" : pairs.join(",");
}

/** True when both lists have the same items in the same order. */
export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
    return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `[a, b]`, for messages. */
export function listText(l: readonly unknown[]): string {
    return `[${l.map(String).join(", ")}]`;
}

/**
 * True when `planned` is contained in `deployed`: equal primitives, arrays of the same length
 * whose items are contained pairwise, objects whose every planned key is contained (keys the
 * planned object leaves unset or undefined are ignored: the server may fill them).
 */
export function deepContains(planned: unknown, deployed: unknown): boolean {
    if (Array.isArray(planned)) {
        return (
            Array.isArray(deployed) &&
            planned.length === deployed.length &&
            planned.every((v, i) => deepContains(v, deployed[i]))
        );
    }
    if (planned !== null && typeof planned === "object") {
        if (deployed === null || typeof deployed !== "object" || Array.isArray(deployed)) {
            return false;
        }
        return Object.entries(planned).every(
            ([k, v]) => v === undefined || deepContains(v, (deployed as Record<string, unknown>)[k]),
        );
    }
    return planned === deployed;
}
