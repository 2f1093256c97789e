/**
 * A `CellCluster` built from raw stack config under the mocks of `mocks.ts`: install once in
 * `before`, then `deploy` as often as a test needs; each deployment returns only what it
 * registered, and the options of its resources (mocks do not see resource options).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CellCluster } from "../../components/cluster";
import { parseStackConfig } from "../../components/config";
import { installMocks, resolve, settled, type Recorded } from "./mocks";

/** One `CellCluster` built under mocks. */
export interface MockDeployment {
    readonly cluster: CellCluster;
    /** The resources this deployment registered, in order. */
    readonly resources: Recorded[];
    /** The options of every resource it registered, by `<type>/<name>`. */
    readonly options: ReadonlyMap<string, pulumi.ResourceOptions>;
}

/** Mocks installed and `components/cluster` loaded after them, as component tests need. */
export class MockClusters {
    private constructor(
        private readonly recorded: Recorded[],
        private readonly ctor: typeof CellCluster,
    ) {}

    /** Installs the mocks (stack `dev` unless told), then imports `CellCluster`. Call in `before`. */
    static async install(opts: { stack?: string } = {}): Promise<MockClusters> {
        const recorded = await installMocks({ stack: opts.stack ?? "dev" });
        const { CellCluster: ctor } = await import("../../components/cluster");
        return new MockClusters(recorded, ctor);
    }

    /** Parses `raw` as stack config, builds its cluster and waits until its registrations are recorded. */
    async deploy(raw: unknown): Promise<MockDeployment> {
        const start = this.recorded.length;
        const { name, ...cfg } = parseStackConfig(raw);
        const options = new Map<string, pulumi.ResourceOptions>();
        // A transformation on the component sees every child's options; it changes nothing.
        const capture: pulumi.ResourceTransformation = (args) => {
            options.set(`${args.type}/${args.name}`, args.opts);
            return undefined;
        };
        const cluster = new this.ctor(name, cfg, { transformations: [capture] });
        await resolve(cluster.redisEndpoint);
        await settled();
        return { cluster, resources: this.recorded.slice(start), options };
    }
}
