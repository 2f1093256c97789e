/**
 * Field schemas of the stack config that carry their own checks and offer a
 * fix: quantities, DNS labels, the cluster name, replica counts, images.
 */
import { z } from "zod";
import { annotationKeys } from "./config-k8s";
import { dns1035LabelProblems, parseQuantity } from "./k8s-validation";
import { derivedNames } from "./labels";

/** A positive Kubernetes resource quantity such as `500m`, `2`, `1Gi`, `1.5G`; `example` is offered as the fix. */
export function quantity(example: string) {
    return z.string().superRefine((q, ctx) => {
        const parsed = parseQuantity(q);
        if (parsed === undefined) {
            ctx.addIssue({
                code: "custom",
                input: q,
                message: "not a Kubernetes quantity (examples: 500m, 2, 512Mi, 10Gi)",
                params: { fix: example },
            });
        } else if (parsed.mantissa === 0n) {
            ctx.addIssue({ code: "custom", input: q, message: "must be greater than zero", params: { fix: example } });
        }
    });
}

const DnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The closest DNS label to a string, offered as a fix. */
function toDnsLabel(s: string): string {
    const label = s
        .toLowerCase()
        .replace(/[^-a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 63)
        .replace(/-+$/, "");
    return label === "" ? "demo" : label;
}

/** DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63. */
export const dnsLabel = z.string().superRefine((s, ctx) => {
    if (s.length > 63 || !DnsLabelPattern.test(s)) {
        ctx.addIssue({
            code: "custom",
            input: s,
            message:
                "must be a DNS label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
            params: { fix: toDnsLabel(s) },
        });
    }
});

/**
 * DNS-1035 label: a DNS label that starts with a letter. The cluster name starts every Service name
 * (`<name>-pd`, `<name>-cell`), and Kubernetes up to 1.35 refuses a Service name that is not a
 * DNS-1035 label (1.36 relaxes it behind the RelaxedServiceNameValidation gate, on by default, KEP-5311),
 * so `1abc` would fail half-way through `pulumi up` on most clusters.
 */
const dns1035Label = z.string().superRefine((s, ctx) => {
    const problems = dns1035LabelProblems(s);
    if (problems.length > 0) {
        const label = toDnsLabel(s);
        ctx.addIssue({
            code: "custom",
            input: s,
            message:
                `must be a DNS-1035 label, as Service names are (it starts every Service name; Kubernetes before 1.36 ` +
                `refuses any other): ${problems.join("; ")}`,
            params: { fix: /^[a-z]/.test(label) ? label : `cell-${label}`.slice(0, 46).replace(/-+$/, "") },
        });
    }
});

/** The cluster name: a DNS-1035 label that also leaves room for every name derived from it. */
export const clusterName = dns1035Label.superRefine((name, ctx) => {
    for (const derived of derivedNames(name)) {
        if (derived.name.length > derived.limit) {
            const room = name.length - (derived.name.length - derived.limit);
            ctx.addIssue({
                code: "custom",
                input: name,
                message: `is too long: ${derived.what} "${derived.name}" would have ${derived.name.length} characters, the limit is ${derived.limit}; use at most ${room} characters`,
                params: { fix: name.slice(0, room).replace(/-+$/, "") },
            });
            return;
        }
    }
});

/** Numbers and booleans typed by hand in YAML as strings ("5", "true") are read as what they say. */
function fromString(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    const v = value.trim();
    if (/^-?[0-9]+(\.[0-9]+)?$/.test(v)) {
        return Number(v);
    }
    return v === "true" ? true : v === "false" ? false : value;
}

export const bool = (fallback: boolean) => z.preprocess(fromString, z.boolean()).default(fallback);

/**
 * A replica count: a whole number, at least `min` (`why` says why), at most
 * `max` (`whyMax` says why), odd when `odd` (the fix offered is the nearest valid count).
 */
export function replicaCount(opts: {
    fallback: number;
    min: number;
    why: string;
    max: number;
    whyMax: string;
    odd?: boolean;
}) {
    return z
        .preprocess(
            fromString,
            z.number().superRefine((n, ctx) => {
                const issue = (message: string, fix: number) =>
                    ctx.addIssue({ code: "custom", input: n, message, params: { fix: String(fix) } });
                if (!Number.isInteger(n)) {
                    issue("must be a whole number", Math.min(opts.max, Math.max(opts.min, Math.round(n))));
                } else if (n < opts.min) {
                    issue(`must be at least ${opts.min}: ${opts.why}`, opts.fallback);
                } else if (n > opts.max) {
                    issue(`must be at most ${opts.max}: ${opts.whyMax}`, opts.max);
                } else if (opts.odd === true && n % 2 === 0) {
                    issue(
                        `must be odd: an even etcd member count adds no fault tolerance (${n} members tolerate as many failures as ${n - 1})`,
                        n - 1,
                    );
                }
            }),
        )
        .default(opts.fallback);
}

/** A container image reference; the tier's default image is offered as the fix. */
export function image(fallback: string) {
    return z
        .string()
        .superRefine((s, ctx) => {
            if (s.trim() === "" || /\s/.test(s)) {
                ctx.addIssue({
                    code: "custom",
                    input: s,
                    message: "must be an image reference without spaces (example: deepfabric/pd:v1.0.0)",
                    params: { fix: fallback },
                });
            }
        })
        .default(fallback);
}

/**
 * Annotations that switch the Kubernetes provider's behaviour (force a
 * conflicting apply, skip readiness waits, orphan or replace objects): the
 * program decides these for the stateful tiers, so config may not set them.
 */
export const ProviderAnnotationPrefix = "pulumi.com/";

/**
 * The program's own annotations (the owning stack, the delete unlock of the admission policy, the
 * config hash): set by the program or deliberately by hand, never from config, where
 * `elasticell.io/allow-delete` would unlock every tier's delete at once.
 */
export const ProgramAnnotationPrefix = "elasticell.io/";

/**
 * Annotations: string values under keys the API server accepts (`annotationKeys`); `pulumi.com/*` and
 * `elasticell.io/*` keys are refused (see `ProviderAnnotationPrefix`, `ProgramAnnotationPrefix`).
 */
export const objectAnnotations = z
    .record(z.string(), z.string())
    .check(annotationKeys)
    .superRefine((map, ctx) => {
        for (const key of Object.keys(map)) {
            if (key.startsWith(ProviderAnnotationPrefix)) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: map[key],
                    message:
                        "pulumi.com/ annotations change how the Kubernetes provider applies, waits for and deletes objects " +
                        "(patchForce, skipAwait, deletionPropagationPolicy, replaceUnready...); on a PD or Store StatefulSet " +
                        "they could take a tier down, so the program does not accept them",
                    params: { fix: "rm" },
                });
            }
            if (key.startsWith(ProgramAnnotationPrefix)) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: map[key],
                    message:
                        "elasticell.io/ annotations belong to the program and its admission policy (the owning stack, the " +
                        "delete unlock); set from config they would apply to every tier at once, so the program does not accept them",
                    params: { fix: "rm" },
                });
            }
        }
    });

/** Seconds a new pod must stay Ready before the rollout moves on (so a pod that flaps stops it). */
export function minReadySeconds(fallback: number) {
    return z.preprocess(fromString, z.number().int().min(0).max(3600)).default(fallback);
}
