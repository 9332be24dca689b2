import { policyCases } from "../../support";

const topicArn = "arn:aws:sns:eu-west-1:123456789012:acme-alarms";
const topic = { type: "aws:sns/topic:Topic", name: "acme-alarms", props: { kmsMasterKeyId: "k" } };
const budget = (notifications: Record<string, unknown>[], budgetType = "COST") => ({
  type: "aws:budgets/budget:Budget",
  name: "acme-monthly",
  props: { budgetType, timeUnit: "MONTHLY", limitAmount: "15000.00", limitUnit: "USD", notifications },
});
const notification = (subscribers: Record<string, unknown>) => ({
  notificationType: "FORECASTED",
  comparisonOperator: "GREATER_THAN",
  threshold: 100,
  thresholdType: "PERCENTAGE",
  ...subscribers,
});

policyCases("budgets-cost-budget-in-prod", {
  compliant: {
    "a cost budget notifying the alarm topic": [topic, budget([notification({ subscriberSnsTopicArns: [topicArn] })])],
    "a cost budget notifying an email address": [
      budget([notification({ subscriberEmailAddresses: ["platform@example.com"] })]),
    ],
  },
  violations: {
    "a stack without a cost budget": { resources: [topic], offender: "acme-alarms", says: /without a cost budget/ },
    "a cost budget that notifies no one": {
      resources: [topic, budget([notification({ subscriberSnsTopicArns: [] })])],
      offender: "acme-monthly",
      says: /notifies no one/,
    },
    "only a usage budget": {
      resources: [topic, budget([notification({ subscriberSnsTopicArns: [topicArn] })], "USAGE")],
      offender: "acme-alarms",
    },
  },
});
