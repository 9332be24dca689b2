import * as assert from "node:assert/strict";
import { parseConfig } from "../../../infra/config";
import { budgetArgs, budgetSection } from "../../../infra/settings/budget";
import { environments } from "../../../infra/settings/common";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (budget: Record<string, unknown>) =>
  parseConfig("dev", { ...required, prefix: "acme", region: "eu-west-1", budget });

describe("budget settings", () => {
  it("accepts every environment's defaults, prod's above its cost estimate", () => {
    for (const environment of environments) {
      assert.ok(budgetSection.schema.safeParse(budgetSection.defaults(environment, undefined)).success, environment);
    }
    assert.ok(budgetSection.defaults("prod", undefined).monthlyUsd! > 11_828, "prod's steady-state estimate");
    // The design documents' alarm: daily cost above $3,000.
    assert.equal(budgetSection.defaults("prod", undefined).dailyUsd, 3_000);
  });

  it("refuses an amount, a percentage or a scoping tag the stack does not have, naming key and value", () => {
    assert.throws(
      () => stackConfig({ monthlyUsd: 0, dailyUsd: -5, forecastPercent: 2000 }),
      (error: Error) =>
        /loglake:budget\.monthlyUsd = 0: /.test(error.message) &&
        /loglake:budget\.dailyUsd = -5: /.test(error.message) &&
        /loglake:budget\.forecastPercent = 2000: /.test(error.message),
    );
    assert.throws(
      () => stackConfig({ costAllocationTag: "team" }),
      /loglake:budget\.costAllocationTag = "team": not a tag of this stack; one of cost-center, data-classification, environment, owner/,
    );
  });

  it("scopes the budget by the stack's own value of the tag and notifies the alarm topic", () => {
    const alarmTopicArn = "arn:aws:sns:eu-west-1:123456789012:acme-alarms";
    const args = budgetArgs(stackConfig({ costAllocationTag: "cost-center", actualPercent: 80 }), { alarmTopicArn });
    assert.deepEqual(args, {
      monthlyUsd: 600,
      dailyUsd: 50,
      actualPercent: 80,
      forecastPercent: 100,
      topicArn: alarmTopicArn,
      costAllocationTag: { key: "cost-center", value: "cc-1" },
    });
  });
});
