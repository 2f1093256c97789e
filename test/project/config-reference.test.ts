/**
 * docs/configuration.md's key table matches the zod schema (`components/config.ts`): every key the
 * schema accepts is documented, every documented key exists, and a plain default stated in the
 * table is the default the schema applies.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { get } from "lodash";
import { z } from "zod";
import { parseStackConfig, StackConfigSchema } from "../../components/config";
import { ProjectRoot } from "../helpers/stacks";

const Tiers = ["pd", "store", "proxy"] as const;

/** The leaf keys of a schema, as dotted paths (arrays, records and enums are leaves). */
function leafKeys(schema: z.core.SomeType, prefix: string): string[] {
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
        return leafKeys(schema.unwrap(), prefix);
    }
    if (schema instanceof z.ZodPipe) {
        return leafKeys(schema.out, prefix);
    }
    if (schema instanceof z.ZodObject) {
        return Object.entries(schema.shape as Record<string, z.core.SomeType>).flatMap(([key, inner]) =>
            leafKeys(inner, prefix === "" ? key : `${prefix}.${key}`),
        );
    }
    return [prefix];
}

/** One row of the table: the keys it documents (`<tier>` expanded) and its default cell. */
interface Row {
    readonly keys: string[];
    readonly fallback: string;
}

/**
 * The rows of the `## Keys` table. A cell such as `` `a.b.x`, `.y` `` documents `a.b.x` and
 * `a.b.y` (a name starting with `.` is a sibling of the one before it).
 */
function documentedRows(): Row[] {
    const text = readFileSync(join(ProjectRoot, "docs", "configuration.md"), "utf8");
    const section = text.split(/^## /m).find((s) => s.startsWith("Keys\n"));
    assert.ok(section !== undefined, "docs/configuration.md has a ## Keys section");
    const rows = section.split("\n").filter((line) => line.startsWith("| `"));
    return rows.map((line) => {
        const [keyCell = "", fallback = ""] = line.split(" | ").map((c) => c.replace(/^\| /, "").trim());
        const names: string[] = [];
        for (const [, name = ""] of keyCell.matchAll(/`([^`]+)`/g)) {
            const previous = names[names.length - 1];
            names.push(
                name.startsWith(".") && previous !== undefined
                    ? previous.slice(0, previous.lastIndexOf(".")) + name
                    : name,
            );
        }
        const keys = names.flatMap((n) => (n.startsWith("<tier>.") ? Tiers.map((t) => n.replace("<tier>", t)) : [n]));
        return { keys, fallback };
    });
}

const leaves = leafKeys(StackConfigSchema, "");
const rows = documentedRows();
const documented = rows.flatMap((r) => r.keys);
const covers = (doc: string, leaf: string) => leaf === doc || leaf.startsWith(`${doc}.`);

describe("docs/configuration.md against the schema", () => {
    it("reads a table of the expected size (the parser found the rows)", () => {
        assert.ok(rows.length >= 40, `${rows.length} rows`);
        assert.ok(leaves.length >= 100, `${leaves.length} schema keys`);
    });

    it("documents every key the schema accepts", () => {
        const missing = leaves.filter((leaf) => !documented.some((doc) => covers(doc, leaf)));
        assert.deepEqual(missing, [], "schema keys with no row in docs/configuration.md");
    });

    it("documents no key the schema refuses (a <tier> key exists on every tier)", () => {
        const unknown = documented.filter((doc) => !leaves.some((leaf) => covers(doc, leaf)));
        assert.deepEqual(unknown, [], "documented keys the schema does not have");
    });

    it("states the defaults the schema applies, where the table gives one plain value", () => {
        const defaults = parseStackConfig({});
        let compared = 0;
        for (const { keys, fallback } of rows) {
            const plain = /^`([^`]*)`$/.exec(fallback)?.[1];
            if (plain === undefined) {
                continue;
            }
            for (const key of keys) {
                const value: unknown = get(defaults, key);
                const shown = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
                if (typeof value === "object" && value !== null && shown !== "[]" && shown !== "{}") {
                    continue; // a structured default is described in words, not compared
                }
                assert.equal(plain, shown, `default of ${key}`);
                compared++;
            }
        }
        assert.ok(compared >= 30, `${compared} defaults compared`);
    });
});
