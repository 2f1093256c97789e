/**
 * The guard release's dynamic provider (`release.ts`): the code Pulumi serializes into the state and
 * runs in the `pulumi-resource-pulumi-nodejs` plugin (scripts/plugins/). Like the drain's provider
 * it imports, of the program, only the API-server connection (`../drain/connection.ts`, serialized
 * with it) and types.
 *
 * Create and update do nothing (no API call, so a render target without a cluster works). Delete
 * runs after the guard's binding and policy are deleted and before the PD and Store StatefulSets:
 * the API server keeps enforcing a just-deleted admission policy for 1 to 3 s (its policy cache),
 * so delete waits until a server-side dry run of each tier's delete is no longer refused by it.
 * It never fails the destroy: past its deadline, or without an API server, it only logs and
 * returns, and the tiers' own deletes report any real refusal.
 */
import type * as pulumi from "@pulumi/pulumi";
import { connect, send, type Conn } from "../drain/connection";
import type { DrainAccess } from "../drain/drain-types";

/** Inputs of the release, resolved (also its outputs: delete reads them from the state). */
export interface ReleaseInputs {
    readonly namespace: string;
    /** The StatefulSets whose deletes the guard refuses (`<cluster>-pd`, `<cluster>-store`). */
    readonly statefulSets: string[];
    /** The guard's ValidatingAdmissionPolicy, named in the refusals it causes. */
    readonly policy: string;
    /** How to reach the API server (the Kubernetes provider's kubeconfig and context). */
    readonly access: DrainAccess;
    /** The stack renders YAML (`kubernetes:renderYamlToDirectory`): no cluster, no policy to wait for. */
    readonly render: boolean;
}

/** The waits of a release, injectable so tests run fast. */
export interface ReleaseTiming {
    /** Between two dry-run rounds. */
    readonly pollMs: number;
    /** Give up waiting (log, return) after this long. */
    readonly timeoutMs: number;
    /** Fixed wait when the API server cannot be reached or the credentials cannot be read. */
    readonly fallbackMs: number;
    /** Progress lines; the engine shows a plugin's stderr lines as info messages of the run. */
    readonly log: (message: string) => void;
}

/** Default waits: poll every 300 ms for up to 30 s; 5 s blind when the API server is out of reach. */
export const DefaultReleaseTiming: ReleaseTiming = {
    pollMs: 300,
    timeoutMs: 30_000,
    fallbackMs: 5_000,
    log: (message) => console.error(`[elasticell guard-release] ${message}`),
};

/** How a release ended, for the log and the tests. */
export interface ReleaseOutcome {
    /** released: no tier delete is refused by the guard; timeout: still refused at the deadline;
     * unreachable: no API server or credentials, waited `fallbackMs`; render: nothing to wait for. */
    readonly result: "released" | "timeout" | "unreachable" | "render";
    /** Dry-run rounds made (each asks about every StatefulSet still refused). */
    readonly rounds: number;
    readonly waitedMs: number;
}

/**
 * Waits until the guard no longer refuses a delete of `i.statefulSets` (see the file comment):
 * `DELETE ...?dryRun=All` answered 2xx or 404 means released; 403 or 422 naming the policy means
 * the API server still enforces it; any other answer is not the guard's, so it stops waiting too.
 */
export async function awaitGuardRelease(
    i: ReleaseInputs,
    timing: ReleaseTiming = DefaultReleaseTiming,
): Promise<ReleaseOutcome> {
    const started = Date.now();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const done = (result: ReleaseOutcome["result"], rounds: number): ReleaseOutcome => ({
        result,
        rounds,
        waitedMs: Date.now() - started,
    });
    if (i.render) {
        return done("render", 0);
    }
    const blind = async (why: string, rounds: number) => {
        timing.log(`${why}; waiting ${timing.fallbackMs / 1000} s for the API server to drop guard ${i.policy}`);
        await sleep(timing.fallbackMs);
        return done("unreachable", rounds);
    };
    let conn: Conn;
    try {
        conn = connect(i.access);
    } catch (e) {
        return blind(`cannot read the API server credentials (${(e as Error).message})`, 0);
    }
    const ns = encodeURIComponent(i.namespace);
    let pending = [...i.statefulSets];
    let rounds = 0;
    while (pending.length > 0) {
        rounds++;
        const still: string[] = [];
        for (const sts of pending) {
            const url = `${conn.server}/apis/apps/v1/namespaces/${ns}/statefulsets/${encodeURIComponent(sts)}?dryRun=All`;
            let res: { status: number; body: string };
            try {
                res = await send(url, "DELETE", conn);
            } catch (e) {
                return blind(`cannot reach the API server (${(e as Error).message})`, rounds);
            }
            const refusal =
                (res.status === 403 || res.status === 422) &&
                res.body.includes("ValidatingAdmissionPolicy") &&
                res.body.includes(i.policy);
            if (refusal) {
                still.push(sts);
            } else if (res.status >= 300 && res.status !== 404) {
                timing.log(`dry-run delete of ${i.namespace}/${sts}: HTTP ${res.status}, not the guard's refusal`);
            }
        }
        pending = still;
        if (pending.length === 0) {
            break;
        }
        if (Date.now() - started >= timing.timeoutMs) {
            timing.log(
                `the API server still enforces the deleted guard ${i.policy} on ${pending.join(", ")} after ` +
                    `${Math.round((Date.now() - started) / 1000)} s; going on (the tiers' deletes will report a refusal)`,
            );
            return done("timeout", rounds);
        }
        await sleep(timing.pollMs);
    }
    const outcome = done("released", rounds);
    timing.log(
        `the API server no longer enforces guard ${i.policy} (${rounds} dry-run rounds, ${outcome.waitedMs} ms)`,
    );
    return outcome;
}

/** The dynamic provider: create and update record the inputs; delete waits for the release. */
export const guardReleaseProvider: pulumi.dynamic.ResourceProvider = {
    create(inputs: ReleaseInputs) {
        return Promise.resolve({ id: `${inputs.namespace}/${inputs.policy}`, outs: inputs });
    },
    update(_id: string, _olds: ReleaseInputs, news: ReleaseInputs) {
        return Promise.resolve({ outs: news });
    },
    async delete(_id: string, props: ReleaseInputs) {
        await awaitGuardRelease(props);
    },
};
