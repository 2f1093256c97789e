/**
 * The drain's dynamic provider: the code Pulumi serializes into the state and runs in the
 * `pulumi-resource-pulumi-nodejs` plugin (scripts/plugins/). Self-contained: Node built-ins,
 * js-yaml and lodash only, required inside the functions (`modules()`); of the program, only its
 * own API-server connection (`connection.ts`, serialized with it) and types.
 *
 * A drain, for the stores of `ordinals` (highest first), one store at a time:
 * 1. read PD's stores (`GET /pd/api/v1/stores`), map each to its ordinal by its registered address
 *    `<sts>-<i>.<sts>-peer.<ns>.svc:10800`; refuse when a store to drain is unknown to PD or fewer
 *    than 3 stores would stay Up;
 * 2. `DELETE /pd/api/v1/stores/{id}` (never `?force`: that loses the replicas), then poll the store
 *    until PD reports Tombstone (its cell replicas have moved), printing progress; one deadline
 *    (`timeoutSeconds`) for the whole drain: past it the drain fails, and nothing has shrunk, since
 *    the Store StatefulSet only shrinks in a later run the pack allows;
 * 3. delete the drained stores' PVCs (they stay Terminating until the pod goes, at the scale-in),
 *    so a later scale-out starts those stores empty, not on a tombstoned store's data;
 * 4. annotate the Store StatefulSet with the lowest drained ordinal and its current generation:
 *    the admission policy allows a decrease down to that ordinal, while the generation is unchanged.
 * PD is reached through the API server's service proxy with the kubeconfig's credentials
 * (`/api/v1/namespaces/<ns>/services/<cluster>-pd:2379/proxy/pd/api/v1/...`), or `apiUrl`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { connect, kube, modules, send, type Conn } from "./connection";
import type { DrainedStore, DrainInputs } from "./drain-types";

/** Annotation: the lowest drained ordinal (the admission policy allows a decrease down to it). */
export const DrainedDownToAnnotation = "elasticell.io/drained-down-to";
/** Annotation: the StatefulSet generation when the drain finished; any later spec change voids the drain. */
export const DrainedGenerationAnnotation = "elasticell.io/drained-generation";

export type { DrainAccess, DrainedStore, DrainInputs } from "./drain-types";

/** PD API call `path` (after `/pd/api/v1/`): the envelope's value; retries non-leader 5xx answers. */
async function pd(i: DrainInputs, conn: Conn, method: string, path: string): Promise<unknown> {
    const proxy = `${conn.server}/api/v1/namespaces/${i.namespace}/services/${i.cluster}-pd:2379/proxy`;
    const url = `${i.access.apiUrl ? i.access.apiUrl.replace(/\/+$/, "") : proxy}/pd/api/v1/${path}`;
    let last = "";
    for (let attempt = 0; attempt < 5; attempt++) {
        const res = await send(url, method, i.access.apiUrl ? undefined : conn);
        if (res.status === 200) {
            const env = JSON.parse(res.body) as { code?: number; error?: string; value?: unknown };
            if (env.code !== 0) {
                throw new Error(`PD refused ${method} ${path}: ${env.error ?? `code ${String(env.code)}`}`);
            }
            return env.value;
        }
        last = `HTTP ${res.status}: ${res.body.slice(0, 160).trim()}`;
        if (res.status < 500) {
            break;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
        `PD ${method} ${path} through ${i.access.apiUrl ? i.access.apiUrl : "the API server's service proxy"} failed (${last})`,
    );
}

function progress(message: string): void {
    // The engine shows a plugin's stderr lines as info messages of the run.
    console.error(`[elasticell drain] ${message}`);
}

/** Runs the drain (see the file comment); idempotent, so a failed or timed-out run can be rerun. */
export async function runDrain(i: DrainInputs): Promise<DrainedStore[]> {
    const conn = connect(i.access);
    const started = Date.now();
    const deadline = started + i.timeoutSeconds * 1000;
    const names = { Up: 0, Offline: 1, Tombstone: 2 } as const;
    const stateName = (s: number) => (s === 0 ? "Up" : s === 1 ? "Offline" : s === 2 ? "Tombstone" : `state ${s}`);
    const sts = i.statefulSet;
    const ordinalOf = (addr: string) => {
        const m = new RegExp(
            `^${sts}-(0|[1-9][0-9]*)\\.${sts}-peer\\.${i.namespace}(\\.svc(\\.[a-z0-9.-]+)?)?:10800$`,
        ).exec(addr);
        return m === null ? undefined : Number(m[1]);
    };
    const listed = (
        (await pd(i, conn, "GET", "stores")) as { meta: { id: number; address: string; state?: number } }[]
    ).map((s) => ({
        id: s.meta.id,
        state: s.meta.state ?? names.Up,
        ordinal: ordinalOf(s.meta.address),
    }));
    const targets = i.ordinals.map((o) => ({ ordinal: o, stores: listed.filter((s) => s.ordinal === o) }));
    const unknown = targets.filter((t) => t.stores.length === 0).map((t) => `${sts}-${t.ordinal}`);
    if (unknown.length > 0) {
        throw new Error(
            `PD knows no store at the address of ${unknown.join(", ")}: nothing to drain there; remove it from store.drain`,
        );
    }
    const pending = targets.some((t) => t.stores.some((s) => s.state !== names.Tombstone));
    const up = new Set(
        listed
            .filter((s) => s.state === names.Up && s.ordinal !== undefined && !i.ordinals.includes(s.ordinal))
            .map((s) => s.ordinal),
    );
    if (pending && up.size < 3) {
        throw new Error(
            `draining ${i.ordinals.map((o) => `${sts}-${o}`).join(", ")} would leave ${up.size} stores Up in PD; at least 3 must stay Up (each cell keeps 3 replicas on distinct stores)`,
        );
    }
    const done: DrainedStore[] = [];
    for (const t of targets) {
        for (const s of t.stores) {
            const pod = `${sts}-${t.ordinal} (store ${s.id})`;
            if (s.state === names.Up) {
                await pd(i, conn, "DELETE", `stores/${s.id}`);
                progress(`${pod}: taken offline in PD; waiting for its cell replicas to move (Tombstone)`);
            }
            let state = s.state;
            let lastReport = 0;
            while (state !== names.Tombstone) {
                const now = Date.now();
                if (now >= deadline) {
                    const cells = ((await pd(i, conn, "GET", `stores/${s.id}/cells`).catch(() => [])) as unknown[])
                        .length;
                    throw new Error(
                        `drain timed out after ${i.timeoutSeconds} s: ${pod} is still ${stateName(state)} in PD with ${cells} cell replicas left. ` +
                            "Nothing was shrunk: the Store StatefulSet and its volumes are unchanged. Run `pulumi up` again to keep waiting " +
                            "(raise store.drainTimeoutSeconds for large stores), or check PD's operators (GET /pd/api/v1/operators).",
                    );
                }
                if (now - lastReport >= 10_000) {
                    const cells = ((await pd(i, conn, "GET", `stores/${s.id}/cells`)) as unknown[]).length;
                    progress(
                        `${pod}: ${stateName(state)}, ${cells} cell replicas left (${Math.round((now - started) / 1000)} s of ${i.timeoutSeconds} s)`,
                    );
                    lastReport = now;
                }
                await new Promise((r) => setTimeout(r, i.pollSeconds * 1000));
                state =
                    ((await pd(i, conn, "GET", `stores/${s.id}`)) as { meta: { state?: number } }).meta.state ??
                    names.Up;
            }
            progress(`${pod}: Tombstone`);
            done.push({ ordinal: t.ordinal, id: s.id, state });
        }
    }
    const ns = encodeURIComponent(i.namespace);
    for (const o of i.ordinals) {
        for (const t of i.claimTemplates) {
            const pvc = `${t}-${sts}-${o}`;
            if ((await kube(conn, "DELETE", `/api/v1/namespaces/${ns}/persistentvolumeclaims/${pvc}`)) !== undefined) {
                progress(
                    `deleted PVC ${i.namespace}/${pvc} (it goes once ${sts}-${o} is scaled in), so a later scale-out starts that store empty`,
                );
            }
        }
    }
    const stsPath = `/apis/apps/v1/namespaces/${ns}/statefulsets/${encodeURIComponent(sts)}`;
    const live = (await kube(conn, "GET", stsPath)) as { metadata?: { generation?: number } } | undefined;
    if (live !== undefined) {
        const annotations = {
            [DrainedDownToAnnotation]: String(Math.min(...i.ordinals)),
            [DrainedGenerationAnnotation]: String(live.metadata?.generation ?? 0),
        };
        await kube(conn, "PATCH", `${stsPath}?fieldManager=elasticell-drain`, { metadata: { annotations } });
    }
    return done;
}

/** Only a change of what is drained (cluster, namespace, ordinals) makes a drain run again. */
function changed(olds: DrainInputs, news: DrainInputs): string[] {
    const keys = ["cluster", "namespace", "statefulSet", "ordinals"] as const;
    const { isEqual } = modules();
    return keys.filter((k) => !isEqual(olds[k], news[k]));
}

/** The dynamic provider: create and update drain; delete leaves PD alone (a Tombstone is final). */
export const storeDrainProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: DrainInputs) {
        const stores = await runDrain(inputs);
        return { id: `${inputs.namespace}/${inputs.statefulSet}`, outs: { ...inputs, stores } };
    },
    diff(_id: string, olds: DrainInputs, news: DrainInputs) {
        const keys = changed(olds, news);
        return Promise.resolve({ changes: keys.length > 0, replaces: [], deleteBeforeReplace: false });
    },
    async update(_id: string, _olds: DrainInputs, news: DrainInputs) {
        const stores = await runDrain(news);
        return { outs: { ...news, stores } };
    },
    async delete() {
        // Nothing to undo: PD never brings a Tombstone store back; a scale-out registers a new store.
    },
};
