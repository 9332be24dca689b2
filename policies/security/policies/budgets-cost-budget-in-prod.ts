import { stackPolicy } from "../lib/define";
import { BUDGET, SNS_TOPIC } from "../lib/types";

interface Notification {
  subscriberSnsTopicArns?: unknown[];
  subscriberEmailAddresses?: unknown[];
}

/** A notification someone receives: an SNS topic or an email address subscribed to it. */
const notifiesSomeone = (n: Notification) =>
  (n.subscriberSnsTopicArns?.length ?? 0) > 0 || (n.subscriberEmailAddresses?.length ?? 0) > 0;

export const budgetsCostBudgetInProd = stackPolicy({
  name: "budgets-cost-budget-in-prod",
  description:
    "A production stack has an AWS Budgets cost budget with at least one notification that reaches a subscriber, so a runaway cost is noticed before the invoice (advisory in dev and dr).",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    const budgets = resources.filter((r) => r.type === BUDGET && r.props.budgetType === "COST");
    const notifying = budgets.filter((b) => ((b.props.notifications ?? []) as Notification[]).some(notifiesSomeone));
    if (notifying.length > 0) return;
    for (const budget of budgets) {
      report(budget, "notifies no one.", "add an ACTUAL or FORECASTED notification to the stack's alarm topic.");
    }
    if (budgets.length > 0) return;
    // Nothing to point at: the alarm topic is where the budget's notifications belong.
    const anchor = resources.find((r) => r.type === SNS_TOPIC) ?? resources[0];
    if (anchor) {
      report(
        anchor,
        "belongs to a stack without a cost budget.",
        "deploy the CostBudget component (loglake:budget.monthlyUsd) with notifications to the alarm topic.",
      );
    }
  },
});
