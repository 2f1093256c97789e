/**
 * Turns zod issues into lines a person can act on:
 *   - store.replicas: must be at least 3: ... (got 2)
 *     fix: pulumi config set --path store.replicas 3
 */
import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** A config path in the syntax of `pulumi config set --path`: `pd.tolerations[0].key`, `labels["a.b/c"]`. */
export function configPath(path: readonly PathKey[]): string {
    let out = "";
    for (const key of path) {
        if (typeof key === "number") {
            out += `[${key}]`;
        } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) {
            out += out === "" ? String(key) : `.${String(key)}`;
        } else {
            out += `[${JSON.stringify(String(key))}]`;
        }
    }
    return out;
}

/** Quotes a value for a POSIX shell when it needs it. */
function shellWord(value: string): string {
    return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

function setCommand(path: string, value: string): string {
    return `pulumi config set --path ${shellWord(path)} ${shellWord(value)}`;
}

function rmCommand(path: string): string {
    return `pulumi config rm --path ${shellWord(path)}`;
}

/** The value a person could set to fix an issue, when one can be named. */
function suggestedValue(issue: Issue): string | undefined {
    switch (issue.code) {
        case "too_small":
            return typeof issue.minimum === "number" || typeof issue.minimum === "bigint"
                ? String(issue.inclusive === false ? Number(issue.minimum) + 1 : issue.minimum)
                : undefined;
        case "too_big":
            return typeof issue.maximum === "number" ? String(issue.maximum) : undefined;
        case "invalid_value":
            return issue.values.length > 0 ? String(issue.values[0]) : undefined;
        default:
            return undefined;
    }
}

/** What the problem is, in words, with the expected values for enums. */
function problemText(issue: Issue): string {
    if (issue.code === "invalid_value") {
        return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if (issue.code === "invalid_type") {
        return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
    }
    return issue.message;
}

function seen(issue: Issue, secret: boolean): string {
    if (secret) {
        return " (got a secret value, not shown)";
    }
    // `quiet`: the path already names what is wrong (a map key), or the value is too large to show.
    const quiet = issue.code === "custom" && issue.params?.quiet === true;
    if (quiet || !("input" in issue) || issue.input === undefined) {
        return "";
    }
    const shown = JSON.stringify(issue.input);
    return ` (got ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown})`;
}

/**
 * One two-line block per problem: the path, what is wrong and the value
 * seen; then the command that fixes it.
 */
export function describeIssues(issues: readonly Issue[], secretKeys: ReadonlySet<string>): string[] {
    const blocks: string[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const path = configPath([...issue.path, key]);
                blocks.push(
                    `  - ${path}: unknown key (a typo?); the README's config reference lists the keys\n` +
                        `    fix: ${rmCommand(path)}`,
                );
            }
            continue;
        }
        const path = configPath(issue.path);
        const secret = issue.path.length > 0 && secretKeys.has(String(issue.path[0]));
        const fix = (issue.code === "custom" ? (issue.params?.fix as string | undefined) : undefined) ?? suggestedValue(issue);
        const command =
            fix === "rm" ? rmCommand(path) : setCommand(path, fix === undefined || secret ? "<valid value>" : fix);
        blocks.push(`  - ${path || "(root)"}: ${problemText(issue)}${seen(issue, secret)}\n    fix: ${command}`);
    }
    return blocks;
}
