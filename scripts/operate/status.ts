/**
 * `npm run status [-- <stack>] [--json]`: per tier the replicas the stack asks for, the live
 * replicas, Ready pods, image and volumes; PD's members, stores (state, leader counts) and
 * `replicasNotFullCellCount`. Reads the stack's outputs and config, never runs the program.
 * Exit 0 when healthy, 1 when not (the reasons are listed), 2 when the stack cannot be read.
 */
import { problems, type StatusJson } from "./status-model";
import { formatStatus } from "./status-format";
import { readStatus } from "./status-read";
import { runMain } from "./run-main";
import { parseCli, readStack } from "./stack";

async function main(): Promise<number> {
    const opts = parseCli(process.argv.slice(2), "npm run status [-- <stack>] [--json] [--cwd <project dir>]");
    const info = await readStack(opts.stack, opts.projectDir);
    const report = await readStatus(info);
    const found = problems(report);
    if (opts.json) {
        const json: StatusJson = { ...report, healthy: found.length === 0, problems: found };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
        process.stdout.write(`${formatStatus(report)}\n`);
    }
    return found.length === 0 ? 0 : 1;
}

void runMain("status", main);
