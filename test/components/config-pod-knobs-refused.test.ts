/** The pod knobs' refusals (components/config-pod-knobs.ts): each bad value named by its path, with why. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusal } from "../helpers/config-refusal";

/** The problem lines of a config that must fail (the test fails if it parses). */
const problems = (raw: unknown): string[] => refusal(raw).problems;

/** Values that must fail: [what, raw config, config path, words the problem must say]. */
const bad: [string, Record<string, unknown>, string, RegExp][] = [
    [
        "pull Secret not a DNS subdomain",
        { pd: { imagePullSecrets: ["Reg_Cred"] } },
        "pd.imagePullSecrets[0]",
        /not a valid Secret name.*\n.*set --path 'pd.imagePullSecrets\[0\]' reg-cred/,
    ],
    ["pull Secret twice", { store: { imagePullSecrets: ["a", "a"] } }, "store.imagePullSecrets[1]", /listed twice/],
    ["pull Secrets not a list", { pd: { imagePullSecrets: "regcred" } }, "pd.imagePullSecrets", /must be a array/],
    [
        "pod label key invalid",
        { proxy: { podLabels: { "bad key": "x" } } },
        'proxy.podLabels["bad key"]',
        /not a valid label key/,
    ],
    [
        "pod label value invalid",
        { proxy: { podLabels: { tier: "-x-" } } },
        "proxy.podLabels.tier",
        /not a valid label value/,
    ],
    [
        "pod label the program sets",
        { pd: { podLabels: { "app.kubernetes.io/component": "x" } } },
        "pd.podLabels",
        /set by the program/,
    ],
    [
        "pod annotation pulumi.com/",
        { store: { podAnnotations: { "pulumi.com/skipAwait": "true" } } },
        "store.podAnnotations",
        /pulumi\.com\/ annotations/,
    ],
    [
        "pod annotation elasticell.io/",
        { store: { podAnnotations: { "elasticell.io/allow-delete": "true" } } },
        "store.podAnnotations",
        /belong to the program/,
    ],
    [
        "pod annotation runmode",
        { store: { podAnnotations: { runmode: "debug" } } },
        "store.podAnnotations.runmode",
        /debug run mode.*kubectl annotate pod/,
    ],
    [
        "pod annotation key invalid",
        { pd: { podAnnotations: { "a/b/c": "x" } } },
        "pd.podAnnotations",
        /not a valid annotation key/,
    ],
    [
        "PriorityClass invalid",
        { pd: { priorityClassName: "High Priority" } },
        "pd.priorityClassName",
        /not a valid PriorityClass name/,
    ],
    [
        "ServiceAccount invalid",
        { proxy: { serviceAccountName: "SA!" } },
        "proxy.serviceAccountName",
        /not a valid ServiceAccount name/,
    ],
    [
        "store ServiceAccount with nodeApi",
        { store: { serviceAccountName: "cells", topology: { source: "nodeApi" } } },
        "store.serviceAccountName",
        /nodeApi.*get nodes/,
    ],
    [
        "env name not a C identifier",
        { pd: { env: [{ name: "MY-VAR", value: "1" }] } },
        "pd.env[0].name",
        /C identifier.*\n.*MY_VAR/,
    ],
    ["env name starts with a digit", { pd: { env: [{ name: "1X", value: "1" }] } }, "pd.env[0].name", /C identifier/],
    [
        "env name the program sets",
        { store: { env: [{ name: "PD_URL", value: "http://x" }] } },
        "store.env[0].name",
        /set or read by the program/,
    ],
    [
        "env name a script reads",
        { pd: { env: [{ name: "PODINFO_DIR", value: "/tmp" }] } },
        "pd.env[0].name",
        /set or read by the program/,
    ],
    [
        "env name twice",
        {
            proxy: {
                env: [
                    { name: "A", value: "1" },
                    { name: "A", value: "2" },
                ],
            },
        },
        "proxy.env[1].name",
        /listed twice/,
    ],
    [
        "env entry with valueFrom (plain values only)",
        { proxy: { env: [{ name: "A", valueFrom: {} }] } },
        "proxy.env[0].valueFrom",
        /unknown key/,
    ],
    ["extra arg not a flag", { pd: { extraArgs: ["/tmp/x"] } }, "pd.extraArgs[0]", /--flag=value form/],
    [
        "extra arg flag and value as one spaced word",
        { pd: { extraArgs: ["--log-file /x"] } },
        "pd.extraArgs[0]",
        /--flag=value form/,
    ],
    ["extra arg end of flags", { store: { extraArgs: ["--"] } }, "store.extraArgs[0]", /--flag=value form/],
    [
        "extra arg PD member list",
        { pd: { extraArgs: ["--initial-cluster=a=http://x:2380"] } },
        "pd.extraArgs[0]",
        /sets --initial-cluster, which the program sets/,
    ],
    ["extra arg store's PD list", { store: { extraArgs: ["-pd=x:20800"] } }, "store.extraArgs[0]", /sets --pd/],
    [
        "extra arg proxy config file",
        { proxy: { extraArgs: ["--cfg=/tmp/c.json"] } },
        "proxy.extraArgs[0]",
        /sets --cfg/,
    ],
    ["extra arg log level", { proxy: { extraArgs: ["--log-level=debug"] } }, "proxy.extraArgs[0]", /use logLevel/],
    ["log level unknown", { store: { logLevel: "verbose" } }, "store.logLevel", /must be one of "info", "debug"/],
    ["log level upper case", { pd: { logLevel: "DEBUG" } }, "pd.logLevel", /must be one of/],
    ["command list empty", { proxy: { supportedCommands: [] } }, "proxy.supportedCommands", /at least one command/],
    [
        "command not the operator's",
        { proxy: { supportedCommands: ["get", "flushall"] } },
        "proxy.supportedCommands[1]",
        /not one of the operator's 64/,
    ],
    [
        "command twice, other case",
        { proxy: { supportedCommands: ["get", "GET"] } },
        "proxy.supportedCommands[1]",
        /listed twice/,
    ],
    ["command list on the PD tier", { pd: { supportedCommands: ["get"] } }, "pd", /supportedCommands/],
    ["PD Service type unknown", { pd: { service: { type: "ExternalName" } } }, "pd.service.type", /must be one of/],
    ["PD Service with annotations", { pd: { service: { annotations: {} } } }, "pd.service", /annotations/],
    [
        "pod annotations over 256 KiB with the common ones",
        {
            annotations: { "a.example.com/big": "x".repeat(200_000) },
            store: { podAnnotations: { "b.example.com/big": "y".repeat(62_000) } },
        },
        "store.podAnnotations",
        /add up to \d+ bytes on each store pod.*256 KiB/,
    ],
];

describe("pod knobs: bad values are refused with the path and why", () => {
    for (const [what, raw, path, words] of bad) {
        it(what, () => {
            const found = problems(raw).find((p) => p.includes(`- ${path}`));
            assert.ok(found !== undefined, `no problem at ${path}: ${problems(raw).join("\n")}`);
            assert.match(found, words);
        });
    }

    it("lists every knob's problem in one run", () => {
        const list = problems({
            pd: { imagePullSecrets: ["X"], logLevel: "loud", env: [{ name: "TZ", value: "x" }] },
            proxy: { extraArgs: ["x"], supportedCommands: [] },
        });
        assert.equal(list.length, 5, list.join("\n"));
    });
});
