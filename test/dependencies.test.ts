import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** Every relative import of `file`, as a path from the project root ("infra/settings/common"). */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => path.relative(root, path.resolve(root, path.dirname(file), name)));
}

/** "file imports target" for every import of a file under `from` that lands under one of `forbidden`. */
function crossings(from: string, forbidden: string[]): string[] {
  return sourceFiles(from).flatMap((file) =>
    localImports(file)
      .filter((target) => forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`)))
      .map((target) => `${file} imports ${target}`),
  );
}

describe("dependencies point one way (infra → components)", () => {
  it("components import nothing from infra/ or policies/, so each can be lifted into another program", () => {
    assert.deepEqual(crossings("components", ["infra", "policies"]), []);
  });

  it("infra/ imports nothing from policies/ (the gate may use infra, not the reverse)", () => {
    assert.deepEqual(crossings("infra", ["policies"]), []);
  });

  it("finds an import that crosses, so the checks above can fail", () => {
    assert.deepEqual(crossings("infra/offline", ["infra/config"]).length > 0, true);
  });
});
