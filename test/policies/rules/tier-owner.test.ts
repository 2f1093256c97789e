import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBaseline } from "../baseline/memory";
import type { RunContext } from "../../../policies/core/engine-context";
import { makeTierOwner } from "../../../policies/rules/tier-owner";
import { unknownValues } from "../../../policies/core/sdk";
import { StatefulSet } from "../../../policies/core/statefulset";
import { validateResource, type PolicyConfig } from "../../helpers/policy";
import { deployed, edited, memoryDeps, statefulSet, validOverride } from "../fixtures";

const engine: RunContext = { project: "elasticell", stack: "dev", dryRun: true, source: "the engine (ConfigureStack)" };
const silent: RunContext = { dryRun: true };

function ownedBy(owner: string | undefined, tier: "pd" | "store" = "store"): MemoryBaseline {
    const sts = deployed(tier, 3);
    return new MemoryBaseline([
        { ...sts, annotations: owner === undefined ? {} : { "elasticell.io/pulumi-stack": owner } },
    ]);
}

async function run(
    baseline: MemoryBaseline,
    opts: { props?: object; context?: RunContext; config?: PolicyConfig } = {},
) {
    const deps = memoryDeps(baseline, opts.context ?? engine);
    const props = opts.props ?? statefulSet("store", 3);
    return validateResource(makeTierOwner(deps), { resourceClass: StatefulSet, props, config: opts.config ?? {} });
}

/** The plan's own annotation replaced (or removed). */
function planAnnotated(owner: string | undefined): object {
    return edited(statefulSet("store", 3), (m) => {
        if (owner === undefined) delete m["metadata"].annotations;
        else (m.metadata.annotations ??= {})["elasticell.io/pulumi-stack"] = owner;
    });
}

describe("elasticell-tier-owner allows", () => {
    const allowed: [string, MemoryBaseline, { props?: object; context?: RunContext; config?: PolicyConfig }][] = [
        ["an object owned by the running stack", ownedBy("elasticell/dev"), {}],
        ["a first deployment (nothing deployed)", new MemoryBaseline([]), {}],
        [
            "a first deployment whatever the plan's annotation",
            new MemoryBaseline([]),
            { props: planAnnotated(undefined), context: silent },
        ],
        ["the owner named by the `stack` config", ownedBy("elasticell/prod"), { config: { stack: "elasticell/prod" } }],
        [
            "the owner named by the plan's annotation when the engine is silent",
            ownedBy("elasticell/dev"),
            { context: silent },
        ],
    ];
    for (const [name, baseline, opts] of allowed) {
        it(name, async () => assert.deepEqual(await run(baseline, opts), []));
    }

    it("the proxy tier, without reading the baseline", async () => {
        const baseline = ownedBy("elasticell/prod");
        assert.deepEqual(await run(baseline, { props: statefulSet("proxy") }), []);
        assert.equal(baseline.reads, 0);
    });
});

describe("elasticell-tier-owner refuses", () => {
    const refused: [
        string,
        MemoryBaseline,
        { props?: object; context?: RunContext; config?: PolicyConfig },
        readonly RegExp[],
    ][] = [
        [
            "a Store owned by another stack",
            ownedBy("elasticell/prod"),
            {},
            [
                /tier store, StatefulSet prod\/demo-store is already deployed in the in-memory baseline and owned by stack elasticell\/prod/,
                /but this is stack elasticell\/dev \(from the engine \(ConfigureStack\)\)/,
                /`pulumi config set name <new-name>`/,
                /`pulumi config set namespace <new-namespace>`/,
                /manage cluster "demo" from its owning stack elasticell\/prod/,
            ],
        ],
        [
            "a PD owned by another project's stack",
            ownedBy("billing/prod", "pd"),
            { props: statefulSet("pd", 3) },
            [/tier pd, StatefulSet prod\/demo-pd .* owned by stack billing\/prod/],
        ],
        [
            "another owner than the plan's own annotation when the engine is silent",
            ownedBy("elasticell/prod"),
            { context: silent },
            [
                /but this is stack elasticell\/dev \(from the elasticell\.io\/pulumi-stack annotation of the planned StatefulSet\)/,
            ],
        ],
        [
            "an object without the annotation (not managed by a stack)",
            ownedBy(undefined),
            {},
            [
                /has no elasticell\.io\/pulumi-stack annotation: it is not managed by a Pulumi stack of this project; adopting it could resize or roll a running tier/,
                /`kubectl -n prod annotate statefulset demo-store elasticell\.io\/pulumi-stack=elasticell\/dev`/,
            ],
        ],
        [
            "an owned object when no source tells the running stack",
            ownedBy("elasticell/dev"),
            { context: silent, props: planAnnotated(undefined) },
            [
                /owned by stack elasticell\/dev, but the pack cannot tell which stack is running/,
                /"elasticell-tier-owner": \{"stack": "<project>\/<stack>"\}/,
            ],
        ],
    ];
    for (const [name, baseline, opts, patterns] of refused) {
        it(name, async () => {
            const violations = await run(baseline, opts);
            assert.equal(violations.length, 1, JSON.stringify(violations));
            assert.equal(violations[0].level, "mandatory");
            assert.match(violations[0].message, /elasticell cluster "demo"/);
            assert.match(violations[0].message, /"elasticell-tier-owner": \{"override"/);
            assert.doesNotMatch(violations[0].message, /undefined|NaN|\[object /);
            for (const p of patterns) {
                assert.match(violations[0].message, p);
            }
        });
    }
});

describe("elasticell-tier-owner reports", () => {
    it("the plan's annotation unknown at preview (engine silent) as advisory", async () => {
        const violations = await run(ownedBy("elasticell/prod"), {
            context: silent,
            props: planAnnotated(unknownValues.unknownStringValue),
        });
        assert.equal(violations.length, 1);
        assert.equal(violations[0].level, "advisory");
        assert.match(
            violations[0].message,
            /cannot check at preview: metadata\.annotations\["elasticell\.io\/pulumi-stack"\]/,
        );
    });

    it("nothing for an unknown plan annotation when the engine tells the stack", async () => {
        assert.deepEqual(
            await run(ownedBy("elasticell/dev"), { props: planAnnotated(unknownValues.unknownStringValue) }),
            [],
        );
    });

    it("an unreadable baseline as mandatory, or advisory with a baselineUnreadable allowance", async () => {
        const baseline = new MemoryBaseline([], "401 Unauthorized");
        assert.equal((await run(baseline))[0].level, "mandatory");
        assert.equal(
            (
                await run(baseline, {
                    config: {
                        baselineUnreadable: {
                            allow: { reason: "INC-7: API server down, deploying the fix", expires: "2025-03-12" },
                        },
                    },
                })
            )[0].level,
            "advisory",
        );
    });

    it("a refusal as advisory under a valid override", async () => {
        const violations = await run(ownedBy("elasticell/prod"), {
            config: { override: validOverride({ tier: "store" }) },
        });
        assert.equal(violations[0].level, "advisory");
    });
});
