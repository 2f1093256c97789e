/**
 * The stack-config contract: one zod schema is the only definition of the
 * configuration a stack may carry. `parseStackConfig` is pure (tests call it
 * with plain objects); `loadStackConfig` reads the Pulumi stack config and
 * turns every problem into one readable error, before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { describeIssues, type IssueAudience } from "./config-errors";
import { bool, clusterName, dnsLabel, objectAnnotations } from "./config-fields";
import { drainList, drainRules, drainTimeoutSeconds, pdApiUrl } from "./config-drain";
import { labelMap } from "./config-k8s";
import { pdServiceSchema, supportedCommands } from "./config-pod-knobs";
import { annotationBudget, podAnnotationBudget, serviceAccountRules } from "./config-root";
import { networkPolicySchema } from "./config-security";
import { storageSchema, tierFields } from "./config-tier";
import { topologySchema } from "./config-topology";
import { LabelKeys, ReplicaCeiling } from "./labels";

const pdSchema = z.strictObject({
    ...tierFields({
        tier: "pd",
        replicas: {
            fallback: 3,
            min: 1,
            odd: true,
            why: "PD holds the cluster's metadata in embedded etcd",
            max: ReplicaCeiling.pd,
            whyMax: "etcd's documented cluster sizes are 3, 5 or 7 members; more slow every write and add no fault tolerance a PD needs",
        },
        image: "deepfabric/pd:latest",
        minReadySeconds: 10,
    }),
    storage: storageSchema("1Gi"),
    /** PD's client URL for the Store drain, instead of the Kubernetes API server's service proxy. */
    apiUrl: pdApiUrl,
    /** PD's client Service `<name>-pd`: its type. */
    service: pdServiceSchema,
});

const storeSchema = z.strictObject({
    ...tierFields({
        tier: "store",
        replicas: {
            fallback: 3,
            min: 3,
            why: "every cell keeps 3 raft replicas on distinct stores",
            max: ReplicaCeiling.store,
            whyMax: "the largest Store count this program is tested at (bench/sizes.ts); Stores only go down by draining one store at a time, so a mistyped count is costly to undo",
        },
        image: "deepfabric/cell:latest",
        minReadySeconds: 10,
    }),
    storage: storageSchema("10Gi"),
    /** Stores to take out of PD (offline, then Tombstone) before a scale-in: the highest ordinals. */
    drain: drainList,
    /** Deadline of the whole drain, in seconds. */
    drainTimeoutSeconds,
    /** Where each store learns its node's zone and rack (`config-topology.ts`). */
    topology: topologySchema,
});

const serviceSchema = z
    .strictObject({
        type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]).default("ClusterIP"),
        annotations: objectAnnotations.default({}),
        loadBalancerIP: z.string().min(1).optional(),
        externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
    })
    .superRefine((svc, ctx) => {
        const misplaced = (key: "externalTrafficPolicy" | "loadBalancerIP", message: string) =>
            ctx.addIssue({ code: "custom", path: [key], input: svc[key], message, params: { fix: "rm" } });
        if (svc.type === "ClusterIP" && svc.externalTrafficPolicy !== undefined) {
            misplaced("externalTrafficPolicy", "applies only to NodePort and LoadBalancer Services");
        }
        if (svc.type !== "LoadBalancer" && svc.loadBalancerIP !== undefined) {
            misplaced("loadBalancerIP", "applies only to a LoadBalancer Service");
        }
    })
    .prefault({});

const proxySchema = z.strictObject({
    ...tierFields({
        tier: "proxy",
        replicas: {
            fallback: 1,
            min: 1,
            why: "the proxies are the cluster's only Redis entry",
            max: ReplicaCeiling.proxy,
            whyMax: "a check against a mistyped count: every proxy holds connections to PD and to every store",
        },
        image: "deepfabric/proxy:latest",
        minReadySeconds: 0,
    }),
    service: serviceSchema,
    /** Redis commands the proxy forwards (`supportCMDs`); default: the operator's 64. */
    supportedCommands,
});

/** In-cluster guard: a ValidatingAdmissionPolicy holding every client (plain `pulumi up`, `kubectl`, autoscalers) to the same rules. */
const guardSchema = z
    .strictObject({
        /** Install the ValidatingAdmissionPolicy and its binding (Kubernetes 1.30+, RBAC to create them). */
        admissionPolicy: bool(true),
    })
    .prefault({});

/** The whole stack configuration, under the project's config namespace (`elasticell:`). */
export const StackConfigSchema = z
    .strictObject({
        /** Cluster name: prefix of every object name, and the `app.kubernetes.io/instance` label. */
        name: clusterName.default("demo"),
        /** Namespace of every object. */
        namespace: dnsLabel.default("elasticell"),
        /** Create the namespace (false: it must exist). */
        createNamespace: bool(true),
        /** `TZ` of every container. */
        timezone: z.string().min(1).default("UTC"),
        /** Extra labels on every object (never in selectors). */
        labels: labelMap(Object.values(LabelKeys)).default({}),
        /** Extra annotations on every object; `pulumi.com/*` keys are refused. */
        annotations: objectAnnotations.default({}),
        /**
         * Mark the PD and Store StatefulSets `protect`ed: the engine refuses to delete or replace them
         * (storage or selector changes, `--replace`, a replaced provider). `pulumi destroy --ignore-protect` destroys.
         */
        protect: bool(true),
        pd: pdSchema.prefault({}),
        store: storeSchema.prefault({}),
        proxy: proxySchema.prefault({}),
        guard: guardSchema,
        /** NetworkPolicies per tier (on by default) and who may reach the client ports. */
        networkPolicy: networkPolicySchema,
        // One object's annotations (config's plus the program's) must fit the API server's 256 KiB.
    })
    .check(annotationBudget)
    .check(serviceAccountRules)
    .check(podAnnotationBudget)
    .superRefine(drainRules);

/** Parsed, defaulted configuration. */
export type StackConfig = z.infer<typeof StackConfigSchema>;
/** Raw configuration as written in `Pulumi.<stack>.yaml`. */
export type StackConfigInput = z.input<typeof StackConfigSchema>;
/** Parsed configuration of one tier. */
export type PdConfig = StackConfig["pd"];
export type StoreConfig = StackConfig["store"];
export type ProxyConfig = StackConfig["proxy"];

/** The config problem list, thrown by `parseStackConfig`. */
export class StackConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(
            `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n` +
                problems.join("\n"),
        );
        this.name = "StackConfigError";
    }
}

/**
 * Validates raw stack configuration and applies defaults. Throws one
 * `StackConfigError` that lists every problem with the command that fixes it.
 * `secretKeys` are config paths whose values must never be echoed;
 * `audience` "args" phrases the problems for `CellCluster`'s arguments.
 */
export function parseStackConfig(
    raw: unknown,
    secretKeys: ReadonlySet<string> = new Set(),
    audience: IssueAudience = "config",
): StackConfig {
    const result = StackConfigSchema.safeParse(raw, { reportInput: true });
    if (result.success) {
        return result.data;
    }
    throw new StackConfigError(describeIssues(result.error.issues, secretKeys, audience));
}

/**
 * Converts a config value as Pulumi hands it to a program (strings, with
 * objects as JSON) into plain data. Numbers and booleans written without
 * `--path` arrive as strings and are converted here.
 */
export function decodeConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Reads the project's namespace of the stack config as a raw object. */
export function readRawStackConfig(): { raw: Record<string, unknown>; secretKeys: Set<string> } {
    const prefix = `${pulumi.getProject()}:`;
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    // The language host passes the secret keys' names as a JSON array.
    const secret = new Set<string>(JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]") as string[]);
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(prefix)) {
            continue;
        }
        const name = key.slice(prefix.length);
        raw[name] = decodeConfigValue(value);
        if (secret.has(key)) {
            secretKeys.add(name);
        }
    }
    return { raw, secretKeys };
}

/**
 * Loads and validates the stack config. On bad config it throws a
 * `pulumi.RunError`, which the engine prints without a stack trace, before
 * any resource is registered.
 */
export function loadStackConfig(): StackConfig {
    const { raw, secretKeys } = readRawStackConfig();
    try {
        return parseStackConfig(raw, secretKeys);
    } catch (err) {
        if (err instanceof StackConfigError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
}
