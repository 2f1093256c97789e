/** Reads the example stack files (`Pulumi.<stack>.yaml`) as raw project config. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

export const ProjectRoot = join(__dirname, "..", "..");

/** The `elasticell:*` keys of a stack file, without the namespace. */
export function stackConfig(stack: string): Record<string, unknown> {
    const doc = load(readFileSync(join(ProjectRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
        config?: Record<string, unknown>;
    };
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (key.startsWith("elasticell:")) {
            raw[key.slice("elasticell:".length)] = value;
        }
    }
    return raw;
}

/** The project file. */
export function projectFile(): { config: Record<string, { type: string; default?: unknown; description: string }> } {
    return load(readFileSync(join(ProjectRoot, "Pulumi.yaml"), "utf8")) as ReturnType<typeof projectFile>;
}
