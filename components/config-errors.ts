/**
 * Turns zod issues into lines a person can act on, phrased for who reads them.
 * A stack's operator (`config`):
 *   - store.replicas: must be at least 3: ... (got 2)
 *     fix: pulumi config set --path store.replicas 3
 * A program author calling `new CellCluster(name, args)` (`args`):
 *   - args.store.replicas: must be at least 3: ... (got 2)
 *     fix: set args.store.replicas to 3
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

/**
 * Who reads the problem list: `config` names `pulumi config set --path`
 * commands (the stack program); `args` names the `CellCluster` arguments
 * (`args.store.replicas`, and `name` for the constructor's first argument).
 */
export type IssueAudience = "config" | "args";

/** A path in `CellCluster`'s arguments: `args.store.replicas`, `args.labels["a.b/c"]`; the cluster name is `name`. */
export function argsPath(path: readonly PathKey[]): string {
    if (path.length === 1 && path[0] === "name") {
        return "name";
    }
    const rest = configPath(path);
    return rest === "" ? "args" : rest.startsWith("[") ? `args${rest}` : `args.${rest}`;
}

/** A fix value as TypeScript source: numbers and booleans bare, anything else a string literal. */
function literal(value: string): string {
    return /^-?\d+(\.\d+)?$/.test(value) || value === "true" || value === "false" ? value : JSON.stringify(value);
}

/** How each audience names a path, a value to set and a key to remove. */
const Phrasing: Record<
    IssueAudience,
    {
        path(p: readonly PathKey[]): string;
        set(path: string, value: string | undefined): string;
        rm(path: string): string;
        keys: string;
    }
> = {
    config: {
        path: configPath,
        set: (path, value) => setCommand(path, value ?? "<valid value>"),
        rm: rmCommand,
        keys: "docs/configuration.md lists the keys",
    },
    args: {
        path: argsPath,
        set: (path, value) => `set ${path} to ${value === undefined ? "a valid value" : literal(value)}`,
        rm: (path) => `remove ${path}`,
        keys: "CellClusterArgs lists the keys",
    },
};

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
 * seen; then how to fix it, phrased for `audience` (default: the stack's
 * `pulumi config` commands).
 */
export function describeIssues(
    issues: readonly Issue[],
    secretKeys: ReadonlySet<string>,
    audience: IssueAudience = "config",
): string[] {
    const say = Phrasing[audience];
    const blocks: string[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const path = say.path([...issue.path, key]);
                blocks.push(`  - ${path}: unknown key (a typo?); ${say.keys}\n    fix: ${say.rm(path)}`);
            }
            continue;
        }
        const path = say.path(issue.path);
        const secret = issue.path.length > 0 && secretKeys.has(String(issue.path[0]));
        const fix =
            (issue.code === "custom" ? (issue.params?.fix as string | undefined) : undefined) ?? suggestedValue(issue);
        const action = fix === "rm" ? say.rm(path) : say.set(path, secret ? undefined : fix);
        blocks.push(`  - ${path || "(root)"}: ${problemText(issue)}${seen(issue, secret)}\n    fix: ${action}`);
    }
    return blocks;
}
