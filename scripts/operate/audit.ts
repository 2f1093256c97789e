/**
 * `npm run audit [-- <stack>] [--json]`: checks the deployed stack against the policy pack
 * without running the program or changing anything. It wraps `pulumi policy analyze --stack <s>
 * --policy-pack policies`, which hands each resource's last applied inputs from the stack's state
 * to the pack (stack policies get the outputs); the pack reads the live cluster itself, so drift
 * such as `kubectl scale` of the stores shows as `store: 4 -> 3 (deployed -> requested)`.
 * Exit 0 when no mandatory policy is violated (advisory findings are listed), 1 for each
 * mandatory violation listed, 2 when the analysis could not run.
 */
import * as path from "node:path";
import partition from "lodash/partition";
import { parseAnalyzeOutput, violationLine } from "./audit-report";
import { runMain } from "./run-main";
import { parseCli, runPulumi } from "./stack";

async function main(): Promise<number> {
    const opts = parseCli(process.argv.slice(2), "npm run audit [-- <stack>] [--json] [--cwd <project dir>]");
    const pack = path.join(opts.projectDir, "policies");
    const r = await runPulumi(
        ["policy", "analyze", "--json", "--stack", opts.stack, "--policy-pack", pack],
        opts.projectDir,
    );
    const violations = parseAnalyzeOutput(r.stdout);
    const [mandatory, advisory] = partition(violations, (v) => v.level === "mandatory");
    if (r.code !== 0 && mandatory.length === 0) {
        process.stderr.write(
            `audit: pulumi policy analyze failed (exit ${r.code}) without a policy violation:\n${r.stderr.trim() || r.stdout.trim()}\n`,
        );
        return 2;
    }
    if (opts.json) {
        process.stdout.write(
            `${JSON.stringify({ stack: opts.stack, clean: mandatory.length === 0, violations }, null, 2)}\n`,
        );
        return mandatory.length === 0 ? 0 : 1;
    }
    const lines = [
        `audit of stack ${opts.stack} against policies/ (pulumi policy analyze: state inputs vs the live cluster)`,
    ];
    if (mandatory.length > 0) {
        lines.push(`${mandatory.length} mandatory violation(s):`, ...mandatory.map((v) => `  ${violationLine(v)}`));
    }
    if (advisory.length > 0) {
        lines.push(`${advisory.length} advisory finding(s):`, ...advisory.map((v) => `  ${violationLine(v)}`));
    }
    lines.push(
        mandatory.length === 0
            ? "CLEAN: no mandatory violation"
            : "DRIFT OR VIOLATION: see above; the full messages: --json, or pulumi policy analyze",
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    return mandatory.length === 0 ? 0 : 1;
}

void runMain("audit", main);
