/**
 * Section 3: the floor any deploy tool pays. `kubectl apply --dry-run=server`
 * of the dev-like stack's rendered manifests against the local cluster: one
 * server-side admission and validation of every object, no state, no plan.
 * A server-side dry run cannot create the namespace the other objects live
 * in, so when the cluster lacks it the objects are applied to `default`
 * instead (the Namespace object is left out), which the table says.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { dump } from "js-yaml";
import compact from "lodash/compact";
import uniq from "lodash/uniq";
import { measure, progress } from "./lib/measure";

const run = promisify(execFile);

/** The server-side dry run: its samples, or why it did not run. */
export type KubectlFigures =
    | { readonly ran: true; readonly objects: number; readonly samplesMs: readonly number[]; readonly note: string }
    | { readonly ran: false; readonly why: string };

/** A rendered manifest as the dry run reads it. */
export interface Manifest {
    kind?: string;
    metadata?: { namespace?: string };
}

/** Times `kubectl apply --dry-run=server` of the manifests against the local cluster. */
export async function measureKubectl(opts: {
    kubectl: string | undefined;
    kubeconfig: string;
    clusterRunning: boolean;
    /** The objects the render target wrote (`EngineProject.renderedObjects()`). */
    manifests: readonly Manifest[];
    reps?: number;
}): Promise<KubectlFigures> {
    if (!opts.clusterRunning) {
        return { ran: false, why: "local cluster not running (start it with npm run cluster:up)" };
    }
    if (opts.kubectl === undefined || !fs.existsSync(opts.kubectl)) {
        return {
            ran: false,
            why: "kubectl not found (the cluster toolchain cache is not built: npm run cluster:up builds it)",
        };
    }
    const kubectl = (args: readonly string[]) =>
        run(opts.kubectl!, ["--kubeconfig", opts.kubeconfig, ...args], { maxBuffer: 16 << 20 });
    const objects = opts.manifests;
    if (objects.length === 0) {
        return { ran: false, why: "the render target wrote no manifests" };
    }
    const namespaces = uniq(compact(objects.map((o) => o.metadata?.namespace)));
    const missing: string[] = [];
    for (const ns of namespaces) {
        try {
            await kubectl(["get", "namespace", ns, "-o", "name"]);
        } catch {
            missing.push(ns);
        }
    }
    let applied = objects;
    let note = "the rendered manifests as they are, in one file";
    if (missing.length > 0) {
        applied = objects
            .filter((o) => o.kind !== "Namespace")
            .map((o) =>
                o.metadata?.namespace === undefined ? o : { ...o, metadata: { ...o.metadata, namespace: "default" } },
            );
        note = `namespace ${missing.join(", ")} absent from the cluster: objects applied to \`default\`, Namespace left out`;
        progress(`kubectl: ${note}`);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-bench-kubectl-"));
    const file = path.join(tmp, "manifests.yaml");
    fs.writeFileSync(file, applied.map((o) => dump(o)).join("---\n"));
    try {
        const samplesMs: number[] = [];
        const reps = opts.reps ?? 3;
        for (let rep = 1; rep <= reps; rep++) {
            const r = await measure(`kubectl apply --dry-run=server (${applied.length} objects, ${rep}/${reps})`, () =>
                kubectl(["apply", "--dry-run=server", "-f", file]),
            );
            samplesMs.push(r.ms);
        }
        return { ran: true, objects: applied.length, samplesMs, note };
    } catch (err) {
        const e = err as { stderr?: string; message?: string };
        return {
            ran: false,
            why: `kubectl apply --dry-run=server failed: ${(e.stderr ?? e.message ?? String(err)).trim().split("\n")[0]}`,
        };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
