/**
 * scripts/deploy.sh deploys only to a cluster the stack file names: a stack with no
 * `kubernetes:context`, `kubernetes:kubeconfig` or render directory is refused before anything
 * is installed, built or deployed (docs/configuration.md: From the local cluster to a real one). Runs a copy of
 * the scripts in a temp project, so the refusal is observed on the real script.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { load } from "js-yaml";
import { ProjectRoot } from "../helpers/stacks";

describe("scripts/deploy.sh: the stack file must name its cluster", () => {
    let root: string;
    before(() => {
        root = mkdtempSync(join(tmpdir(), "elasticell-deploy-"));
        cpSync(join(ProjectRoot, "scripts"), join(root, "scripts"), { recursive: true });
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    function deploy(stack: string, file: string | undefined) {
        if (file !== undefined) {
            writeFileSync(join(root, `Pulumi.${stack}.yaml`), file);
        }
        const r = spawnSync("bash", [join(root, "scripts", "deploy.sh"), stack], {
            encoding: "utf8",
            env: { HOME: root, PATH: process.env.PATH },
        });
        return { code: r.status, stderr: r.stderr };
    }

    it("refuses a stack that names no cluster, before installing anything", () => {
        const r = deploy("staging", "config:\n  elasticell:name: cell\n");
        assert.equal(r.code, 1);
        assert.match(
            r.stderr,
            /Pulumi\.staging\.yaml names no cluster: set kubernetes:context .* pulumi config set kubernetes:context <context> --stack staging/,
        );
        assert.equal(existsSync(join(root, "node_modules")), false, "nothing installed");
        assert.doesNotMatch(r.stderr, /installing npm dependencies|building/);
    });

    it("refuses an unknown stack, listing the stack files", () => {
        const r = deploy("nope", undefined);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /no stack file Pulumi\.nope\.yaml \(stacks here: .*staging/);
    });

    it("the shipped stacks each name their target (prod: a context, not the ambient one)", () => {
        const targets = ["kubernetes:context", "kubernetes:kubeconfig", "kubernetes:renderYamlToDirectory"];
        for (const stack of ["dev", "render", "prod"]) {
            const config = (
                load(readFileSync(join(ProjectRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
                    config: Record<string, unknown>;
                }
            ).config;
            assert.ok(
                targets.some((k) => typeof config[k] === "string"),
                `Pulumi.${stack}.yaml names no target`,
            );
        }
        const prod = (
            load(readFileSync(join(ProjectRoot, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> }
        ).config;
        assert.notEqual(
            prod["kubernetes:context"],
            "elasticell-local",
            "prod must not name the local cluster's context",
        );
        assert.equal(prod["kubernetes:kubeconfig"], undefined);
    });
});
