/**
 * The PD and Store start scripts run with /bin/sh and fakes on PATH (`getent`,
 * `nslookup`, and `pd`/`cell` that print their flags): the DNS wait, the
 * store's zone and rack, and PD's client URL on the pod IP.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { pdProfile } from "../../../components/pd";
import { storeProfile } from "../../../components/store";
import type { ClusterContext } from "../../../components/tier/profile";
import { waitForOwnDns } from "../../../components/tier/script";
import { BaseTools, ShSandbox } from "../../helpers/sh-run";

const ctx: ClusterContext = { cluster: "demo", namespace: "ns1", pdReplicas: 3 };
const pod = { HOSTNAME: "demo-store-1", PEER_SERVICE_NAME: "demo-store-peer", NAMESPACE: "ns1" };
const printArgs = 'for a in "$@"; do echo "$a"; done';

describe("start scripts, run", () => {
    let sb: ShSandbox;
    before(() => {
        sb = new ShSandbox(BaseTools);
        sb.fake("cell", printArgs);
        sb.fake("pd", printArgs);
    });
    after(() => sb.dispose());

    it("waits for its own name through getent (search list and /etc/hosts), then goes on", async () => {
        // Fails twice, then resolves; records the names it was asked.
        sb.fake("getent", `echo "$@" >> "${sb.dir}/getent.log"; n=$(wc -l < "${sb.dir}/getent.log"); [ "$n" -ge 3 ]`);
        const r = await sb.run(`${waitForOwnDns(10)}\necho resolved`, pod);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /resolved/);
        assert.ok(r.ms >= 2000, `polled once a second (${r.ms} ms)`);
        assert.match(readFileSync(`${sb.dir}/getent.log`, "utf8"), /^hosts demo-store-1\.demo-store-peer\.ns1\.svc$/m);
    });

    it("gives up with a message when the name never resolves", async () => {
        sb.fake("getent", "exit 2");
        const r = await sb.run(waitForOwnDns(2), pod);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /demo-store-1\.demo-store-peer\.ns1\.svc does not resolve after 2s/);
    });

    it("without getent (plain busybox), asks nslookup for the fully qualified name from the search list", async () => {
        const bare = new ShSandbox(BaseTools);
        try {
            bare.fake(
                "nslookup",
                `echo "$1" > "${bare.dir}/asked"; [ "$1" = demo-store-1.demo-store-peer.ns1.svc.corp.example ]`,
            );
            const resolv = bare.file(
                "resolv.conf",
                "nameserver 10.96.0.10\nsearch ns1.svc.corp.example svc.corp.example corp.example\noptions ndots:5\n",
            );
            const r = await bare.run(`${waitForOwnDns(3)}\necho resolved`, { ...pod, RESOLV_CONF: resolv });
            assert.equal(r.code, 0, r.stderr);
            assert.equal(
                readFileSync(`${bare.dir}/asked`, "utf8").trim(),
                "demo-store-1.demo-store-peer.ns1.svc.corp.example",
            );
            assert.match(r.stdout, /resolved/);
        } finally {
            bare.dispose();
        }
    });

    const zoneCases: [string, Record<string, string>, string | undefined, string, string][] = [
        [
            "podLabels: the zone label the API server copied from the node",
            { ELASTICELL_ZONE: "zone-b" },
            undefined,
            "zone-b",
            "zone-b",
        ],
        ["nodeApi: zone and rack from the init container's file", {}, "zone=eu-1a\nrack=r42\n", "eu-1a", "r42"],
        ["nodeApi: a node without the rack label reports rack = zone", {}, "zone=eu-1a\nrack=\n", "eu-1a", "eu-1a"],
        [
            "nodeApi: the last run of the init container wins",
            {},
            "zone=old\nrack=r1\nzone=eu-1c\nrack=r2\n",
            "eu-1c",
            "r2",
        ],
        ["none (or no zone label on the node): zone default", {}, undefined, "default", "default"],
    ];
    for (const [name, env, file, zone, rack] of zoneCases) {
        it(`store passes --zone/--rack: ${name}`, async () => {
            sb.fake("getent", "exit 0");
            const topology = file === undefined ? `${sb.dir}/absent` : sb.file(`topology-${zone}-${rack}`, file);
            const r = await sb.run(storeProfile.startScript(ctx), { ...pod, ...env, TOPOLOGY_FILE: topology });
            assert.equal(r.code, 0, r.stderr);
            const flags = r.stdout.split("\n");
            assert.ok(flags.includes(`--zone=${zone}`), r.stdout);
            assert.ok(flags.includes(`--rack=${rack}`), r.stdout);
            assert.ok(flags.includes("--addr=demo-store-1.demo-store-peer.ns1.svc:10800"));
            if (zone === "default") {
                assert.match(r.stderr, /no zone known/);
            }
        });
    }

    it("PD listens and advertises its client URL on the pod IP (measured: 0.0.0.0 breaks non-leaders)", async () => {
        sb.fake("getent", "exit 0");
        const r = await sb.run(pdProfile.startScript(ctx), {
            HOSTNAME: "demo-pd-0",
            PEER_SERVICE_NAME: "demo-pd-peer",
            NAMESPACE: "ns1",
            POD_IP: "10.244.0.7",
            PD_INITIAL_CLUSTER: "demo-pd-0=http://demo-pd-0.demo-pd-peer.ns1.svc:2380",
        });
        assert.equal(r.code, 0, r.stderr);
        const flags = r.stdout.split("\n");
        assert.ok(flags.includes("--urls-client=http://10.244.0.7:2379"), r.stdout);
        assert.ok(flags.includes("--urls-advertise-client=http://10.244.0.7:2379"));
        assert.ok(!flags.some((f) => f.startsWith("--urls-advertise") && f.includes("0.0.0.0")));
        assert.ok(flags.includes("--initial-cluster=demo-pd-0=http://demo-pd-0.demo-pd-peer.ns1.svc:2380"));
    });
});
