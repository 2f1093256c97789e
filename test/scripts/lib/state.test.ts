/**
 * scripts/lib/state.sh (sourced by every script through common.sh): the user's backend wins
 * (PULUMI_BACKEND_URL, then `pulumi login`), and the project's file backend with the dev
 * passphrase applies only when nothing was chosen. Runs the real file under bash with a fake HOME.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { ProjectRoot } from "../../helpers/stacks";

const printVars =
    'for v in ELASTICELL_STATE PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE; do echo "$v=${!v-<unset>}"; done';

/** Sources common.sh in a clean environment and returns the variables it leaves. */
function sourced(home: string, env: NodeJS.ProcessEnv = {}): Record<string, string> {
    const r = spawnSync("bash", ["-c", `source ${join(ProjectRoot, "scripts", "lib", "common.sh")} && ${printVars}`], {
        env: { HOME: home, PATH: process.env.PATH, ...env },
        encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    return Object.fromEntries(
        r.stdout
            .trim()
            .split("\n")
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
}

describe("scripts/lib/state.sh: the user's backend and secrets provider win", () => {
    let home: string;
    beforeEach(() => (home = mkdtempSync(join(tmpdir(), "elasticell-state-"))));
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    const login = (dir: string, current: string) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "credentials.json"), JSON.stringify({ current, accessTokens: {} }));
    };

    it("nothing chosen: the project's file backend and the dev passphrase", () => {
        assert.deepEqual(sourced(home), {
            ELASTICELL_STATE: "project",
            PULUMI_BACKEND_URL: `file://${ProjectRoot}/.elasticell/state`,
            PULUMI_CONFIG_PASSPHRASE: "elasticell-dev",
        });
    });

    it("PULUMI_BACKEND_URL set: kept, and no passphrase is invented", () => {
        assert.deepEqual(sourced(home, { PULUMI_BACKEND_URL: "s3://bucket/state" }), {
            ELASTICELL_STATE: "env",
            PULUMI_BACKEND_URL: "s3://bucket/state",
            PULUMI_CONFIG_PASSPHRASE: "<unset>",
        });
    });

    it("`pulumi login` done (credentials.json has a current backend): left alone", () => {
        login(join(home, ".pulumi"), "https://api.pulumi.com");
        assert.deepEqual(sourced(home), {
            ELASTICELL_STATE: "login",
            PULUMI_BACKEND_URL: "<unset>",
            PULUMI_CONFIG_PASSPHRASE: "<unset>",
        });
    });

    it("PULUMI_HOME moves the credentials file", () => {
        const pulumiHome = join(home, "elsewhere");
        login(pulumiHome, "gs://bucket");
        assert.equal(sourced(home, { PULUMI_HOME: pulumiHome }).ELASTICELL_STATE, "login");
        assert.equal(sourced(home).ELASTICELL_STATE, "project", "~/.pulumi has no login");
    });

    it("a credentials file without a current backend (after `pulumi logout`) counts as nothing chosen", () => {
        login(join(home, ".pulumi"), "");
        assert.equal(sourced(home).ELASTICELL_STATE, "project");
    });

    it("the user's passphrase (or passphrase file) is kept on the project backend", () => {
        assert.equal(sourced(home, { PULUMI_CONFIG_PASSPHRASE: "mine" }).PULUMI_CONFIG_PASSPHRASE, "mine");
        assert.equal(
            sourced(home, { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/pp" }).PULUMI_CONFIG_PASSPHRASE,
            "<unset>",
        );
    });
});
