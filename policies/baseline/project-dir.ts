/**
 * The Pulumi project directory, against which the provider resolves relative
 * paths (`renderYamlToDirectory`, `kubeconfig`); this pack runs in its own
 * directory, so it has to find the project itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The directory relative provider paths are resolved against: the Pulumi project
 * (nearest Pulumi.yaml above the pack's working directory, then above $PWD), else the working
 * directory. The provider resolves them against the program's directory.
 */
export function findProjectDir(starts: readonly (string | undefined)[] = [process.cwd(), process.env["PWD"]]): string {
    for (const start of starts) {
        if (start === undefined || start === "") {
            continue;
        }
        let dir = path.resolve(start);
        for (;;) {
            if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) {
                return dir;
            }
            const parent = path.dirname(dir);
            if (parent === dir) {
                break;
            }
            dir = parent;
        }
    }
    return process.cwd();
}
