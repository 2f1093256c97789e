/**
 * The config-driven part of a tier binary's command line: `--log-level` and the extra flags of
 * stack config `<tier>.extraArgs`, shell-quoted so that no value can break out of the start
 * script's `exec` line. Pure: the profiles (`pd.ts`, `store.ts`, `proxy.ts`) call these.
 */
import type { ProxyConfig } from "../config";

/**
 * What a profile's start script and config files take from the tier's settings (the schema's
 * fields): `logLevel` (`--log-level`; undefined: the binary's default, info), `extraArgs` (flags
 * appended after the program's own, quoted here; default none) and the proxy's `supportCMDs`
 * (`supportedCommands`; default the operator's 64, `SupportedCommands`).
 */
export type BinaryOptions = Readonly<Partial<Pick<ProxyConfig, "logLevel" | "extraArgs" | "supportedCommands">>>;

/** One word for a POSIX shell: single-quoted unless it is made of characters sh never interprets. */
export function shellQuote(word: string): string {
    return /^[A-Za-z0-9_./:@%+,=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `--log-level=<level>`, or nothing when the level is left to the binary. */
export function logLevelFlags(level: BinaryOptions["logLevel"]): string[] {
    return level === undefined ? [] : [`--log-level=${level}`];
}

/** The extra flags, each one shell word. */
export function extraArgFlags(opts: BinaryOptions | undefined): string[] {
    return (opts?.extraArgs ?? []).map(shellQuote);
}

/** The flags a tier appends to its own: log level first, then the extra flags. */
export function configuredFlags(opts: BinaryOptions | undefined): string[] {
    return [...logLevelFlags(opts?.logLevel), ...extraArgFlags(opts)];
}
