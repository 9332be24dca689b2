import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");

describe("CONTRIBUTING.md", () => {
  it("names only files and folders that exist (placeholders such as <name> aside)", () => {
    const text = readFileSync(join(root, "CONTRIBUTING.md"), "utf8");
    const paths = [...text.matchAll(/`([\w./-]+\/[\w./-]*)`/g)]
      .map((m) => m[1])
      .filter((p) => !p.includes("<") && !p.startsWith("../"));
    assert.ok(paths.length >= 10, `found ${paths.length} paths`);
    assert.deepEqual(
      paths.filter((p) => !existsSync(join(root, p))),
      [],
    );
  });

  it("is linked from README", () => {
    assert.match(readFileSync(join(root, "README.md"), "utf8"), /\(CONTRIBUTING\.md\)/);
  });
});
