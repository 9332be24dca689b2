import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CostBudgetArgs } from "../../components/observability/cost-budget";
import { Environment, Problem, section } from "./common";

const percent = z.number().gt(0).max(1000);

/** The `budget` section: the stack's monthly AWS Budgets cost budget. */
export const budgetSchema = z.strictObject({
  monthlyUsd: z
    .number()
    .gt(0)
    .describe("What the stack may cost a month (USD); actual and forecast spend above it notify the alarm topic."),
  dailyUsd: z
    .number()
    .gt(0)
    .describe("What the stack may cost in one day (USD); actual spend above it notifies the alarm topic that day."),
  actualPercent: percent.describe("Actual spend this month, percent of monthlyUsd, that notifies (0 to 1000)."),
  forecastPercent: percent.describe(
    "Forecast spend by the month's end, percent of monthlyUsd, that notifies (0 to 1000).",
  ),
  costAllocationTag: z
    .string()
    .min(1)
    .describe(
      "Key of the stack's tag that scopes the budget to its costs (one of loglake:tags; activate it as a cost-allocation tag in Billing).",
    ),
});
export type BudgetSettings = z.infer<typeof budgetSchema>;

/**
 * Monthly: each stack's offline estimate (`npm run cost`, steady state) plus about a third: dev $436,
 * prod $11,828, dr $8,741. Daily: the design documents' "daily cost > $3,000" for prod, and for dr,
 * which carries prod's load after a failover; dev's is about three times its estimate's day ($15).
 */
const budgetDefaults: Record<Environment, BudgetSettings> = {
  dev: { monthlyUsd: 600, dailyUsd: 50, actualPercent: 100, forecastPercent: 100, costAllocationTag: "environment" },
  prod: {
    monthlyUsd: 15_000,
    dailyUsd: 3_000,
    actualPercent: 100,
    forecastPercent: 100,
    costAllocationTag: "environment",
  },
  dr: {
    monthlyUsd: 12_000,
    dailyUsd: 3_000,
    actualPercent: 100,
    forecastPercent: 100,
    costAllocationTag: "environment",
  },
};

/** The scoping tag must be one the stack puts on every resource, or the budget would cover nothing. */
export function budgetProblems(config: { tags: Record<string, string>; budget: BudgetSettings }): Problem[] {
  const key = config.budget.costAllocationTag;
  if (key in config.tags) return [];
  return [
    {
      path: ["budget", "costAllocationTag"],
      message: `not a tag of this stack; one of ${Object.keys(config.tags).sort().join(", ")}`,
    },
  ];
}

export const budgetSection = section({
  key: "budget",
  schema: budgetSchema,
  defaults: (e) => budgetDefaults[e],
  problems: budgetProblems,
});

/** The CostBudget's args for a stack: scoped by the value the stack gives its cost-allocation tag. */
export function budgetArgs(
  config: { tags: Record<string, string>; budget: BudgetSettings },
  deps: { alarmTopicArn: pulumi.Input<string> },
): CostBudgetArgs {
  const { monthlyUsd, dailyUsd, actualPercent, forecastPercent, costAllocationTag } = config.budget;
  return {
    monthlyUsd,
    dailyUsd,
    actualPercent,
    forecastPercent,
    topicArn: deps.alarmTopicArn,
    costAllocationTag: { key: costAllocationTag, value: config.tags[costAllocationTag] },
  };
}
