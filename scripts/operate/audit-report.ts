/**
 * Reads what `pulumi policy analyze --json` reports (one JSON event per line; a policy event is
 * `{policyEvent: {resourceUrn, message, policyName, enforcementLevel}}`) into violations, and
 * writes them as `tier: deployed -> requested` lines. Pure, for tests. The pack's messages start
 * their second line with `elasticell cluster "<c>", tier <t>, <Kind> <ns>/<name>: ...` and give a
 * transition as `<deployed> -> <requested> (deployed -> requested)`.
 */

/** One policy violation. */
export interface Violation {
    readonly rule: string;
    readonly level: "mandatory" | "advisory" | "remediate" | "disabled";
    /** The resource's name (last URN segment), or "stack" for a stack policy. */
    readonly resource: string;
    readonly tier?: string;
    /** The object the message names, e.g. `StatefulSet ns/name`. */
    readonly object?: string;
    readonly deployed?: string;
    readonly requested?: string;
    /** The first statement of the message after the object, e.g. `Store replicas would go down`. */
    readonly summary: string;
    readonly message: string;
}

const Subject = /^elasticell cluster "[^"]*", tier (\w+), (\S+ \S+): (.*)$/m;
const Transition = /(\S+) -> (\S+)/;
const TransitionText = /\s*\S+ -> \S+(?: \(deployed -> requested[^)]*\))?/;

/** The violation of one policy event; undefined for other events. */
export function violationOf(event: unknown): Violation | undefined {
    const p = (event as { policyEvent?: Record<string, unknown> } | null)?.policyEvent;
    if (p === undefined || typeof p["message"] !== "string" || typeof p["policyName"] !== "string") {
        return undefined;
    }
    const message = p["message"];
    const urn = typeof p["resourceUrn"] === "string" ? p["resourceUrn"] : "";
    const level = (
        typeof p["enforcementLevel"] === "string" ? p["enforcementLevel"] : "advisory"
    ) as Violation["level"];
    const m = Subject.exec(message);
    const rest = m?.[3] ?? message.split("\n").find((l) => l.trim() !== "") ?? "";
    // The first statement; a transition in it may carry its own "; note" inside the parentheses.
    const end = rest.search(/; |\.\s|\.$/);
    const found = Transition.exec(rest);
    const t = found !== null && (end === -1 || found.index < end) ? found : null;
    const bare = t === null ? rest : rest.replace(TransitionText, "");
    const summary = (bare.split(/; |\.\s|\.$/)[0] ?? bare).replace(/[\s:,]+$/, "").trim();
    return {
        rule: p["policyName"],
        level,
        resource: urn === "" ? "stack" : urn.slice(urn.lastIndexOf("::") + 2),
        ...(m === null ? {} : { tier: m[1], object: m[2] }),
        ...(t === null ? {} : { deployed: t[1], requested: t[2] }),
        summary: summary === "" ? rest.slice(0, 160) : summary,
        message,
    };
}

/** Every violation in the `--json` output (lines that are not JSON are skipped). */
export function parseAnalyzeOutput(stdout: string): Violation[] {
    return stdout.split("\n").flatMap((line) => {
        if (!line.trim().startsWith("{")) {
            return [];
        }
        try {
            const v = violationOf(JSON.parse(line));
            return v === undefined ? [] : [v];
        } catch {
            return [];
        }
    });
}

/** `store: 4 -> 3 (deployed -> requested), elasticell-store-no-scale-in, StatefulSet ns/x: <summary>`. */
export function violationLine(v: Violation): string {
    const where = v.tier ?? v.resource;
    const change = v.deployed === undefined ? "" : ` ${v.deployed} -> ${v.requested ?? "?"} (deployed -> requested)`;
    return `${where}:${change} [${v.rule}]${v.object === undefined ? "" : ` ${v.object}`}: ${v.summary}`;
}
