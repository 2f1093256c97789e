/**
 * Config of the Store drain (`store.drain`, `store.drainTimeoutSeconds`, `pd.apiUrl`): which stores
 * to take out of PD before a scale-in. Entries are ordinals (`3`) or pod names (`demo-store-3`).
 * The rules, checked on the whole config: the entries are the highest ordinals of the Store tier
 * (contiguous, reaching `store.replicas - 1`, or starting at `store.replicas` once the tier has
 * shrunk to them), and at least 3 stores stay.
 */
import orderBy from "lodash/orderBy";
import uniq from "lodash/uniq";
import { z } from "zod";
import { statefulSetName } from "./labels";

/** Fewest stores a drain may leave: every cell keeps 3 replicas on distinct stores. */
export const MinStoresAfterDrain = 3;

/** One `store.drain` entry: an ordinal, or a pod name `<cluster>-store-<ordinal>`. */
export const drainEntry = z.preprocess(
    (v) => (typeof v === "string" && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : v),
    z.union([
        z.number().int().min(0),
        z
            .string()
            .regex(
                /^[a-z0-9-]+-(0|[1-9][0-9]*)$/,
                "must be a store ordinal (3) or a Store pod name (<cluster>-store-3)",
            ),
    ]),
);

/**
 * `store.drain`: stores to drain before a scale-in. A JSON list written as a string (what
 * `pulumi config set --path store.drain '[4,3]'` stores) is read as the list. @default []
 */
export const drainList = z
    .preprocess((v) => {
        if (typeof v !== "string" || !v.trim().startsWith("[")) {
            return v;
        }
        try {
            return JSON.parse(v) as unknown;
        } catch {
            return v;
        }
    }, z.array(drainEntry))
    .default([]);

/** `store.drainTimeoutSeconds`: deadline of the whole drain. @default 1800 */
export const drainTimeoutSeconds = z
    .preprocess(
        (v) => (typeof v === "string" && /^[0-9]+$/.test(v) ? Number(v) : v),
        z.number().int().min(1).max(86_400),
    )
    .default(1800);

/** `pd.apiUrl`: PD's client URL, used instead of the Kubernetes API server's service proxy. */
export const pdApiUrl = z.url({ protocol: /^https?$/ }).optional();

/** The ordinal of an entry (undefined for a pod name of another StatefulSet). */
function ordinalOf(entry: number | string, statefulSet: string): number | undefined {
    if (typeof entry === "number") {
        return entry;
    }
    const m = /^(.*)-(0|[1-9][0-9]*)$/.exec(entry);
    return m !== null && m[1] === statefulSet ? Number(m[2]) : undefined;
}

/** The drained ordinals of a parsed config, highest first. */
export function drainOrdinals(cluster: string, drain: readonly (number | string)[]): number[] {
    const sts = statefulSetName(cluster, "store");
    const ordinals = drain.map((e) => ordinalOf(e, sts)).filter((o): o is number => o !== undefined);
    return orderBy(uniq(ordinals), [(o) => o], ["desc"]);
}

type Ctx = z.core.$RefinementCtx<{ name: string; store: { replicas: number; drain: (number | string)[] } }>;

/** The whole-config rules of `store.drain` (see the file comment). */
export function drainRules(
    cfg: { name: string; store: { replicas: number; drain: (number | string)[] } },
    ctx: Ctx,
): void {
    const { drain, replicas } = cfg.store;
    if (drain.length === 0) {
        return;
    }
    const sts = statefulSetName(cfg.name, "store");
    const problem = (message: string, fix: string, index?: number) =>
        ctx.addIssue({
            code: "custom",
            path: ["store", "drain", ...(index === undefined ? [] : [index])],
            input: index === undefined ? drain : drain[index],
            message,
            params: { fix },
        });
    const foreign = drain.findIndex((e) => ordinalOf(e, sts) === undefined);
    if (foreign >= 0) {
        problem(`names a pod of another StatefulSet; this cluster's stores are ${sts}-<ordinal>`, "rm", foreign);
        return;
    }
    const ordinals = drainOrdinals(cfg.name, drain);
    const low = ordinals[ordinals.length - 1];
    const high = ordinals[0];
    const top = Math.max(replicas - 1, high);
    const fix = JSON.stringify(
        Array.from({ length: Math.max(0, top - Math.max(low, MinStoresAfterDrain) + 1) }, (_, i) => top - i),
    );
    if (low < MinStoresAfterDrain) {
        problem(
            `would leave ${low} stores; at least ${MinStoresAfterDrain} must stay (each cell keeps 3 raft replicas on distinct stores)`,
            fix,
        );
    } else if (high - low + 1 !== ordinals.length || low > replicas || high < replicas - 1) {
        problem(
            `must be the highest ordinals of the ${replicas} stores, without gaps (drain ${sts}-${replicas - 1} first, then lower ordinals)`,
            fix,
        );
    }
}
