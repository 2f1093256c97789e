/**
 * Reads the `fix:` lines of a config error and applies them to a raw config
 * object as `pulumi config set/rm --path` would, so tests can check that the
 * printed fixes really make the config valid.
 */

/** The words of a command line as a POSIX shell reads them (plain words and '...' quoting, as config-errors.ts writes them). */
export function shellWords(line: string): string[] {
    return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
        m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? ""),
    );
}

/** The `pulumi config ...` arguments of every `fix:` line of an error text (without `pulumi`). */
export function fixCommands(text: string): string[][] {
    return [...text.matchAll(/fix: pulumi (config .*)$/gm)].map((m) => shellWords(m[1] ?? ""));
}

/** Splits a `--path` argument (`a.b[0]["x.y/z"]`) into keys. */
export function parseConfigPath(path: string): (string | number)[] {
    const keys: (string | number)[] = [];
    let rest = path;
    while (rest !== "") {
        const m = /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/.exec(rest);
        if (m === null) {
            throw new Error(`cannot parse config path ${JSON.stringify(path)} at ${JSON.stringify(rest)}`);
        }
        keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3] ?? '""') as string)));
        rest = rest.slice(m[0].length);
    }
    return keys;
}

/** A deep copy of `raw` with `pulumi config set --path P V` / `pulumi config rm --path P` applied (values as strings). */
export function applyConfigFix(raw: unknown, args: readonly string[]): unknown {
    const [config, verb, flag, path, value] = args;
    if (config !== "config" || flag !== "--path" || path === undefined || (verb !== "set" && verb !== "rm")) {
        throw new Error(`not a config fix: ${args.join(" ")}`);
    }
    const copy = structuredClone(raw) as Record<string | number, unknown>;
    const keys = parseConfigPath(path);
    let node: Record<string | number, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string | number, unknown>;
    }
    const last = keys[keys.length - 1];
    if (verb === "rm") {
        delete node[last];
    } else {
        node[last] = value ?? "";
    }
    return copy;
}
