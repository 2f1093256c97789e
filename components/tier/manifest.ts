/** The shape of every plain object the tier builders return: metadata plus the fields of its kind. */

/** Metadata of every object the builder returns. */
export interface Metadata {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
}

/** A named object: metadata plus the fields of its kind. */
export interface Manifest<Spec> {
    readonly metadata: Metadata;
    readonly spec: Spec;
}
