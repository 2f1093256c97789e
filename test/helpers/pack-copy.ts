/**
 * Temporary copies of the policy pack (policies/ without bin/, its node_modules linked) for tests
 * and the benchmark that need a missing or stale bin/: the repository's own bin/ may be in use by
 * other runs, so it is never made stale on purpose.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { ProjectRoot } from "./stacks";

/** The repository's policy pack. */
export const PackDir = path.join(ProjectRoot, "policies");

/** policies/loader/build.js, as seen from TypeScript. */
export interface PackBuild {
    /** bin/.sources.sha, relative to the pack directory. */
    readonly StampFile: string;
    sourceFiles(dir: string): string[];
    sourcesHash(dir: string): string;
    readStamp(dir: string): string | undefined;
    transpile(dir: string): void;
    ensureCurrent(dir: string): "current" | "transpiled";
}

/** What a copy's bin/ holds: nothing (a fresh clone), or a build of other sources whose index.js throws. */
export type CopyBin = "none" | "stale";

/** The message of the stale build's index.js: seeing it means a stale build ran. */
export const StaleBuildMessage = "the stale build of the policy pack ran";

export class PackCopy {
    /** The copy's directory: pass it to `--policy-pack`. */
    readonly dir: string;
    /** The copy's own loader/build.js. */
    readonly build: PackBuild;

    constructor(bin: CopyBin = "none") {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "elasticell-pack-copy-"));
        fs.cpSync(PackDir, this.dir, {
            recursive: true,
            filter: (src) => {
                const rel = path.relative(PackDir, src);
                return rel !== "node_modules" && rel !== "bin" && !rel.startsWith(`bin${path.sep}`);
            },
        });
        fs.symlinkSync(path.join(PackDir, "node_modules"), path.join(this.dir, "node_modules"));
        this.build = createRequire(path.join(this.dir, "package.json"))("./loader/build.js") as PackBuild;
        if (bin === "stale") {
            fs.mkdirSync(path.join(this.dir, "bin"));
            fs.writeFileSync(
                path.join(this.dir, "bin", "index.js"),
                `throw new Error(${JSON.stringify(StaleBuildMessage)});\n`,
            );
            fs.writeFileSync(path.join(this.dir, this.build.StampFile), `${"0".repeat(64)}\n`);
        }
    }

    /** Whether bin/ is stamped with the hash of the copy's current sources. */
    isCurrent(): boolean {
        return this.build.readStamp(this.dir) === this.build.sourcesHash(this.dir);
    }

    /** Removes bin/ (back to a fresh clone). */
    removeBin(): void {
        fs.rmSync(path.join(this.dir, "bin"), { recursive: true, force: true });
    }

    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
