import * as assert from "node:assert/strict";
import { PackInfo } from "../../../policies/gate/analyzer";
import { PackConfigError, resolvePackConfig } from "../../../policies/gate/pack-config";

const pack: PackInfo = {
  name: "loglake-security",
  version: "0.1.0",
  policies: [
    { name: "s3-bucket-versioning", description: "d", enforcementLevel: "mandatory", kind: "stack" },
    {
      name: "rds-backup-retention",
      description: "d",
      enforcementLevel: "mandatory",
      kind: "resource",
      configSchema: {
        properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } },
        required: [],
      },
    },
  ],
};

describe("resolvePackConfig", () => {
  it("keeps each policy's own level and fills schema defaults when there is no config", () => {
    assert.deepEqual(resolvePackConfig(pack), {
      "s3-bucket-versioning": { enforcementLevel: "mandatory", properties: {} },
      "rds-backup-retention": { enforcementLevel: "mandatory", properties: { minimumDays: 7 } },
    });
  });

  it('applies "all", then the policy\'s own entry, as the Pulumi CLI does', () => {
    const settings = resolvePackConfig(pack, {
      all: "advisory",
      "rds-backup-retention": { enforcementLevel: "mandatory", minimumDays: 14 },
    });
    assert.equal(settings["s3-bucket-versioning"].enforcementLevel, "advisory");
    assert.deepEqual(settings["rds-backup-retention"], {
      enforcementLevel: "mandatory",
      properties: { minimumDays: 14 },
    });
  });

  it("refuses values the policy's schema does not allow, naming the policy and property", () => {
    assert.throws(
      () => resolvePackConfig(pack, { "rds-backup-retention": { minimumDays: 90 } }),
      (e: Error) => e instanceof PackConfigError && /rds-backup-retention\.minimumDays: must be <= 35/.test(e.message),
    );
    assert.throws(
      () => resolvePackConfig(pack, { "rds-backup-retention": { minDays: 3 } }),
      /additional properties \(minDays\)/,
    );
    assert.throws(() => resolvePackConfig(pack, { "s3-bucket-versioning": { days: 3 } }), /takes no configuration/);
  });

  it("refuses unknown policy names and levels, so a typo cannot leave a policy at its default", () => {
    assert.throws(
      () => resolvePackConfig(pack, { "s3-versioning": "advisory" }),
      /"s3-versioning" is not a policy of loglake-security/,
    );
    assert.throws(
      () => resolvePackConfig(pack, { "s3-bucket-versioning": "warn" as never }),
      /"warn" is not one of advisory, mandatory, remediate, disabled/,
    );
  });
});
