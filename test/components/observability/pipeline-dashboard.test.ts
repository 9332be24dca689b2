import * as assert from "node:assert/strict";
import {
  billingNamespace,
  billingRegion,
  PipelineDashboard,
  pipelineDashboardBody,
  PipelineResources,
} from "../../../components/observability/pipeline-dashboard";
import { type DashboardBody, metricsOf } from "../../support/dashboard";
import { Registered, registered } from "../../support/offline";

const stackResources: PipelineResources = {
  rawCreatedQueue: "acme-raw-created",
  manifestQueue: "acme-manifests",
  deadLetterQueues: {
    "raw notifications": "acme-raw-created-dlq",
    manifests: "acme-manifests-dlq",
    "hourly flush": "acme-flush-failures",
    "dispatch and job state": "acme-dispatch-failures",
  },
  builderFunction: "acme-manifest-builder",
  functions: { dispatcher: "acme-spark-dispatcher", "job state": "acme-spark-job-state" },
  trackingTable: "acme-tracking-1a2b3c4",
  metricNamespace: "loglake/acme",
  kafkaCluster: { name: "acme-kafka", brokers: 3 },
};

describe("PipelineDashboard", () => {
  let resources: Registered;
  before(async () => {
    ({ resources } = await registered(
      () => new PipelineDashboard("acme", { region: "eu-west-1", resources: stackResources }),
    ));
  });

  it("shows the pipeline from raw objects in to committed tables, MSK and every dead-letter queue", () => {
    const body = pipelineDashboardBody("eu-west-1", stackResources, { periodSeconds: 300, latencyTargetSeconds: 1800 });
    assert.deepEqual(
      body.widgets.map((w) => w.properties.title),
      [
        "Raw objects in, manifests out",
        "Queue depth",
        "Oldest message age (s)",
        "Manifest builder",
        "Job runs by state",
        "Upload-to-table latency (s)",
        "Dead-letter queues",
        "Lambda errors and throttles",
        "Tracking table throttles",
        "MSK bytes in per broker",
        "Estimated charges this month (account, USD)",
      ],
    );
    const dlqs = metricsOf(body).filter((m) => m.widget === "Dead-letter queues");
    assert.deepEqual(
      dlqs.map((m) => m.dimensions.QueueName),
      Object.values(stackResources.deadLetterQueues),
    );
  });

  it("names only this stack's resources and namespace in every metric", () => {
    const dashboard = resources.get("aws:cloudwatch/dashboard:Dashboard", "acme-pipeline");
    assert.equal(dashboard.inputs.dashboardName, "acme-pipeline");
    const body = JSON.parse(dashboard.inputs.dashboardBody as string) as DashboardBody;
    const names = new Set([
      stackResources.rawCreatedQueue,
      stackResources.manifestQueue,
      ...Object.values(stackResources.deadLetterQueues),
      stackResources.builderFunction,
      ...Object.values(stackResources.functions),
      stackResources.trackingTable,
      stackResources.kafkaCluster.name,
    ]);
    for (const metric of metricsOf(body)) {
      if (metric.namespace === billingNamespace) {
        assert.deepEqual([metric.metricName, metric.dimensions], ["EstimatedCharges", { Currency: "USD" }]);
      } else if (metric.namespace.startsWith("AWS/")) {
        const [resource] = Object.entries(metric.dimensions).filter(([key]) => key !== "Broker ID");
        assert.ok(names.has(resource[1]), `${metric.widget}: ${metric.metricName} names ${resource[1]}`);
      } else {
        assert.equal(metric.namespace, "loglake/acme", metric.widget);
      }
    }
    const [billing, ...stackWidgets] = [...body.widgets].reverse();
    assert.ok(stackWidgets.every((w) => w.properties.region === "eu-west-1" && w.properties.period === 300));
    // CloudWatch has the account's billing metric only in us-east-1.
    assert.deepEqual([billing.properties.region, billing.properties.period], [billingRegion, 21600]);
  });

  it("counts job runs in every state EMR reports and draws the latency target", () => {
    const body = pipelineDashboardBody("eu-west-1", stackResources, { periodSeconds: 60, latencyTargetSeconds: 900 });
    const states = metricsOf(body).filter((m) => m.metricName === "JobRuns");
    assert.deepEqual(
      states.map((m) => m.dimensions.State),
      ["SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"],
    );
    const latency = body.widgets.find((w) => w.properties.title.startsWith("Upload-to-table"))!;
    assert.deepEqual(latency.properties.annotations, { horizontal: [{ label: "target", value: 900 }] });
    const brokers = metricsOf(body).filter((m) => m.namespace === "AWS/Kafka");
    assert.deepEqual(
      brokers.map((m) => m.dimensions["Broker ID"]),
      ["1", "2", "3"],
    );
  });

  it("refuses a period CloudWatch does not aggregate at, naming it", () => {
    assert.throws(
      () => new PipelineDashboard("acme", { region: "eu-west-1", resources: stackResources, periodSeconds: 90 }),
      (error: Error) =>
        /^PipelineDashboard acme: invalid args:/.test(error.message) &&
        /periodSeconds: a whole number of minutes/.test(error.message),
    );
  });
});
