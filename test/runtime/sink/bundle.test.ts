import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { nonRootId } from "../../../components/workloads/pod-security";
import { assembleApp, bundleFile, imageNodeMajor, unbundledPackages } from "../../../runtime/sink/bundle";
import { lakeWriterImage } from "../../../runtime/sink/deployment";
import { present } from "../../support/offline";

const root = lakeWriterImage.context;
const dockerfile = readFileSync(join(root, lakeWriterImage.dockerfile), "utf8");
const ignoreFile = readFileSync(join(root, `${lakeWriterImage.dockerfile}.dockerignore`), "utf8");

/** The Dockerfile's instructions, with `\` continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
const instruction = (keyword: string) => instructions.filter((line) => line.startsWith(`${keyword} `));
/** Sources of the COPY instructions that read the build context (not another stage). */
const contextCopies = instruction("COPY")
  .filter((line) => !line.includes("--from="))
  .flatMap((line) => line.split(/\s+/).slice(1, -1));

describe("the lake writer's image (runtime/sink/Dockerfile)", () => {
  it("copies from the context exactly the paths that make its tag, and every one exists", () => {
    assert.deepEqual([...contextCopies].sort(), [...lakeWriterImage.contentPaths].sort());
    for (const path of contextCopies) assert.ok(existsSync(join(root, path)), `${path} is missing`);
  });

  it("keeps everything else out of the build context, node_modules and tests included", () => {
    const rules = ignoreFile
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    assert.equal(rules[0], "*", "the context starts empty");
    const included = rules.filter((rule) => rule.startsWith("!")).map((rule) => rule.slice(1));
    assert.deepEqual(included.sort(), [...lakeWriterImage.contentPaths].sort());
    const lastInclude = Math.max(...rules.map((rule, i) => (rule.startsWith("!") ? i : -1)));
    for (const excluded of ["**/node_modules", "**/*.test.ts"])
      assert.ok(rules.indexOf(excluded) > lastInclude, `${excluded} is excluded after the re-includes`);
  });

  it("builds and runs on one pinned Node image of the major the bundle targets", () => {
    const pin = /^ARG NODE_IMAGE=node:(\d+)\.\d+\.\d+-[a-z]+-slim@sha256:[0-9a-f]{64}$/.exec(
      present(
        instruction("ARG").find((line) => line.startsWith("ARG NODE_IMAGE=")),
        "the Dockerfile's NODE_IMAGE argument",
      ),
    );
    assert.ok(pin, "node:<major>.<minor>.<patch>-<debian>-slim@sha256:<digest>");
    assert.equal(Number(pin[1]), imageNodeMajor);
    assert.deepEqual(instruction("FROM"), ["FROM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE}"]);
  });

  it("runs the assembled sink as the numeric non-root user the pods run as, without a shell", () => {
    assert.deepEqual(instruction("USER"), [`USER ${nonRootId}:${nonRootId}`]);
    const [entrypoint] = instruction("ENTRYPOINT");
    const argv = JSON.parse(entrypoint.slice("ENTRYPOINT ".length)) as string[];
    // The build stage assembles the application in one directory, which the runtime stage copies to /app.
    const assembled = present(
      /tsx runtime\/sink\/bundle\.ts (\S+)$/m.exec(instruction("RUN").join("\n")),
      "the bundle step",
    );
    assert.ok(instruction("COPY").includes(`COPY --from=build ${assembled[1]}/ /app/`), "the runtime stage copies it");
    assert.deepEqual(argv, ["node", posix.join("/app", bundleFile), "sink"]);
  });

  describe("assembled from the copied paths alone", () => {
    let context: string;
    let app: string;
    before(() => {
      context = mkdtempSync(join(tmpdir(), "lake-writer-image-"));
      for (const path of contextCopies) cpSync(join(root, path), join(context, path), { recursive: true });
      // What `npm ci` and the addon build leave in the build stage.
      symlinkSync(join(root, "node_modules"), join(context, "node_modules"));
      // Outside the context, so nothing resolves from the build stage's node_modules.
      app = mkdtempSync(join(tmpdir(), "lake-writer-app-"));
      assembleApp(context, app);
    });
    after(() => {
      rmSync(context, { recursive: true, force: true });
      rmSync(app, { recursive: true, force: true });
    });

    it("resolves the entry point with only the assembled node_modules: the CLI starts and knows the sink's options", () => {
      const { NODE_PATH: _, ...env } = process.env;
      const help = execFileSync(process.execPath, [join(app, bundleFile), "sink", "--help"], {
        cwd: app,
        env,
        encoding: "utf8",
      });
      for (const option of ["--iam-brokers", "--topic", "--bucket", "--kms-key-id", "--instance-id"])
        assert.ok(help.includes(option), `sink --help lists ${option}`);
    });

    it("carries the unbundled packages and nothing else that npm installed", () => {
      const kafka = join(app, "node_modules", ...unbundledPackages[0].split("/"));
      assert.ok(existsSync(join(kafka, "build", "Release", "confluent-kafka-javascript.node")), "the addon");
      assert.deepEqual(readdirSync(join(kafka, "build", "deps")).sort(), ["librdkafka++.so.1", "librdkafka.so.1"]);
      assert.deepEqual(readdirSync(join(app, "node_modules")).sort(), [
        "@confluentinc",
        "bindings",
        "file-uri-to-path",
      ]);
    });
  });
});
