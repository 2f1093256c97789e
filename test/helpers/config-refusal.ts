/** The refusal of a raw stack config, for the tests that assert its text and its fixes. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { parseStackConfig, StackConfigError } from "../../components/config";
import { applyConfigFix, fixCommands } from "./config-fixes";

/** The `StackConfigError` that `parseStackConfig(raw)` throws; fails the test when `raw` is accepted. */
export function refusal(raw: unknown): StackConfigError {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof StackConfigError, `expected StackConfigError, got ${String(err)}`);
        return err;
    }
    assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

/** The whole error text of a refused config. */
export function problems(raw: unknown): string {
    return refusal(raw).message;
}

/** One refused config: what it is, the raw config, and fragments the error text must contain. */
export type RefusalRow = readonly [what: string, raw: unknown, fragments: readonly string[]];

/**
 * Registers, per row, a test that the error text holds every fragment and one that the printed
 * fixes, applied as `pulumi config` would, give a valid config in one round; and a test that only
 * the rows `withoutFix` (wrong types: there is no value to guess) print no concrete fix.
 */
export function refusalTests(rows: readonly RefusalRow[], withoutFix: readonly string[]): void {
    for (const [what, raw, expected] of rows) {
        it(what, () => {
            const text = problems(raw);
            for (const fragment of expected) {
                assert.ok(text.includes(fragment), `missing ${JSON.stringify(fragment)} in:\n${text}`);
            }
        });
    }
    const noValueToOffer = new Set<string>();
    for (const [what, raw] of rows) {
        const text = problems(raw);
        if (text.includes("<valid value>")) {
            noValueToOffer.add(what);
            continue;
        }
        it(`${what}: applying the printed fixes makes the config valid`, () => {
            const fixed = fixCommands(text).reduce((cfg, args) => applyConfigFix(cfg, args), raw);
            assert.doesNotThrow(() => parseStackConfig(fixed), `after ${JSON.stringify(fixCommands(text))}`);
        });
    }
    it("only wrong-type values lack a concrete fix (there is no value to guess)", () => {
        assert.deepEqual([...noValueToOffer].sort(), [...withoutFix].sort());
    });
}
