/**
 * The checks of the stack config that span keys, so they are hooked on the schema's root
 * (`config.ts`): the annotation budgets of the Redis Service and of each tier's pods, and the
 * stores' ServiceAccount against their zone discovery. They see raw input (the field checks run
 * beside them), so they read it defensively.
 */
import maxBy from "lodash/maxBy";
import { always, isRecord, issue, stringValues } from "./config-k8s";
import { TotalAnnotationSizeLimit, annotationBytes, byteLength } from "./k8s-validation";
import { TierKinds } from "./labels";

/**
 * Bytes kept for the annotations the program adds to every object (the owning stack, the config
 * hash on pod templates): `<project>/<stack>` and a 16-character hash fit in it with room to spare.
 */
export const ProgramAnnotationBytes = 1024;

/**
 * The most annotations one object carries (the Redis Service: `annotations` plus
 * `proxy.service.annotations`, plus the program's own) must fit the API server's 256 KiB.
 * On the stack config's root, since it spans two keys.
 */
export const annotationBudget = always((cfg, ctx) => {
    if (!isRecord(cfg)) {
        return;
    }
    const top = stringValues(cfg.annotations);
    const proxy = isRecord(cfg.proxy) ? cfg.proxy : {};
    const service = stringValues(isRecord(proxy.service) ? proxy.service.annotations : undefined);
    const total = annotationBytes({ ...top, ...service }) + ProgramAnnotationBytes;
    if (total <= TotalAnnotationSizeLimit) {
        return;
    }
    const entries: [PropertyKey[], string, string][] = [
        ...Object.entries(top).map(([k, v]): [PropertyKey[], string, string] => [["annotations", k], k, v]),
        ...Object.entries(service).map(([k, v]): [PropertyKey[], string, string] => [
            ["proxy", "service", "annotations", k],
            k,
            v,
        ]),
    ];
    const size = ([, k, v]: [PropertyKey[], string, string]) => byteLength(k) + byteLength(v);
    const largest = maxBy(entries, size);
    if (largest === undefined) {
        return;
    }
    issue(
        ctx,
        largest[0],
        `is the largest of annotations that add up to ${total} bytes on the Redis Service (annotations, proxy.service.annotations ` +
            `and ${ProgramAnnotationBytes} bytes kept for the program's own); the API server refuses more than ${TotalAnnotationSizeLimit} (256 KiB) per object`,
        "rm",
    );
});

/**
 * `store.serviceAccountName` with `store.topology.source: nodeApi`: the stores then run as the
 * program's ServiceAccount `<name>-store`, which is bound to a ClusterRole that may `get` nodes;
 * a ServiceAccount of the user's would lack that right, so the pair is refused. On the root.
 */
export const serviceAccountRules = always((cfg, ctx) => {
    const store = (cfg as { store?: { serviceAccountName?: unknown; topology?: { source?: unknown } } } | null)?.store;
    if (store?.serviceAccountName !== undefined && store.topology?.source === "nodeApi") {
        issue(
            ctx,
            ["store", "serviceAccountName"],
            "cannot be set with store.topology.source nodeApi: the stores then run as the program's ServiceAccount <name>-store, " +
                "the one bound to get nodes; use topology.source podLabels, or drop this",
            "rm",
            store.serviceAccountName,
        );
    }
});

/**
 * A tier's pods carry `annotations` plus `<tier>.podAnnotations` plus the program's own: together
 * they must fit the API server's 256 KiB per object, or the StatefulSet is refused half-way through
 * `pulumi up`. On the root, since it spans two keys.
 */
export const podAnnotationBudget = always((cfg, ctx) => {
    const root = (cfg ?? {}) as Record<string, unknown>;
    const top = stringValues(root.annotations);
    for (const tier of TierKinds) {
        const pod = stringValues((root[tier] as { podAnnotations?: unknown } | undefined)?.podAnnotations);
        const total = annotationBytes({ ...top, ...pod }) + ProgramAnnotationBytes;
        if (Object.keys(pod).length > 0 && total > TotalAnnotationSizeLimit) {
            issue(
                ctx,
                [tier, "podAnnotations"],
                `with annotations they add up to ${total} bytes on each ${tier} pod (with ${ProgramAnnotationBytes} kept for the program's own); ` +
                    `the API server refuses more than ${TotalAnnotationSizeLimit} (256 KiB) per object`,
                "rm",
            );
        }
    }
});
