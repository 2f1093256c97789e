import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { ProgramEnvNames, ProgramFlags } from "../../../components/config-pod-knobs";
import { pdProfile } from "../../../components/pd";
import { proxyProfile, SupportedCommands } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import { shellQuote } from "../../../components/tier/binary-flags";
import { loadBalancerAddress } from "../../../components/tier/load-balancer";
import type { TierManifests } from "../../../components/tier/spec";
import { tierSelector } from "../../../components/labels";
import { buildFromConfig, podTemplate as template, profiles, proxyJson, startScript } from "../../helpers/tier-build";

type Kind = keyof typeof profiles;
const kinds = Object.keys(profiles) as Kind[];

/** Builds one tier from raw stack config, as `CellCluster` does. */
const build = (kind: Kind, raw: unknown = {}): TierManifests => buildFromConfig(profiles[kind], raw);
const script = startScript;
/** The flag names of the `exec` line of a start script. */
const execFlags = (text: string) =>
    [...text.slice(text.indexOf("exec ")).matchAll(/^\s+--?([A-Za-z0-9][^=\s\\]*)/gm)].map((m) => m[1]);

describe("pod knobs land in the pod template, per tier", () => {
    for (const kind of kinds) {
        it(`${kind}: pull Secrets, PriorityClass, ServiceAccount, pod labels and annotations, env`, () => {
            const m = build(kind, {
                annotations: { "team.example.com/all": "1" },
                [kind]: {
                    imagePullSecrets: ["regcred", "mirror"],
                    priorityClassName: "db-critical",
                    serviceAccountName: "cells",
                    podLabels: { "example.com/pool": "gold" },
                    podAnnotations: { "prometheus.io/scrape": "true" },
                    env: [{ name: "GOGC", value: "200" }],
                },
            });
            const t = template(m);
            assert.deepEqual(t.spec.imagePullSecrets, [{ name: "regcred" }, { name: "mirror" }]);
            assert.equal(t.spec.priorityClassName, "db-critical");
            assert.equal(t.spec.serviceAccountName, "cells");
            assert.equal(t.metadata.labels["example.com/pool"], "gold");
            assert.equal(m.statefulSet.metadata.labels["example.com/pool"], undefined, "pod labels stay on the pods");
            assert.deepEqual(
                m.statefulSet.spec.selector,
                { matchLabels: tierSelector("demo", kind) },
                "never in the selector",
            );
            assert.equal(t.metadata.annotations["prometheus.io/scrape"], "true");
            assert.equal(t.metadata.annotations["team.example.com/all"], "1");
            assert.ok(t.metadata.annotations["elasticell.io/config-hash"], "the program's annotation stays");
            assert.equal(
                m.statefulSet.metadata.annotations["prometheus.io/scrape"],
                undefined,
                "pod annotations stay on the pods",
            );
            const env = t.spec.containers[0].env;
            assert.deepEqual(env.at(-1), { name: "GOGC", value: "200" });
            assert.ok(
                env.some((e: { name: string }) => e.name === "NAMESPACE"),
                "the program's env stays",
            );
        });

        it(`${kind}: nothing set renders none of the knobs`, () => {
            const t = template(build(kind));
            assert.equal(t.spec.imagePullSecrets, undefined);
            assert.equal(t.spec.priorityClassName, undefined);
            assert.equal(t.spec.serviceAccountName, undefined);
        });

        it(`${kind}: logLevel sets --log-level once`, () => {
            const s = script(build(kind, { [kind]: { logLevel: "debug" } }), profiles[kind]);
            assert.equal(s.match(/--log-level=/g)?.length, 1);
            assert.match(s, /--log-level=debug/);
        });

        it(`${kind}: ProgramFlags lists exactly the flags the start script passes`, () => {
            const flags = execFlags(script(build(kind, { [kind]: { logLevel: "warn" } }), profiles[kind]));
            assert.deepEqual([...flags].sort(), [...ProgramFlags[kind]].sort());
        });
    }

    it("unset log level: pd and cell keep their default (no flag), the proxy keeps --log-level=info", () => {
        assert.doesNotMatch(script(build("pd"), pdProfile), /log-level/);
        assert.doesNotMatch(script(build("store"), storeProfile), /log-level/);
        assert.match(script(build("proxy"), proxyProfile), /--log-level=info/);
    });

    it("a log level change rolls the pods (the config hash changes)", () => {
        const hash = (m: TierManifests) => template(m).metadata.annotations["elasticell.io/config-hash"];
        assert.notEqual(hash(build("store")), hash(build("store", { store: { logLevel: "debug" } })));
    });

    it("store with topology nodeApi runs as its own ServiceAccount; with podLabels as the config's", () => {
        assert.equal(
            template(build("store", { store: { topology: { source: "nodeApi" } } })).spec.serviceAccountName,
            "demo-store",
        );
        assert.equal(
            template(build("store", { store: { serviceAccountName: "cells" } })).spec.serviceAccountName,
            "cells",
        );
    });

    it("proxy.supportedCommands is the config's supportCMDs; default the operator's 64", () => {
        const cmds = (m: TierManifests) => proxyJson(m).supportCMDs;
        assert.deepEqual(cmds(build("proxy")), [...SupportedCommands]);
        assert.equal(cmds(build("proxy")).length, 64);
        assert.deepEqual(cmds(build("proxy", { proxy: { supportedCommands: ["ping", "get"] } })), ["ping", "get"]);
    });

    it("pd.service.type sets PD's client Service type", () => {
        assert.equal(build("pd").clientService?.spec.type, "ClusterIP");
        assert.equal(
            build("pd", { pd: { service: { type: "LoadBalancer" } } }).clientService?.spec.type,
            "LoadBalancer",
        );
    });

    it("ProgramEnvNames covers every env var the builder sets and every upper-case variable the scripts read", () => {
        const all = [
            build("pd"),
            build("store"),
            build("store", { store: { topology: { source: "nodeApi" } } }),
            build("proxy"),
        ];
        const reserved = new Set<string>(ProgramEnvNames);
        for (const m of all) {
            const t = template(m);
            for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])]) {
                for (const e of c.env ?? []) {
                    assert.ok(
                        reserved.has(e.name),
                        `${m.statefulSet.metadata.name}: env ${e.name} is not in ProgramEnvNames`,
                    );
                }
            }
            for (const [file, text] of Object.entries(m.configMap.data)) {
                for (const [, name] of text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)) {
                    assert.ok(reserved.has(name), `${file} reads \${${name}}, which is not in ProgramEnvNames`);
                }
            }
        }
    });
});

describe("extra flags are shell-quoted: the binary receives each one unchanged", () => {
    const args = [
        "--plain=value",
        "--spaced=a b  c",
        `--quotes=it's "double" and 'single'`,
        "--shell=$HOME `id` $(id) ; rm -rf / & | > x",
        "--backslash=a\\b\\\\c",
        "--newline=line1\nline2",
        "--glob=*",
        "--empty=",
    ];
    for (const kind of kinds) {
        it(`${kind}: /bin/sh passes them verbatim, after the program's flags`, () => {
            const s = script(build(kind, { [kind]: { extraArgs: args } }), profiles[kind]);
            const exec = s.slice(s.indexOf("exec "));
            // The exec line with the binary swapped for printf: one argument per NUL-terminated record.
            const fragment = exec.replace(/^exec \S+/, `printf '%s\\0'`);
            const env = {
                PATH: process.env.PATH ?? "/usr/bin:/bin",
                HOSTNAME: "demo-x-0",
                POD_IP: "10.0.0.1",
                PD_INITIAL_CLUSTER: "m",
                domain: "d",
                zone: "z",
                rack: "r",
            };
            const out = execFileSync("/bin/sh", ["-euc", `domain=d; zone=z; rack=r\n${fragment}`], {
                env,
                encoding: "utf8",
            });
            const received = out.split("\0").slice(0, -1);
            assert.deepEqual(received.slice(-args.length), args);
            assert.ok(received.length > args.length, "the program's flags come first");
        });
    }

    it("shellQuote leaves plain words bare and single-quotes the rest", () => {
        const rows: [string, string][] = [
            ["--a=b", "--a=b"],
            ["--a=b c", "'--a=b c'"],
            ["it's", `'it'\\''s'`],
            ["", "''"],
        ];
        for (const [word, quoted] of rows) {
            assert.equal(shellQuote(word), quoted, word);
        }
    });
});

describe("loadBalancerAddress", () => {
    const rows: [string, Parameters<typeof loadBalancerAddress>[0], string][] = [
        ["an IP", { loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } } as never, "203.0.113.7"],
        ["a hostname", { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } as never, "lb.example.com"],
        [
            "the first of several",
            { loadBalancer: { ingress: [{ ip: "203.0.113.7" }, { ip: "203.0.113.8" }] } } as never,
            "203.0.113.7",
        ],
        ["no ingress yet (ClusterIP, or pending)", { loadBalancer: {} } as never, ""],
        ["no status (preview)", undefined, ""],
    ];
    for (const [what, status, expected] of rows) {
        it(what, () => assert.equal(loadBalancerAddress(status), expected));
    }
});
