"use strict";
/**
 * Defers modules the pack's process would load at start-up but never uses.
 *
 * `@pulumi/policy` loads `@pulumi/pulumi`, whose index loads `automation` -> `runtime` ->
 * `runtime/closure/codePaths`, which loads `@npmcli/arborist` (an npm tree walker for closure
 * serialization, about 140 ms on the bench machine, the largest single import of a pack start).
 * A policy pack never serializes a closure. Instead of that module, `codePaths` gets a proxy that
 * loads the real module on first use, so behaviour is unchanged if it is ever used.
 *
 * Plain CommonJS: it runs from main.js before the compiled pack is loaded.
 */
const Module = require("node:module");

/** What is deferred: the module and the file of `@pulumi/pulumi` that requires it. */
const Deferred = [{ request: "@npmcli/arborist", from: "@pulumi/pulumi/runtime/closure/codePaths.js" }];

/**
 * Puts a lazy proxy for `request` (as resolved from the package file `from`) into Node's module
 * cache, unless the module is already loaded or cannot be resolved. The proxy says `__esModule`
 * (so TypeScript's `__importStar` hands it over as is, without reading its keys) and loads the real
 * module on any other access.
 * @param {string} packDir the directory whose node_modules hold `from`
 * @param {string} request
 * @param {string} from
 * @returns {boolean} whether a proxy was installed
 */
function deferModule(packDir, request, from) {
    let file;
    try {
        const fromFile = require.resolve(from, { paths: [packDir] });
        file = Module.createRequire(fromFile).resolve(request);
    } catch {
        return false;
    }
    if (require.cache[file] !== undefined) {
        return false;
    }
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[file];
            real = require(file);
        }
        return real;
    };
    const proxy = new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
            has: (_, key) => key === "__esModule" || Reflect.has(load(), key),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Reflect.getOwnPropertyDescriptor(load(), key);
                return d === undefined ? undefined : { ...d, configurable: true };
            },
        },
    );
    const stub = new Module(file, null);
    stub.filename = file;
    stub.loaded = true;
    stub.exports = proxy;
    require.cache[file] = stub;
    return true;
}

/**
 * Defers every module in `Deferred`; returns the requests that were deferred.
 * @param {string} packDir
 * @returns {string[]}
 */
function deferUnusedImports(packDir) {
    return Deferred.filter((d) => deferModule(packDir, d.request, d.from)).map((d) => d.request);
}

module.exports = { Deferred, deferModule, deferUnusedImports };
