/**
 * The `elasticell` policy pack. Run with `pulumi preview --policy-pack policies`.
 * `captureEngineStack()` must run before the PolicyPack starts its server (see core/engine-context.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { captureEngineStack } from "./core/engine-context";
import { allPolicies } from "./rules";

captureEngineStack();

new PolicyPack("elasticell", {
    policies: allPolicies,
    description:
        "Protects elasticell clusters on Kubernetes against PD resizes, Store scale-in, tier removal, StatefulSet " +
        "replacement, adopting another stack's tier and rolling an unhealthy tier.",
});
