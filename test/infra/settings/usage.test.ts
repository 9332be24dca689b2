import * as assert from "node:assert/strict";
import { parseConfig } from "../../../infra/config";
import { environments } from "../../../infra/settings/common";
import { usageSection } from "../../../infra/settings/usage";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (usage: Record<string, unknown>) =>
  parseConfig("dev", { ...required, prefix: "acme", region: "eu-west-1", usage });

describe("usage settings", () => {
  it("accepts every environment's defaults, and a stack that sets none gets its environment's", () => {
    for (const environment of environments) {
      assert.ok(usageSection.schema.safeParse(usageSection.defaults(environment, undefined)).success, environment);
    }
    assert.equal(stackConfig({}).usage.gbIngestedPerDay, 20);
  });

  it("merges a stack's keys over the defaults", () => {
    const usage = stackConfig({ gbIngestedPerDay: 500, spotShare: 0.5 }).usage;
    assert.equal(usage.gbIngestedPerDay, 500);
    assert.equal(usage.spotShare, 0.5);
    assert.equal(usage.retentionDays, 90);
  });

  it("refuses impossible usage, naming key and value", () => {
    assert.throws(
      () => stackConfig({ gbIngestedPerDay: -1, spotShare: 1.5, parquetRatio: 0, retentionDays: 5000 }),
      (error: Error) => {
        assert.match(error.message, /loglake:usage\.gbIngestedPerDay = -1: /);
        assert.match(error.message, /loglake:usage\.spotShare = 1\.5: /);
        assert.match(error.message, /loglake:usage\.parquetRatio = 0: /);
        assert.match(error.message, /loglake:usage\.retentionDays = 5000: /);
        return true;
      },
    );
    assert.throws(() => stackConfig({ gbPerDay: 1 }), /loglake:usage\.gbPerDay = 1: not a setting loglake knows/);
    assert.throws(
      () => stackConfig({ endpointGbPerDay: -2, imageGbPerRepository: -0.5 }),
      (error: Error) =>
        /loglake:usage\.endpointGbPerDay = -2: /.test(error.message) &&
        /loglake:usage\.imageGbPerRepository = -0\.5: /.test(error.message),
    );
    assert.equal(stackConfig({ endpointGbPerDay: 0 }).usage.endpointGbPerDay, 0);
  });
});
