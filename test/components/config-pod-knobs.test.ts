import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../components/config";
import { LogLevels } from "../../components/config-pod-knobs";
import { SupportedCommands } from "../../components/proxy";

describe("pod knobs: defaults", () => {
    it("every tier starts with no knob set (and the proxy with the operator's 64 commands)", () => {
        const cfg = parseStackConfig({});
        for (const tier of ["pd", "store", "proxy"] as const) {
            const t = cfg[tier];
            assert.deepEqual(
                {
                    imagePullSecrets: t.imagePullSecrets,
                    podLabels: t.podLabels,
                    podAnnotations: t.podAnnotations,
                    priorityClassName: t.priorityClassName,
                    serviceAccountName: t.serviceAccountName,
                    env: t.env,
                    extraArgs: t.extraArgs,
                    logLevel: t.logLevel,
                },
                {
                    imagePullSecrets: [],
                    podLabels: {},
                    podAnnotations: {},
                    priorityClassName: undefined,
                    serviceAccountName: undefined,
                    env: [],
                    extraArgs: [],
                    logLevel: undefined,
                },
                tier,
            );
        }
        assert.equal(cfg.proxy.supportedCommands.length, 64);
        assert.deepEqual(cfg.proxy.supportedCommands, [...SupportedCommands]);
        assert.equal(cfg.pd.service.type, "ClusterIP");
    });
});

/** Values that must parse: [what, raw config, a check on the parsed config]. */
const good: [string, Record<string, unknown>, (cfg: ReturnType<typeof parseStackConfig>) => unknown, unknown][] = [
    [
        "pull Secrets",
        { pd: { imagePullSecrets: ["regcred", "mirror.example.com"] } },
        (c) => c.pd.imagePullSecrets,
        ["regcred", "mirror.example.com"],
    ],
    [
        "pod labels",
        { store: { podLabels: { "team.example.com/owner": "db", tier: "gold" } } },
        (c) => c.store.podLabels,
        { "team.example.com/owner": "db", tier: "gold" },
    ],
    [
        "pod annotations",
        { proxy: { podAnnotations: { "prometheus.io/scrape": "true" } } },
        (c) => c.proxy.podAnnotations,
        { "prometheus.io/scrape": "true" },
    ],
    [
        "PriorityClass",
        { pd: { priorityClassName: "system-cluster-critical" } },
        (c) => c.pd.priorityClassName,
        "system-cluster-critical",
    ],
    [
        "ServiceAccount",
        { proxy: { serviceAccountName: "redis-proxy" } },
        (c) => c.proxy.serviceAccountName,
        "redis-proxy",
    ],
    [
        "store ServiceAccount with podLabels topology",
        { store: { serviceAccountName: "cells", topology: { source: "podLabels" } } },
        (c) => c.store.serviceAccountName,
        "cells",
    ],
    [
        "env",
        {
            store: {
                env: [
                    { name: "GOGC", value: "200" },
                    { name: "_debug_x1", value: "a b 'c'" },
                ],
            },
        },
        (c) => c.store.env.map((e) => e.name),
        ["GOGC", "_debug_x1"],
    ],
    [
        "extra flags",
        {
            pd: {
                extraArgs: [
                    "--log-file=/var/lib/pd/pd.log",
                    "-log-rotate-by=hour",
                    '--label=it\'s "quoted" and spaced',
                    "--verbose",
                ],
            },
        },
        (c) => c.pd.extraArgs.length,
        4,
    ],
    [
        "proxy flag that is not the program's",
        { proxy: { extraArgs: ["--log-file=/var/lib/proxy/p.log"] } },
        (c) => c.proxy.extraArgs,
        ["--log-file=/var/lib/proxy/p.log"],
    ],
    ...LogLevels.map(
        (level): [string, Record<string, unknown>, (c: ReturnType<typeof parseStackConfig>) => unknown, unknown] => [
            `log level ${level}`,
            { store: { logLevel: level } },
            (c) => c.store.logLevel,
            level,
        ],
    ),
    [
        "a narrower command list, any case",
        { proxy: { supportedCommands: ["ping", "GET", "set", "strlen"] } },
        (c) => c.proxy.supportedCommands,
        ["ping", "GET", "set", "strlen"],
    ],
    [
        "PD Service LoadBalancer",
        { pd: { service: { type: "LoadBalancer" } } },
        (c) => c.pd.service.type,
        "LoadBalancer",
    ],
    ["PD Service NodePort", { pd: { service: { type: "NodePort" } } }, (c) => c.pd.service.type, "NodePort"],
    [
        "pod annotations within 256 KiB with the common ones",
        {
            annotations: { "a.example.com/big": "x".repeat(200_000) },
            proxy: { podAnnotations: { "b.example.com/big": "y".repeat(50_000) } },
        },
        (c) => c.proxy.podAnnotations["b.example.com/big"]?.length,
        50_000,
    ],
];

describe("pod knobs: good values", () => {
    for (const [what, raw, pick, expected] of good) {
        it(what, () => assert.deepEqual(pick(parseStackConfig(raw)), expected));
    }
});
