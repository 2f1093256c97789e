/** The terminal text of a status report: a table per tier, then PD and its stores, then the verdict. */
import sortBy from "lodash/sortBy";
import { desiredReplicas, problems, type StatusReport, type TierStatus } from "./status-model";

/** Left-aligned columns, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string[] {
    const widths: number[] = [];
    for (const r of rows) {
        r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    }
    return rows.map((r) =>
        r
            .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

function volumes(t: TierStatus): string {
    if (t.claims.length === 0) {
        return "-";
    }
    const kinds = [
        ...new Set(
            t.claims.map((c) => `${c.size ?? "?"}${c.storageClassName === undefined ? "" : ` ${c.storageClassName}`}`),
        ),
    ];
    return `${t.claims.length} PVC (${kinds.join(", ")})`;
}

function image(t: TierStatus): string {
    const live = [...new Set(t.liveImages)];
    return live.length === 0 || (live.length === 1 && live[0] === t.stackImage)
        ? t.stackImage
        : `${t.stackImage} (live: ${live.join(", ")})`;
}

/** `a-0 Ready, a-1 not Ready; /health: a-0 true, ...`, one reason when every member shares it. */
function members(r: StatusReport): string {
    if (r.members.length === 0) {
        return "none";
    }
    const pods = r.members.map((m) => `${m.pod} ${m.ready ? "Ready" : "not Ready"}`).join(", ");
    const healths = [...new Set(r.members.map((m) => m.health))];
    const health =
        healths.length === 1 ? `${healths[0]} (every member)` : r.members.map((m) => `${m.pod} ${m.health}`).join("; ");
    return `${pods}; /health: ${health}`;
}

/** The report as terminal lines. */
export function formatStatus(r: StatusReport): string {
    const lines = [`elasticell cluster "${r.cluster}" (stack ${r.stack}, namespace ${r.namespace})`, ""];
    if (r.kubernetesError === undefined) {
        lines.push(
            ...table([
                ["TIER", "STATEFULSET", "STACK", "LIVE", "READY", "IMAGE", "VOLUMES"],
                ...r.tiers.map((t) => [
                    t.tier,
                    t.statefulSet,
                    String(t.stackReplicas),
                    t.liveReplicas === undefined ? "missing" : String(t.liveReplicas),
                    `${t.ready}/${desiredReplicas(t)}`,
                    image(t),
                    volumes(t),
                ]),
            ]),
        );
        for (const t of r.tiers) {
            if (t.liveReplicas !== undefined && t.liveReplicas !== t.stackReplicas) {
                lines.push(
                    `  drift: ${t.tier} runs ${t.liveReplicas} replicas, the stack asks for ${t.stackReplicas} (npm run audit -- ${r.stack})`,
                );
            }
            for (const p of t.pods.filter((x) => !x.ready)) {
                lines.push(`  ${p.name}: ${p.state}`);
            }
        }
        lines.push("", `PD members: ${members(r)}`);
    }
    if (r.pd.reachable) {
        const pd = r.pd;
        lines.push(
            `PD API (${pd.source}): ${pd.bootstrapped ? "bootstrapped" : "not bootstrapped"}, ${pd.cellCount ?? "?"} cells, replicasNotFullCellCount ${pd.replicasNotFullCellCount ?? "?"}`,
        );
        // This cluster's stores by ordinal, then other addresses; a re-registered ordinal by PD ID.
        const rows = sortBy(pd.stores, [(s) => s.ordinal ?? Infinity, (s) => s.id]).map((s) => [
            s.ordinal === undefined ? s.address : `${r.cluster}-store-${s.ordinal}`,
            String(s.id),
            s.state,
            s.leaderCount === undefined ? "?" : String(s.leaderCount),
        ]);
        lines.push(...table([["STORE", "PD ID", "STATE", "LEADERS"], ...rows]).map((l) => `  ${l}`));
    } else {
        lines.push(
            `PD not reachable${r.pd.source === "" ? "" : ` (${r.pd.source})`}: ${r.pd.reason}; store states unknown`,
        );
    }
    const found = problems(r);
    lines.push("", found.length === 0 ? "HEALTHY" : `NOT HEALTHY (${found.length}):`, ...found.map((p) => `  - ${p}`));
    return lines.join("\n");
}
