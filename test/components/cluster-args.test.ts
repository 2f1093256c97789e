/**
 * `CellCluster` as a library component: optional args with defaults applied
 * inside, and bad args refused with one ResourceError phrased for a program
 * author (under mocks).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { argsPath, configPath } from "../../components/config-errors";
import { parseStackConfig } from "../../components/config";
import { installMocks, ofType, resolve, settled, Types, type Recorded } from "../helpers/mocks";
import { stackConfig } from "../helpers/stacks";

let recorded: Recorded[];
let lib: typeof import("../../components/index");

before(async () => {
    recorded = await installMocks({ project: "consumer", stack: "lib" });
    lib = await import("../../components/index");
});

/** Builds a cluster and returns what it registered (or the error it threw, and what was registered anyway). */
async function build(
    name: string,
    args?: unknown,
): Promise<{ error?: unknown; cluster?: InstanceType<typeof lib.CellCluster>; resources: Recorded[] }> {
    const start = recorded.length;
    try {
        const cluster = new lib.CellCluster(name, args as never);
        await resolve(cluster.redisEndpoint);
        await settled();
        return { cluster, resources: recorded.slice(start) };
    } catch (error) {
        await settled();
        return { error, resources: recorded.slice(start) };
    }
}

const stsOf = (rs: Recorded[]) =>
    Object.fromEntries(ofType(rs, Types.statefulSet).map((r) => [r.inputs.metadata.name, r.inputs]));

describe("CellCluster args: defaults applied inside the component", () => {
    it("needs no args at all: namespace elasticell, PD 3, Store 3, Proxy 1, guard and NetworkPolicies on", async () => {
        const { cluster, resources, error } = await build("mini");
        assert.equal(error, undefined);
        const sts = stsOf(resources);
        assert.deepEqual(Object.keys(sts).sort(), ["mini-pd", "mini-proxy", "mini-store"]);
        assert.equal(sts["mini-pd"].spec.replicas, 3);
        assert.equal(sts["mini-store"].spec.replicas, 3);
        assert.equal(sts["mini-proxy"].spec.replicas, 1);
        assert.equal(sts["mini-store"].spec.volumeClaimTemplates[0].spec.resources.requests.storage, "10Gi");
        assert.deepEqual(
            ofType(resources, Types.namespace).map((r) => r.inputs.metadata.name),
            ["elasticell"],
        );
        assert.equal(ofType(resources, Types.vap).length, 1);
        assert.equal(ofType(resources, Types.networkPolicy).length, 3);
        assert.equal(await resolve(cluster!.redisEndpoint), "mini-cell.elasticell.svc:6379");
    });

    it("merges partial nested args with the defaults and leaves the caller's object untouched", async () => {
        const args = { namespace: "shop", store: { replicas: 4 }, pd: { storage: { className: "fast" } } };
        const before = structuredClone(args);
        const { resources, error } = await build("shop", args);
        assert.equal(error, undefined);
        const sts = stsOf(resources);
        assert.equal(sts["shop-store"].spec.replicas, 4);
        assert.equal(
            sts["shop-store"].spec.template.spec.containers[0].image,
            "deepfabric/cell:latest",
            "the default image",
        );
        assert.equal(sts["shop-pd"].spec.volumeClaimTemplates[0].spec.storageClassName, "fast");
        assert.equal(
            sts["shop-pd"].spec.volumeClaimTemplates[0].spec.resources.requests.storage,
            "1Gi",
            "the default size beside a set class",
        );
        assert.deepEqual(args, before);
    });
});

describe("CellCluster args: the stack program's parsed config", () => {
    // index.ts passes loadStackConfig()'s result, which the component parses again: that must change nothing.
    for (const stack of ["dev", "prod", "render"]) {
        it(`${stack}: parsing the parsed config again gives the same config`, () => {
            const { name, ...parsed } = parseStackConfig(stackConfig(stack));
            assert.deepEqual(parseStackConfig({ ...parsed, name }, new Set(), "args"), { ...parsed, name });
        });
    }
});

describe("CellCluster args: bad args", () => {
    it("throw one ResourceError listing every problem as args.<path> with its fix, and register no child", async () => {
        const { error, resources } = await build("Bad_Name", {
            pd: { replicas: 4, replica: 3 },
            store: { replicas: 2 },
            proxy: { service: { type: "Public" } },
            labels: { "app.kubernetes.io/name": "x" },
        });
        assert.ok(pulumi.ResourceError.isInstance(error), `expected a ResourceError, got ${String(error)}`);
        const text = (error as Error).message;
        for (const fragment of [
            'invalid arguments of CellCluster "Bad_Name" (',
            "  - name: must be a DNS-1035 label",
            "  - args.pd.replicas: must be odd",
            "  - args.pd.replica: unknown key (a typo?); CellClusterArgs lists the keys\n    fix: remove args.pd.replica",
            "  - args.store.replicas: must be at least 3",
            "    fix: set args.store.replicas to 3",
            '  - args.proxy.service.type: must be one of "ClusterIP", "NodePort", "LoadBalancer" (got "Public")\n    fix: set args.proxy.service.type to "ClusterIP"',
            '  - args.labels["app.kubernetes.io/name"]',
        ]) {
            assert.ok(text.includes(fragment), `missing ${JSON.stringify(fragment)} in:\n${text}`);
        }
        assert.ok(!text.includes("pulumi config"), "a program author gets args paths, not stack-config commands");
        assert.deepEqual(
            resources.map((r) => r.type),
            [Types.cluster],
            "only the component itself (registered by its super() call) reaches the engine",
        );
    });

    it("refuse Outputs and promises where a plain value is needed, naming each", async () => {
        const { error, resources } = await build("outs", {
            namespace: pulumi.output("ns"),
            store: { replicas: Promise.resolve(5) },
        });
        assert.ok(pulumi.ResourceError.isInstance(error));
        const text = (error as Error).message;
        assert.match(text, /\(2 problems\)/);
        assert.match(text, / {2}- args\.namespace: is a pulumi Output or a promise/);
        assert.match(text, / {2}- args\.store\.replicas: is a pulumi Output or a promise/);
        assert.equal(resources.filter((r) => r.type !== Types.cluster).length, 0);
    });
});

describe("argsPath: config paths as CellCluster argument paths", () => {
    const rows: [PropertyKey[], string, string][] = [
        [["name"], "name", "name"],
        [["store", "replicas"], "args.store.replicas", "store.replicas"],
        [["pd", "tolerations", 0, "key"], "args.pd.tolerations[0].key", "pd.tolerations[0].key"],
        [["labels", "a.b/c"], 'args.labels["a.b/c"]', 'labels["a.b/c"]'],
        [[], "args", ""],
    ];
    for (const [path, args, config] of rows) {
        it(`${JSON.stringify(path)} -> ${args}`, () => {
            assert.equal(argsPath(path), args);
            assert.equal(configPath(path), config, "the stack program keeps the pulumi config syntax");
        });
    }
});
