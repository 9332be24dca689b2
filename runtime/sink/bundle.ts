import { buildSync } from "esbuild";
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Packages the bundle leaves to node_modules: the Kafka client is a native addon whose loader
 * (`bindings`) finds its `.node` file relative to the package directory, so it cannot be inlined.
 */
export const unbundledPackages = ["@confluentinc/kafka-javascript"];

/** The Node.js major the bundle targets and the lake writer's image runs (the Dockerfile's base). */
export const imageNodeMajor = 24;

/** The bundle's file name inside the assembled directory. */
export const bundleFile = "loglake.cjs";

/**
 * What of the unbundled packages runs: the Kafka client's JavaScript, its compiled addon and
 * librdkafka's shared libraries (the addon finds them through its rpath, `$ORIGIN/../deps`), and
 * the `bindings` loader its JavaScript requires (with that loader's one dependency).
 */
function runtimeFiles(nodeModules: string): string[] {
  const kafka = join(nodeModules, "@confluentinc", "kafka-javascript");
  const deps = join(kafka, "build", "deps");
  return [
    ...["package.json", "librdkafka.js", "lib", join("build", "Release", "confluent-kafka-javascript.node")].map(
      (path) => join(kafka, path),
    ),
    ...readdirSync(deps)
      .filter((file) => /^librdkafka(\+\+)?\.so\.\d+$/.test(file))
      .map((file) => join(deps, file)),
    join(nodeModules, "bindings"),
    join(nodeModules, "file-uri-to-path"),
  ];
}

/**
 * Assembles the lake writer's application under `outDir`: `loglake sink` (runtime/sink/main.ts) of the checkout at
 * `root` bundled into one CommonJS file (everything but the native Kafka client inlined, so the image
 * carries no TypeScript toolchain and no development dependencies), and beside it a node_modules
 * holding only what the bundle requires at run time. `root` must have its packages installed and the
 * Kafka client's addon built.
 */
export function assembleApp(root: string, outDir: string): void {
  buildSync({
    entryPoints: [join(root, "runtime", "sink", "main.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: `node${imageNodeMajor}`,
    format: "cjs",
    external: unbundledPackages,
    outfile: join(outDir, bundleFile),
    legalComments: "none",
    logLevel: "warning",
  });
  const nodeModules = join(root, "node_modules");
  for (const source of runtimeFiles(nodeModules)) {
    const target = join(outDir, "node_modules", relative(nodeModules, source));
    mkdirSync(join(target, ".."), { recursive: true });
    cpSync(source, target, { recursive: true, dereference: true });
  }
}

if (require.main === module) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error("usage: tsx runtime/sink/bundle.ts <output directory>");
  assembleApp(process.cwd(), outDir);
}
