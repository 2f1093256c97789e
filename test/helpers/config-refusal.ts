/** The refusal of a raw stack config, for the tests that assert its text. */
import assert from "node:assert/strict";
import { parseStackConfig, StackConfigError } from "../../components/config";

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
