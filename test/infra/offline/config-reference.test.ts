import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { configReference, readmeWithReference } from "../../../infra/offline/config-reference";

describe("README's config reference", () => {
  it("is the one generated from the config schema (run npm run docs after changing config)", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    assert.equal(readme, readmeWithReference(readme));
  });

  it("documents every top-level key with its per-environment default", () => {
    const reference = configReference();
    for (const key of ["prefix", "region", "network.azCount", "lake.replication.enabled", "protectStatefulResources"]) {
      assert.match(reference, new RegExp(`\\| \`loglake:${key.replace(".", "\\.")}\` \\|`), key);
    }
    assert.match(reference, /\| `loglake:network\.azCount` \| integer 2–6 \| `2` \| `3` \| `3` \|/);
  });
});
