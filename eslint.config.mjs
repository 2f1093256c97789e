// Lint rules shared by the program, the policy pack and the tests:
// typescript-eslint's recommended type-checked set, with type information
// from each folder's own tsconfig (the pack is its own package).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "**/bin/**", ".elasticell/**", "toolchain/**", "examples/*/node_modules/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            // node:test's test()/describe() return promises the runner itself awaits.
            "@typescript-eslint/no-floating-promises": [
                "error",
                {
                    allowForKnownSafeCalls: [
                        { from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] },
                    ],
                },
            ],
        },
    },
    {
        files: ["**/*.js", "**/*.cjs"],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
        rules: {
            "@typescript-eslint/no-require-imports": "off",
            "no-redeclare": ["error", { builtinGlobals: false }],
        },
    },
    {
        files: ["**/*.mjs"],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: { globals: globals.node },
    },
);
