/**
 * Fixtures for the claim rule (elasticell-volume-growth): planned PersistentVolumeClaims as the
 * program registers them, live claims as the API lists them, and storage classes.
 */
import type { DeployedClaim, DeployedStorageClass } from "../../policies/baseline/types";
import type { TierKind } from "../../policies/core/naming";
import { MemoryBaseline } from "./baseline/memory";
import { Cluster, Namespace } from "./fixtures";

type Tier = TierKind;

/** A planned claim; labels are optional so a case can drop them. */
export interface ClaimFixture {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels?: Record<string, string> };
    spec: { accessModes: string[]; storageClassName?: string; resources: { requests: { storage: string } } };
}

/** A planned claim as the program registers it (`buildClaims`), ordinal 0 of the tier. */
export function planned(tier: Tier, size: string, className?: string): ClaimFixture {
    return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
            name: `${tier}-${Cluster}-${tier}-0`,
            namespace: Namespace,
            labels: {
                "app.kubernetes.io/name": "elasticell",
                "app.kubernetes.io/instance": Cluster,
                "app.kubernetes.io/component": tier,
            },
        },
        spec: {
            accessModes: ["ReadWriteOnce"],
            ...(className === undefined ? {} : { storageClassName: className }),
            resources: { requests: { storage: size } },
        },
    };
}

/** The live claim of ordinal 0, as the API lists it (class filled in; null: no class). */
export function liveClaim(tier: Tier, storage: string, storageClassName: string | null = "expandable"): DeployedClaim {
    return {
        namespace: Namespace,
        name: `${tier}-${Cluster}-${tier}-0`,
        storage,
        ...(storageClassName === null ? {} : { storageClassName }),
        deleting: false,
    };
}

/** An expandable class and a fixed default one. */
export const classes: DeployedStorageClass[] = [
    { name: "expandable", allowVolumeExpansion: true, isDefault: false },
    { name: "fixed", allowVolumeExpansion: false, isDefault: true },
];

/** An in-memory baseline holding `claims` and `storageClasses`, or unreadable. */
export function baseline(
    claims: DeployedClaim[] | undefined,
    storageClasses: DeployedStorageClass[] | undefined = classes,
    unreadable?: string,
) {
    return new MemoryBaseline([], unreadable, "the in-memory baseline", {}, claims, storageClasses);
}
