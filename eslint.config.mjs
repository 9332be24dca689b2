// Lint rules for every TypeScript file loglake ships or tests. Formatting is Prettier's job, so the
// stylistic rules it would fight with are switched off by eslint-config-prettier.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "policies/*/node_modules/", ".plan/", "bench-output/", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not read.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    // Modules without types, loaded with require on purpose: the Pulumi SDK's runtime settings and RPC
    // internals (no public way to wait for the RPC queue or reach the monitor) and s3rver's CommonJS.
    files: ["infra/offline/engine.ts", "runtime/local/peers/s3.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
