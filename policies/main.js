"use strict";
/**
 * Entry point of the policy pack (package.json `main`), what `pulumi preview --policy-pack policies`
 * runs through `@pulumi/pulumi/cmd/run-policy-pack`. It:
 *   1. defers imports the pack never uses (loader/defer.js: about 140 ms of every start);
 *   2. makes bin/ current with the TypeScript sources (loader/build.js: a stamp check of a few ms; on a
 *      fresh clone or after an edit, a transpile of about 0.4 s, once), so no command, scripted or
 *      not, runs a stale build;
 *   3. loads the compiled pack, bin/index.js (policies/index.ts), which starts the analyzer server.
 * Why not TypeScript directly: run-policy-pack registers ts-node with type-checking on, whatever the
 * project says, which costs seconds per preview; compiled JavaScript loads at once.
 */
const { deferUnusedImports } = require("./loader/defer.js");
const { ensureCurrent } = require("./loader/build.js");

deferUnusedImports(__dirname);
ensureCurrent(__dirname);
require("./bin/index.js");
