/**
 * The one way violations name what they are about: `ns/name` for an object, and
 * `elasticell cluster "x", tier y, StatefulSet ns/name` for an object of a tier, so every rule's
 * message starts the same way and tests can match it.
 */

/** `ns/name`, for messages. */
export function objectRef(namespace: string, name: string): string {
    return `${namespace}/${name}`;
}

/** `elasticell cluster "x", tier y` or `elasticell cluster "x", tiers y and z` (`tiers` already listed). */
export function clusterTiersText(cluster: string, tiers: string, plural = false): string {
    return `elasticell cluster "${cluster}", ${plural ? "tiers" : "tier"} ${tiers}`;
}

/** `elasticell cluster "x", tier y, <kind> ns/name`: the subject of a violation about one object of a tier. */
export function tierSubject(cluster: string, tier: string, ref: string, kind = "StatefulSet"): string {
    return `${clusterTiersText(cluster, tier)}, ${kind} ${ref}`;
}
