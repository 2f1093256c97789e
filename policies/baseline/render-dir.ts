/**
 * Baseline of a render target (provider `renderYamlToDirectory`): the manifests the last
 * `pulumi up` wrote (`<dir>/1-manifest/*.yaml`, CRDs in `0-crd/`). Every YAML document under the
 * directory is parsed and StatefulSets are picked by kind, so file names do not matter.
 * A missing directory means nothing was rendered yet (first deployment); a file that cannot be
 * read or parsed makes the baseline unreadable. A render directory has no pods: `listPods`
 * answers undefined, and rules skip their pod health checks.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { BaselineUnreadableError, deployedFromManifest, matchesSelector } from "./types";
import type { Baseline, DeployedClaim, DeployedPod, DeployedStatefulSet, DeployedStorageClass } from "./types";

const manifestFile = /\.(ya?ml|json)$/i;

async function filesUnder(dir: string): Promise<string[]> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const out: string[] = [];
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            out.push(...(await filesUnder(p)));
        } else if (e.isFile() && manifestFile.test(e.name)) {
            out.push(p);
        }
    }
    return out;
}

/** `Baseline` over a render directory; parses it once per process. */
export class RenderDirectoryBaseline implements Baseline {
    readonly target: string;
    private loaded: Promise<readonly DeployedStatefulSet[]> | undefined;

    /**
     * @param directory absolute path of the render directory
     * @param defaultNamespace namespace of manifests without one (the provider's `namespace`, else "default")
     */
    constructor(
        readonly directory: string,
        readonly defaultNamespace = "default",
    ) {
        this.target = `render directory ${directory}`;
    }

    private load(): Promise<readonly DeployedStatefulSet[]> {
        this.loaded ??= this.read();
        return this.loaded;
    }

    private async read(): Promise<readonly DeployedStatefulSet[]> {
        let files: string[];
        try {
            files = await filesUnder(this.directory);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "ENOENT") {
                return [];
            }
            throw new BaselineUnreadableError(this.target, `cannot list it (${(err as Error).message})`);
        }
        const found: DeployedStatefulSet[] = [];
        for (const file of files) {
            let docs: unknown[];
            try {
                docs = yaml.loadAll(await fs.readFile(file, "utf8"));
            } catch (err) {
                throw new BaselineUnreadableError(
                    this.target,
                    `${path.relative(this.directory, file)} is not readable YAML (${(err as Error).message.split("\n")[0]})`,
                );
            }
            for (const doc of docs) {
                const sts = deployedFromManifest(doc, this.defaultNamespace);
                if (sts !== undefined) {
                    found.push(sts);
                }
            }
        }
        return found;
    }

    async getStatefulSet(namespace: string, name: string): Promise<DeployedStatefulSet | undefined> {
        return (await this.load()).find((s) => s.namespace === namespace && s.name === name);
    }

    async listStatefulSets(selector: Readonly<Record<string, string>>): Promise<readonly DeployedStatefulSet[]> {
        return (await this.load()).filter((s) => matchesSelector(s.labels, selector));
    }

    /** Always undefined: nothing runs from a render directory, so there are no pods to check. */
    listPods(): Promise<readonly DeployedPod[] | undefined> {
        return Promise.resolve(undefined);
    }

    /** A render directory holds no volumes. */
    listClaims(): Promise<readonly DeployedClaim[] | undefined> {
        return Promise.resolve(undefined);
    }

    /** A render directory holds no StorageClasses (they belong to the cluster the manifests are applied to). */
    getStorageClass(): Promise<DeployedStorageClass | undefined> {
        return Promise.resolve(undefined);
    }
}
