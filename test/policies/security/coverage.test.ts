import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolvePackConfig } from "../../../policies/gate/pack-config";
import { PACK_DIR, securityPack } from "../support";

describe("loglake-security pack", () => {
  it("has a mirrored spec with accepted and refused cases for every policy it serves, and no spec without a policy", async () => {
    const pack = await (await securityPack()).info();
    // policies/security/policies/<name>.ts is tested by test/policies/security/policies/<name>.test.ts.
    const specDir = path.join(__dirname, "policies");
    const specs = new Map(
      fs
        .readdirSync(specDir)
        .filter((f) => f.endsWith(".test.ts"))
        .map((f) => [f.replace(/\.test\.ts$/, ""), fs.readFileSync(path.join(specDir, f), "utf8")]),
    );
    const names = pack.policies.map((p) => p.name);
    assert.deepEqual(
      names.filter((name) => !specs.has(name)),
      [],
      "policies without a mirrored test file test/policies/security/policies/<name>.test.ts",
    );
    assert.deepEqual(
      names.filter((name) => specs.has(name) && !specs.get(name)!.includes(`policyCases("${name}"`)),
      [],
      "mirrored test files without a policyCases spec of their policy",
    );
    assert.deepEqual(
      [...specs.keys()].filter((name) => !names.includes(name)),
      [],
      "test files in test/policies/security/policies/ for no policy of the pack",
    );
    assert.deepEqual(
      fs.readdirSync(__dirname).filter((f) => f.endsWith(".test.ts") && f !== "coverage.test.ts"),
      [],
      "policy specs outside test/policies/security/policies/ (one file per policy, named like it)",
    );
  });

  it("names every policy <service>-<check> after its file and describes it", async () => {
    const pack = await (await securityPack()).info();
    const files = fs
      .readdirSync(path.join(__dirname, "..", "..", "..", "policies", "security", "policies"))
      .map((f) => f.replace(/\.ts$/, ""));
    assert.deepEqual(pack.policies.map((p) => p.name).sort(), files.sort(), "one policy per file, named like the file");
    for (const p of pack.policies) {
      assert.match(p.name, /^[a-z0-9]+-[a-z0-9-]+$/);
      assert.ok(p.description.length > 20, `${p.name} has no real description`);
    }
  });

  it("documents every policy in the project README's policy table", async () => {
    const pack = await (await securityPack()).info();
    const readme = fs.readFileSync(path.join(PACK_DIR, "../../README.md"), "utf8");
    assert.deepEqual(
      pack.policies.map((p) => p.name).filter((name) => !readme.includes(`| \`${name}\` |`)),
      [],
      "policies missing from README.md",
    );
  });

  it("ships per-stack configs the pack accepts: resilience advisory in dev, mandatory in prod and dr", async () => {
    const pack = await (await securityPack()).info();
    const levels = (stack: string) => {
      const settings = resolvePackConfig(
        pack,
        JSON.parse(fs.readFileSync(path.join(PACK_DIR, `config.${stack}.json`), "utf8")),
      );
      return (policy: string) => settings[policy].enforcementLevel;
    };
    const resilience = [
      "s3-bucket-versioning",
      "s3-bucket-lifecycle",
      "rds-backup-retention",
      "rds-deletion-protection",
      "msk-multi-az",
      "cloudwatch-log-group-retention",
      "tags-required",
    ];
    for (const policy of resilience) {
      assert.equal(levels("dev")(policy), "advisory", `dev: ${policy}`);
      assert.equal(levels("prod")(policy), "mandatory", `prod: ${policy}`);
      assert.equal(levels("dr")(policy), "mandatory", `dr: ${policy}`);
    }
    // Secret rotation (issue 8): longer than 90 days is advisory in dev, mandatory in prod and dr.
    assert.equal(levels("dev")("secretsmanager-secret-rotation-interval"), "advisory");
    assert.equal(levels("prod")("secretsmanager-secret-rotation-interval"), "mandatory");
    assert.equal(levels("dr")("secretsmanager-secret-rotation-interval"), "mandatory");
    // The DR metastore is a single-AZ standby until it is promoted.
    assert.equal(levels("dr")("rds-multi-az"), "advisory");
    assert.equal(levels("prod")("s3-bucket-kms-encryption"), "mandatory");
    assert.equal(levels("dev")("s3-bucket-kms-encryption"), "mandatory", "security policies stay mandatory in dev");
  });
});
