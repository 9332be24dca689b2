import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, refuseProblems } from "../shared/problems";

/** AWS Budgets cost budgets for one stack (a month's and a day's), notifying an SNS topic. */
export interface CostBudgetArgs {
  /** What the stack may cost a month, USD. */
  monthlyUsd: number;
  /**
   * What the stack may cost in one day, USD: a runaway day (Spark retrying, a flood of small files)
   * notifies the day it happens instead of when the month's forecast catches up. Budgets forecast no
   * daily budget, so only actual spend notifies. Default: no daily budget.
   */
  dailyUsd?: number;
  /**
   * The encrypted SNS topic notifications go to. Its policy must admit budgets.amazonaws.com for this
   * account, and its key policy must let Budgets use the key.
   */
  topicArn: pulumi.Input<string>;
  /**
   * The cost-allocation tag that tells this stack's costs from the rest of the account, as the stack
   * tags its resources. Default: none (the budget covers the whole account).
   */
  costAllocationTag?: { key: string; value: string };
  /** Actual spend, percent of the budget, that notifies. Default: 100. */
  actualPercent?: number;
  /** Forecast spend by the month's end, percent of the budget, that notifies. Default: 100. */
  forecastPercent?: number;
}

function withDefaults(args: CostBudgetArgs) {
  return { actualPercent: args.actualPercent ?? 100, forecastPercent: args.forecastPercent ?? 100 };
}

function argsProblems(args: CostBudgetArgs, s: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  if (!(args.monthlyUsd > 0)) problems.push({ path: ["monthlyUsd"], message: "an amount above 0 USD" });
  if (args.dailyUsd !== undefined && !(args.dailyUsd > 0))
    problems.push({ path: ["dailyUsd"], message: "an amount above 0 USD" });
  for (const key of ["actualPercent", "forecastPercent"] as const) {
    if (!(s[key] > 0 && s[key] <= 1000)) problems.push({ path: [key], message: "a percentage above 0, at most 1000" });
  }
  const tag = args.costAllocationTag;
  // Budgets' TagKeyValue filter joins key and value with `$`, so neither may contain one.
  if (tag && (!tag.key || tag.key.includes("$") || tag.value.includes("$"))) {
    problems.push({ path: ["costAllocationTag"], message: "a tag key and value without $" });
  }
  return problems;
}

/**
 * A monthly cost budget with an actual and a forecast notification to the alarm topic and, when
 * `dailyUsd` is given, a daily one with an actual notification, both scoped to the stack's
 * cost-allocation tag. Budgets without actions are free; the tag must be activated as a
 * cost-allocation tag in the payer account's Billing console before it filters anything.
 */
export class CostBudget extends pulumi.ComponentResource {
  public readonly budgetName: pulumi.Output<string>;
  public readonly dailyBudgetName?: pulumi.Output<string>;

  constructor(name: string, args: CostBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = withDefaults(args);
    refuseProblems("CostBudget", name, argsProblems(args, s));
    super("loglake:observability:CostBudget", name, {}, opts);

    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notificationType,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [args.topicArn],
    });
    const tag = args.costAllocationTag;
    const costBudget = (period: "monthly" | "daily", usd: number, notifications: ReturnType<typeof notify>[]) =>
      new aws.budgets.Budget(
        `${name}-${period}`,
        {
          name: `${name}-${period}`,
          budgetType: "COST",
          timeUnit: period === "monthly" ? "MONTHLY" : "DAILY",
          limitAmount: usd.toFixed(2),
          limitUnit: "USD",
          costFilters: tag ? [{ name: "TagKeyValue", values: [`user:${tag.key}$${tag.value}`] }] : [],
          notifications,
        },
        { parent: this },
      );
    const monthly = costBudget("monthly", args.monthlyUsd, [
      notify("ACTUAL", s.actualPercent),
      notify("FORECASTED", s.forecastPercent),
    ]);
    const daily = args.dailyUsd === undefined ? undefined : costBudget("daily", args.dailyUsd, [notify("ACTUAL", 100)]);

    this.budgetName = monthly.name;
    this.dailyBudgetName = daily?.name;
    this.registerOutputs({ budgetName: this.budgetName, dailyBudgetName: this.dailyBudgetName });
  }
}
