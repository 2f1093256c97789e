/**
 * Hardened containers by default, every value overridable per tier, and
 * config that could never start refused with the fix.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StackConfigError, parseStackConfig } from "../../components/config";
import { pdProfile } from "../../components/pd";
import { proxyProfile } from "../../components/proxy";
import { storeProfile } from "../../components/store";
import type { TierProfile } from "../../components/tier/profile";
import { buildTier } from "../../components/tier/spec";

/* eslint-disable @typescript-eslint/no-explicit-any */
function podOf(profile: TierProfile, raw: unknown = {}): any {
    const cfg = parseStackConfig(raw);
    const m = buildTier({
        profile,
        ctx: { cluster: "demo", namespace: "ns1", pdReplicas: 3 },
        settings: cfg[profile.kind],
        timezone: cfg.timezone,
        labels: {},
        annotations: {},
    });
    return (m.statefulSet.spec.template as any).spec;
}

function problems(raw: unknown): string {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof StackConfigError);
        return err.message;
    }
    assert.fail("expected the config to be refused");
}

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
