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
 * Each stack's offline estimate (`npm run cost`, steady state) plus about a third: dev $428, prod
 * $11,001, dr $8,735. The design documents' "daily cost > $3,000" (about $91,000 a month) would
 * notify only at eight times prod's estimate.
 */
const budgetDefaults: Record<Environment, BudgetSettings> = {
  dev: { monthlyUsd: 600, actualPercent: 100, forecastPercent: 100, costAllocationTag: "environment" },
  prod: { monthlyUsd: 15_000, actualPercent: 100, forecastPercent: 100, costAllocationTag: "environment" },
  dr: { monthlyUsd: 12_000, actualPercent: 100, forecastPercent: 100, costAllocationTag: "environment" },
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
  const { monthlyUsd, actualPercent, forecastPercent, costAllocationTag } = config.budget;
  return {
    monthlyUsd,
    actualPercent,
    forecastPercent,
    topicArn: deps.alarmTopicArn,
    costAllocationTag: { key: costAllocationTag, value: config.tags[costAllocationTag] },
  };
}
