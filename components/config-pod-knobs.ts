/**
 * Stack-config fields of the "usual pod knobs" (Helm-values parity, per tier): image pull
 * Secrets, pod labels and annotations, PriorityClass, ServiceAccount, extra env, extra binary
 * flags, the binaries' log level, the proxy's command list and the PD Service type. Each value is
 * held to what the API server (or the binary) would accept, and to what the program itself sets,
 * so a clash is refused before anything is registered. Hooked into `config.ts`; the builders are
 * `tier/pod-knobs.ts` and `tier/binary-flags.ts`.
 */
import { z } from "zod";
import { always, issue, labelMap, toDnsSubdomain } from "./config-k8s";
import { objectAnnotations } from "./config-fields";
import { dns1123SubdomainProblems } from "./k8s-validation";
import { LabelKeys } from "./labels";
import { SupportedCommands } from "./proxy";

/**
 * `-log-level` values of pd, cell and proxy: all three parse it with the same logger
 * (deepfabric/elasticell `pkg/log`, github.com/fagongzi/log `stringToLogLevel`); an unknown
 * word silently logs everything, so only these are accepted.
 */
export const LogLevels = ["info", "debug", "warn", "error", "fatal"] as const;
/** One of `LogLevels`. */
export type LogLevel = (typeof LogLevels)[number];

/**
 * Env var names the program sets on a tier's container or that its scripts read (tuning and
 * test overrides, `HOSTNAME` for the pod's DNS name, `PATH`/`IFS` for the shell itself): an
 * `env` entry with one of these names would silently change how a tier starts or is probed.
 */
export const ProgramEnvNames = [
    "NAMESPACE",
    "TZ",
    "CLUSTER_NAME",
    "PEER_SERVICE_NAME",
    "POD_IP",
    "HOSTNAME",
    "PD_INITIAL_CLUSTER",
    "PD_URL",
    "ELASTICELL_ZONE",
    "NODE_NAME",
    "PODINFO_DIR",
    "RESOLV_CONF",
    "TOPOLOGY_FILE",
    "PD_TIMEOUT",
    "STORE_ADDR",
    "PROC_NET",
    "PRESTOP_LOG",
    "PRESTOP_POLL_SECONDS",
    "PRESTOP_RESERVE_SECONDS",
    "PRESTOP_SECONDS",
    "PATH",
    "IFS",
] as const;

/**
 * Flags the program passes to each tier's binary (a test keeps these in step with the start
 * scripts). Go's `flag` package lets a repeated flag win, so an `extraArgs` entry naming one of
 * these would override an address, the PD member list or the data dir: refused.
 */
export const ProgramFlags = {
    pd: [
        "data",
        "name",
        "addr-rpc",
        "urls-client",
        "urls-advertise-client",
        "urls-peer",
        "urls-advertise-peer",
        "initial-cluster",
        "log-level",
    ],
    store: [
        "data",
        "addr",
        "addr-cli",
        "zone",
        "rack",
        "interval-heartbeat-store",
        "interval-heartbeat-cell",
        "pd",
        "log-level",
    ],
    proxy: ["cfg", "log-level"],
} as const;

/** Pod annotation key the start scripts read as the debug run mode (`runmode=debug` idles the binary). */
export const RunModeAnnotation = "runmode";

/** A name of an object in the tier's namespace (Secret, ServiceAccount, PriorityClass): a DNS subdomain. */
export function objectName(kind: string, example: string) {
    return z.string().superRefine((name, ctx) => {
        const problems = dns1123SubdomainProblems(name);
        if (problems.length > 0) {
            issue(ctx, [], `is not a valid ${kind} name: ${problems.join("; ")}`, toDnsSubdomain(name, example), name);
        }
    });
}

/** `imagePullSecrets`: Secret names, each once. */
const imagePullSecrets = z.array(objectName("Secret", "regcred")).check(
    always((list, ctx) => {
        if (!Array.isArray(list)) {
            return;
        }
        list.forEach((name, i) => {
            if (list.indexOf(name) !== i) {
                issue(ctx, [i], "is listed twice", "rm", name);
            }
        });
    }),
);

/** Pod annotations: as `annotations`, and not `runmode` (it would idle every pod of the tier at once). */
const podAnnotations = objectAnnotations.check(
    always((map, ctx) => {
        if (typeof map === "object" && map !== null && RunModeAnnotation in map) {
            issue(
                ctx,
                [RunModeAnnotation],
                "is the debug run mode: on the pod template it would stop the binary in every pod of the tier; " +
                    `annotate one pod instead (kubectl annotate pod <pod> ${RunModeAnnotation}=debug)`,
                "rm",
            );
        }
    }),
);

const CIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Extra env vars: C identifiers, each once, none of `ProgramEnvNames`. */
const extraEnv = z.array(z.strictObject({ name: z.string(), value: z.string() })).check(
    always((list, ctx) => {
        if (!Array.isArray(list)) {
            return;
        }
        const seen = new Set<string>();
        list.forEach((entry: { name?: unknown }, i) => {
            const name = entry?.name;
            if (typeof name !== "string") {
                return;
            }
            if (!CIdentifier.test(name)) {
                const fix = name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(?=[0-9])/, "_") || "MY_VAR";
                issue(
                    ctx,
                    [i, "name"],
                    "must be a C identifier (letters, digits, '_', not starting with a digit): the start script's shell cannot read any other",
                    fix,
                    name,
                );
            } else if ((ProgramEnvNames as readonly string[]).includes(name)) {
                issue(
                    ctx,
                    [i, "name"],
                    "is set or read by the program (its env and start scripts); a value here would change how the tier starts",
                    `MY_${name}`,
                    name,
                );
            } else if (seen.has(name)) {
                issue(ctx, [i, "name"], "is listed twice (Kubernetes keeps the last one silently)", "rm", name);
            }
            seen.add(name);
        });
    }),
);

/** Extra flags of one tier's binary: `--flag=value` words, none of the program's own flags. */
function extraArgs(tier: keyof typeof ProgramFlags) {
    return z.array(z.string()).check(
        always((list, ctx) => {
            if (!Array.isArray(list)) {
                return;
            }
            list.forEach((arg: unknown, i) => {
                if (typeof arg !== "string") {
                    return;
                }
                const flag = /^--?([A-Za-z0-9][^=\s]*)(?:=|$)/.exec(arg)?.[1];
                if (flag === undefined) {
                    issue(
                        ctx,
                        [i],
                        "must be a flag in the --flag=value form: Go's flag parser stops at the first word that is not a flag, ignoring every flag after it",
                        "rm",
                        arg,
                    );
                } else if ((ProgramFlags[tier] as readonly string[]).includes(flag)) {
                    issue(
                        ctx,
                        [i],
                        `sets --${flag}, which the program sets (${flag === "log-level" ? "use logLevel" : "addresses, member list and data dir are derived from the cluster"}); a second value would override it`,
                        "rm",
                        arg,
                    );
                }
            });
        }),
    );
}

/** The knobs every tier shares. */
export function podKnobFields(tier: keyof typeof ProgramFlags) {
    return {
        /** Secrets with registry credentials for the tier's image. @default [] */
        imagePullSecrets: imagePullSecrets.default([]),
        /** Labels on the tier's pods only (never in selectors). @default {} */
        podLabels: labelMap(Object.values(LabelKeys)).default({}),
        /** Annotations on the tier's pods only. @default {} */
        podAnnotations: podAnnotations.default({}),
        /** PriorityClass of the tier's pods; unset: the cluster's default. */
        priorityClassName: objectName("PriorityClass", "high-priority").optional(),
        /** ServiceAccount the pods run as; unset: the namespace's `default` (or the stores' own with `topology.source: nodeApi`). */
        serviceAccountName: objectName("ServiceAccount", "elasticell").optional(),
        /** Extra env vars of the container: `{name, value}`. @default [] */
        env: extraEnv.default([]),
        /** Extra flags appended to the binary's command line, each shell-quoted. @default [] */
        extraArgs: extraArgs(tier).default([]),
        /** The binary's `--log-level`; unset: the binary's default (info). */
        logLevel: z.enum(LogLevels).optional(),
    };
}

/** The proxy's `supportCMDs`: names of the operator's 64 commands, each once. */
export const supportedCommands = z
    .array(z.string())
    .check(
        always((list, ctx) => {
            if (!Array.isArray(list)) {
                return;
            }
            if (list.length === 0) {
                issue(ctx, [], "must name at least one command: a proxy that forwards none serves nothing", "rm");
            }
            const known = new Map(SupportedCommands.map((c) => [c.toLowerCase(), c as string]));
            const seen = new Set<string>();
            list.forEach((cmd: unknown, i) => {
                if (typeof cmd !== "string") {
                    return;
                }
                const key = cmd.toLowerCase();
                if (!known.has(key)) {
                    issue(
                        ctx,
                        [i],
                        `is not one of the operator's ${SupportedCommands.length} proxy commands (the ones the stores are known to implement)`,
                        "rm",
                        cmd,
                    );
                } else if (seen.has(key)) {
                    issue(ctx, [i], "is listed twice", "rm", cmd);
                }
                seen.add(key);
            });
        }),
    )
    .default([...SupportedCommands]);

/** PD's client Service (`<name>-pd`, port 2379): its type. */
export const pdServiceSchema = z
    .strictObject({
        /** `LoadBalancer`/`NodePort` expose PD's unauthenticated API (it can delete stores): pair them with `networkPolicy.pdClients`. */
        type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]).default("ClusterIP"),
    })
    .prefault({});
