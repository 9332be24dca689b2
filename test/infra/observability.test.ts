/** The stacks' dashboards, budgets and job alarms, as the three plans hold them. */
import * as assert from "node:assert/strict";
import { billingNamespace } from "../../components/observability/pipeline-dashboard";
import type { RegisteredResource } from "../../infra/offline/engine";
import { type DashboardBody, metricsOf } from "../support/dashboard";
import { plannedStack } from "../support/plans";

type Plan = Awaited<ReturnType<typeof plannedStack>>;
const plans: Record<string, Plan> = {};
const stacks = ["dev", "prod", "dr"];
const of = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);

/** The name AWS knows a resource by under the mocks: its name input, or a name derived from the logical name. */
const physicalNames = (r: RegisteredResource) => [String(r.inputs.name ?? r.name), String(r.inputs.clusterName ?? "")];

/** Which resource type each AWS dimension names. */
const dimensionTypes: Record<string, string> = {
  QueueName: "aws:sqs/queue:Queue",
  FunctionName: "aws:lambda/function:Function",
  TableName: "aws:dynamodb/table:Table",
  "Cluster Name": "aws:msk/cluster:Cluster",
};

describe("observability of the shipped stacks", () => {
  before(async () => {
    for (const stack of stacks) plans[stack] = await plannedStack(stack);
  });

  it("draws on each stack's dashboard only metrics of that stack's own resources and namespace", () => {
    for (const stack of stacks) {
      const plan = plans[stack];
      const [dashboard] = of(plan, "aws:cloudwatch/dashboard:Dashboard");
      assert.ok(dashboard, `${stack}: a dashboard`);
      const prefix = String(dashboard.inputs.dashboardName).replace(/-pipeline$/, "");
      for (const metric of metricsOf(JSON.parse(dashboard.inputs.dashboardBody as string) as DashboardBody)) {
        // The account's estimated charges, the one metric no stack resource is behind.
        if (metric.namespace === billingNamespace) continue;
        if (!metric.namespace.startsWith("AWS/")) {
          assert.equal(metric.namespace, `loglake/${prefix}`, `${stack}: ${metric.widget}`);
          continue;
        }
        for (const [dimension, value] of Object.entries(metric.dimensions)) {
          if (dimension === "Broker ID") continue;
          const candidates = of(plan, dimensionTypes[dimension]);
          assert.ok(
            candidates.some((r) => physicalNames(r).includes(value) || value.startsWith(`${r.name}-`)),
            `${stack}: "${metric.widget}" shows ${metric.metricName} of ${dimension} ${value}, not a resource of the stack`,
          );
        }
      }
    }
  });

  it("budgets every stack's month and day, scoped by its environment tag, notifying its alarm topic", () => {
    for (const stack of stacks) {
      const budgets = of(plans[stack], "aws:budgets/budget:Budget");
      assert.deepEqual(
        budgets.map((b) => b.inputs.timeUnit).sort(),
        ["DAILY", "MONTHLY"],
        `${stack}: a monthly and a daily budget`,
      );
      // The topic every CloudWatch alarm of the stack notifies.
      const [jobFailures] = of(plans[stack], "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
        a.name.endsWith("-job-failures"),
      );
      for (const budget of budgets) {
        assert.deepEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: [`user:environment$${stack}`] }]);
        const notifications = budget.inputs.notifications as {
          notificationType: string;
          subscriberSnsTopicArns: string[];
        }[];
        assert.deepEqual(
          notifications.map((n) => n.notificationType),
          budget.inputs.timeUnit === "DAILY" ? ["ACTUAL"] : ["ACTUAL", "FORECASTED"],
        );
        for (const n of notifications) assert.deepEqual(n.subscriberSnsTopicArns, jobFailures.inputs.alarmActions);
      }
    }
    // The design documents' alarm: daily cost above $3,000.
    assert.deepEqual(
      Object.fromEntries(
        of(plans.prod, "aws:budgets/budget:Budget").map((b) => [b.inputs.timeUnit, b.inputs.limitAmount]),
      ),
      { MONTHLY: "15000.00", DAILY: "3000.00" },
    );
  });

  it("alarms on each stack's job failures and p95 latency with the design documents' thresholds", () => {
    for (const stack of stacks) {
      const alarms = of(plans[stack], "aws:cloudwatch/metricAlarm:MetricAlarm");
      const failures = alarms.find((a) => a.name.endsWith("-job-failures"));
      const latency = alarms.find((a) => a.name.endsWith("-upload-to-commit-p95"));
      assert.deepEqual([failures?.inputs.threshold, latency?.inputs.threshold], [10, 1800], stack);
    }
  });
});
