import * as assert from "node:assert/strict";
import { CostBudget, CostBudgetArgs } from "../../../components/observability/cost-budget";
import { Registered, registered } from "../../support/offline";

const BUDGET = "aws:budgets/budget:Budget";
const topicArn = "arn:aws:sns:eu-west-1:123456789012:acme-alarms";
const baseArgs: CostBudgetArgs = {
  monthlyUsd: 15_000,
  topicArn,
  costAllocationTag: { key: "environment", value: "prod" },
};

interface Notification {
  notificationType: string;
  comparisonOperator: string;
  threshold: number;
  thresholdType: string;
  subscriberSnsTopicArns: string[];
}

describe("CostBudget", () => {
  let resources: Registered;
  before(async () => {
    ({ resources } = await registered(() => new CostBudget("acme", baseArgs)));
  });

  it("budgets the stack's cost a month in USD, only its cost-allocation tag's spend", () => {
    const budget = resources.get(BUDGET, "acme-monthly").inputs;
    assert.deepEqual(
      [budget.budgetType, budget.timeUnit, budget.limitAmount, budget.limitUnit],
      ["COST", "MONTHLY", "15000.00", "USD"],
    );
    assert.deepEqual(budget.costFilters, [{ name: "TagKeyValue", values: ["user:environment$prod"] }]);
  });

  it("notifies the alarm topic on actual and on forecast spend above the whole budget by default", () => {
    const notifications = resources.get(BUDGET, "acme-monthly").inputs.notifications as Notification[];
    assert.deepEqual(
      notifications.map((n) => [n.notificationType, n.comparisonOperator, n.threshold, n.thresholdType]),
      [
        ["ACTUAL", "GREATER_THAN", 100, "PERCENTAGE"],
        ["FORECASTED", "GREATER_THAN", 100, "PERCENTAGE"],
      ],
    );
    for (const n of notifications) assert.deepEqual(n.subscriberSnsTopicArns, [topicArn]);
  });

  it("has no daily budget unless a day's amount is given", () => {
    assert.deepEqual(
      resources.ofType(BUDGET).map((b) => b.name),
      ["acme-monthly"],
    );
  });

  it("budgets a day's cost too when given, notifying on actual spend only (Budgets forecasts no day)", async () => {
    const { resources: withDaily } = await registered(() => new CostBudget("acme", { ...baseArgs, dailyUsd: 3_000 }));
    const daily = withDaily.get(BUDGET, "acme-daily").inputs;
    assert.deepEqual(
      [daily.name, daily.budgetType, daily.timeUnit, daily.limitAmount, daily.limitUnit],
      ["acme-daily", "COST", "DAILY", "3000.00", "USD"],
    );
    assert.deepEqual(daily.costFilters, [{ name: "TagKeyValue", values: ["user:environment$prod"] }]);
    const notifications = daily.notifications as Notification[];
    assert.deepEqual(
      notifications.map((n) => [n.notificationType, n.comparisonOperator, n.threshold, n.subscriberSnsTopicArns]),
      [["ACTUAL", "GREATER_THAN", 100, [topicArn]]],
    );
  });

  it("covers the whole account when the stack has no cost-allocation tag", async () => {
    const { resources: untagged } = await registered(
      () => new CostBudget("acme", { monthlyUsd: 500, topicArn, actualPercent: 80 }),
    );
    const budget = untagged.get(BUDGET, "acme-monthly").inputs;
    assert.deepEqual(budget.costFilters, []);
    assert.equal((budget.notifications as Notification[])[0].threshold, 80);
  });

  it("refuses an amount, percentages and a tag Budgets would refuse, naming each", () => {
    assert.throws(
      () =>
        new CostBudget("acme", {
          monthlyUsd: 0,
          dailyUsd: -1,
          topicArn,
          forecastPercent: 0,
          costAllocationTag: { key: "cost$center", value: "x" },
        }),
      (error: Error) =>
        /^CostBudget acme: invalid args:/.test(error.message) &&
        /monthlyUsd: an amount above 0 USD/.test(error.message) &&
        /dailyUsd: an amount above 0 USD/.test(error.message) &&
        /forecastPercent: a percentage above 0, at most 1000/.test(error.message) &&
        /costAllocationTag: a tag key and value without \$/.test(error.message),
    );
  });
});
