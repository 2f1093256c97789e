/**
 * `elasticell-image-pinned` (advisory, stack policy): elasticell images carry a version tag or
 * digest, not `:latest`. One violation per cluster and problem lists every tier it concerns
 * (`../core/tier-findings.ts`), so a default stack gets one line, not one per tier.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../core/known";
import { collapsedPolicy } from "../core/tier-findings";

/** Policy name. */
export const imagePinnedName = "elasticell-image-pinned";

/** Why an image reference is not pinned, or undefined when it is (version tag or digest). */
export function imageProblem(image: string): string | undefined {
    if (image.includes("@")) {
        return undefined; // digest: repo@sha256:...
    }
    const last = image.slice(image.lastIndexOf("/") + 1);
    const colon = last.lastIndexOf(":");
    if (colon < 0) {
        return "has no tag, so it means :latest";
    }
    return last.slice(colon + 1) === "latest" ? "uses the :latest tag" : undefined;
}

/** The rule. */
export const imagePinned: StackValidationPolicy = collapsedPolicy({
    name: imagePinnedName,
    description: "Elasticell images should be pinned to a version tag or digest, not :latest.",
    enforcementLevel: "advisory",
    check: (c) => {
        const image = readKnown(() => c.image);
        const value = image.known && typeof image.value === "string" ? image.value : undefined;
        const problem = value === undefined ? undefined : imageProblem(value);
        return problem === undefined ? undefined : { problem: `image ${problem}`, detail: `"${value}"` };
    },
    advice: (_problem, tiers) =>
        "A moving tag lets pods of one tier run different builds and turns any restart into an unplanned " +
        "upgrade, outside the PD → Store → Proxy order. Pin a version tag or a digest: " +
        tiers.map((t) => `pulumi config set --path ${t}.image <image>:<version>`).join("; ") +
        ".",
});
