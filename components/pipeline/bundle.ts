import { buildSync } from "esbuild";
import { join } from "node:path";

/** The manifest builder's Lambda entry point, as the tests exercise it. */
export const manifestBuilderEntry = join(__dirname, "..", "..", "runtime", "manifest", "handler.ts");

/** The Node.js major the bundle targets and the functions run on (Lambda's current runtime). */
export const lambdaNodeMajor = 24;

/**
 * Bundles a TypeScript Lambda entry point and everything it imports, the AWS SDK included (the
 * runtime's own copy is whichever version Lambda ships that day), into one CommonJS file that
 * exports `handler`. Deterministic for the same sources, so an unchanged function is not redeployed.
 */
export function bundleLambda(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: `node${lambdaNodeMajor}`,
    format: "cjs",
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
