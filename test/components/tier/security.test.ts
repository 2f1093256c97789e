/**
 * Hardened containers by default, every value overridable per tier, and
 * config that could never start refused with the fix.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../../components/config";
import { pdProfile } from "../../../components/pd";
import { proxyProfile } from "../../../components/proxy";
import { storeProfile } from "../../../components/store";
import type { TierProfile } from "../../../components/tier/profile";
import { buildFromConfig, podSpec } from "../../helpers/tier-build";
import { problems } from "../../helpers/config-refusal";

const podOf = (profile: TierProfile, raw: unknown = {}) => podSpec(buildFromConfig(profile, raw));

describe("security context: defaults", () => {
    for (const profile of [pdProfile, storeProfile, proxyProfile]) {
        it(`${profile.kind}: no privilege escalation, every capability dropped, RuntimeDefault seccomp, root allowed`, () => {
            const pod = podOf(profile);
            assert.deepEqual(pod.securityContext, {
                runAsNonRoot: false,
                runAsUser: undefined,
                runAsGroup: undefined,
                fsGroup: undefined,
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.deepEqual(pod.containers[0].securityContext, {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: false,
                capabilities: { drop: ["ALL"] },
            });
        });
    }
});

describe("security context: overrides, per tier", () => {
    const raw = {
        store: {
            securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                runAsGroup: "1000",
                fsGroup: 1000,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
                seccompProfile: { type: "Localhost", localhostProfile: "profiles/cell.json" },
            },
        },
        proxy: { securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: [] } } },
    };

    it("store: a non-root user owning its volume, with a Localhost seccomp profile", () => {
        const pod = podOf(storeProfile, raw);
        assert.deepEqual(pod.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: "Localhost", localhostProfile: "profiles/cell.json" },
        });
        assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
        assert.deepEqual(pod.containers[0].securityContext.capabilities, { drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
    });

    it("proxy: its own values; PD keeps the defaults", () => {
        const proxy = podOf(proxyProfile, raw).containers[0].securityContext;
        assert.equal(proxy.allowPrivilegeEscalation, true);
        assert.deepEqual(proxy.capabilities, { drop: [] });
        const pd = podOf(pdProfile, raw);
        assert.equal(pd.securityContext.runAsNonRoot, false);
        assert.deepEqual(pd.containers[0].securityContext.capabilities, { drop: ["ALL"] });
    });
});

describe("security context: refused, with the fix", () => {
    const rows: [string, unknown, RegExp[]][] = [
        [
            "root with runAsNonRoot",
            { pd: { securityContext: { runAsNonRoot: true, runAsUser: 0 } } },
            [
                /pd\.securityContext\.runAsUser: is root while runAsNonRoot is true/,
                /fix: pulumi config set --path pd\.securityContext\.runAsUser 1000/,
            ],
        ],
        [
            "Localhost seccomp without a profile",
            { store: { securityContext: { seccompProfile: { type: "Localhost" } } } },
            [/store\.securityContext\.seccompProfile\.localhostProfile: is required with type Localhost/],
        ],
        [
            "a profile with RuntimeDefault",
            { proxy: { securityContext: { seccompProfile: { localhostProfile: "x.json" } } } },
            [/fix: pulumi config rm --path proxy\.securityContext\.seccompProfile\.localhostProfile/],
        ],
        ["a negative user id", { pd: { securityContext: { fsGroup: -1 } } }, [/pd\.securityContext\.fsGroup/]],
        [
            "a lower-case capability",
            { pd: { securityContext: { capabilities: { add: ["net_admin"] } } } },
            [/must be a capability name/],
        ],
        [
            "a typo",
            { pd: { securityContext: { runAsNonroot: true } } },
            [/pd\.securityContext\.runAsNonroot: unknown key/],
        ],
    ];
    for (const [what, raw, patterns] of rows) {
        it(what, () => {
            const text = problems(raw);
            for (const p of patterns) {
                assert.match(text, p);
            }
        });
    }
});

describe("network policy config: refused, with the path", () => {
    const rows: [string, unknown, RegExp][] = [
        [
            "a CIDR that is not one",
            { networkPolicy: { proxyClients: { cidrs: ["10.0.0.0"] } } },
            /networkPolicy\.proxyClients\.cidrs\[0\]: must be a CIDR/,
        ],
        [
            "a namespace that is not a DNS label",
            { networkPolicy: { pdClients: { namespaces: ["Kube_System"] } } },
            /networkPolicy\.pdClients\.namespaces\[0\]/,
        ],
        ["a typo", { networkPolicy: { proxyClient: {} } }, /networkPolicy\.proxyClient: unknown key/],
    ];
    for (const [what, raw, pattern] of rows) {
        it(what, () => assert.match(problems(raw), pattern));
    }

    it("defaults: on, egress restricted, nobody named", () => {
        const empty = { namespaces: [], podSelectors: [], cidrs: [], allowAll: false };
        assert.deepEqual(parseStackConfig({}).networkPolicy, {
            enabled: true,
            restrictEgress: true,
            proxyClients: empty,
            pdClients: empty,
        });
    });
});
