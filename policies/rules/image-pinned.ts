/** `elasticell-image-pinned` (advisory): elasticell images carry a version tag or digest, not `:latest`. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown } from "../known";
import { validateResourceOfType } from "../sdk";
import { describePlanned, forEachTierContainer, StatefulSet } from "../statefulset";

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
export const imagePinned: ResourceValidationPolicy = {
    name: imagePinnedName,
    description: "Elasticell images should be pinned to a version tag or digest, not :latest.",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(StatefulSet, (props, args, reportViolation) => {
        forEachTierContainer(props, (c, i, id) => {
            const image = readKnown(() => c.image);
            if (!image.known || typeof image.value !== "string") {
                return;
            }
            const problem = imageProblem(image.value);
            if (problem === undefined) {
                return;
            }
            reportViolation(
                `${describePlanned(props, id, args.name)}: container ${c.name ?? `#${i}`} image "${image.value}" ${problem}. ` +
                    "A moving tag lets pods of one tier run different builds and turns any restart into an unplanned " +
                    "upgrade, outside the PD → Store → Proxy order. Pin a version tag (e.g. deepfabric/pd:<version>) or a digest.",
            );
        });
    }),
};
