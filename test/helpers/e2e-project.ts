/**
 * Starting the engine projects of the e2e tests (test/e2e/): a stack initialised in its own copy,
 * and a stack brought up on the local cluster until its tiers' pods are Ready. Shared so each
 * test file states only its config and what it expects.
 */
import assert from "node:assert/strict";
import { waitForReadyPods, type TestCluster } from "./cluster";
import { EngineProject } from "./engine";

/**
 * A new project copy with its stack initialised (`pulumi stack init`). When the init fails the copy
 * is deleted before the error is rethrown, since the caller never gets the project to dispose.
 */
export async function initProject(...args: ConstructorParameters<typeof EngineProject>): Promise<EngineProject> {
    const project = new EngineProject(...args);
    try {
        await project.init();
    } catch (err) {
        await project.dispose();
        throw err;
    }
    return project;
}

/** Ready pods to wait for per tier after `pulumi up`; a tier left out is not waited for. */
export interface ReadyTiers {
    readonly pd?: number;
    readonly store?: number;
    readonly proxy?: number;
}

/**
 * Initialises `project` (already constructed, so the caller's `after` can dispose it even when this
 * fails), runs `pulumi up` with `upArgs`, asserts it succeeded, then waits for `ready` pods per tier
 * of cluster `cluster` in `namespace`.
 */
export async function upOnCluster(
    project: EngineProject,
    c: TestCluster,
    target: { readonly namespace: string; readonly cluster: string },
    upArgs: readonly string[],
    ready: ReadyTiers,
): Promise<void> {
    await project.init();
    const up = await project.up(upArgs);
    assert.equal(up.code, 0, up.output);
    for (const tier of ["pd", "store", "proxy"] as const) {
        const n = ready[tier];
        if (n !== undefined) {
            await waitForReadyPods(c, target.namespace, target.cluster, tier, n);
        }
    }
}
