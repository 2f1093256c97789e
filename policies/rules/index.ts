/** Every policy of the pack, in one explicit list (no side-effect registration). */
import type { Policies } from "@pulumi/policy";
import { imagePinned } from "./image-pinned";
import { noStatefulReplace } from "./no-stateful-replace";
import { noTierRemoval } from "./no-tier-removal";
import { pdbPerTier } from "./pdb-per-tier";
import { pdOddReplicas } from "./pd-odd-replicas";
import { pdReplicasFixed } from "./pd-replicas-fixed";
import { pvcRetain } from "./pvc-retain";
import { resourceRequests } from "./resource-requests";
import { rollHealthyTier } from "./roll-healthy-tier";
import { storeNoScaleIn } from "./store-no-scale-in";
import { tierOwner } from "./tier-owner";
import { volumeGrowth } from "./volume-growth";

/** The policies of the `elasticell` pack: mandatory rules first, then advisory checks. */
export const allPolicies: Policies = [
    pdReplicasFixed,
    storeNoScaleIn,
    noTierRemoval,
    noStatefulReplace,
    volumeGrowth,
    tierOwner,
    rollHealthyTier,
    pdOddReplicas,
    imagePinned,
    resourceRequests,
    pvcRetain,
    pdbPerTier,
];
