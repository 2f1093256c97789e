/** The entry of an operate script (`status.ts`, `audit.ts`): its exit code, and one line on failure. */

/**
 * Runs `main`: the number it resolves with is the exit code; a rejection prints
 * `<name>: <message>` on stderr (no stack trace) and exits 2 (the script could not run).
 */
export function runMain(name: string, main: () => Promise<number>): Promise<void> {
    return main().then(
        (code) => {
            process.exitCode = code;
        },
        (err: Error) => {
            process.stderr.write(`${name}: ${err.message}\n`);
            process.exitCode = 2;
        },
    );
}
