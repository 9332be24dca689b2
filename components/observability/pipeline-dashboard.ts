import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { jobRunsMetric, uploadToCommitMetric } from "../../runtime/jobstate/deployment";
import { Problem, refuseProblems } from "../shared/problems";

/** The pipeline resources the dashboard shows, by the names CloudWatch's dimensions use. */
export interface PipelineResources {
  /** The raw bucket's notification queue: one message per raw object. */
  rawCreatedQueue: string;
  manifestQueue: string;
  /** Dead-letter queues, by the label the dashboard gives them. */
  deadLetterQueues: Record<string, string>;
  builderFunction: string;
  /** The pipeline's other functions (dispatcher, job state), by label. */
  functions: Record<string, string>;
  trackingTable: string;
  /** The stack's custom metrics (job runs, upload-to-commit latency). */
  metricNamespace: string;
  kafkaCluster: { name: string; brokers: number };
}

export interface PipelineDashboardArgs {
  region: pulumi.Input<string>;
  resources: pulumi.Input<PipelineResources>;
  /** Seconds each datapoint covers. Default: 300. */
  periodSeconds?: number;
  /** Upload-to-table latency drawn as the target line, seconds. Default: 1800 (the design's 30 minutes). */
  latencyTargetSeconds?: number;
}

type Metric = (string | { label?: string; stat?: string })[];
interface Widget {
  type: "metric";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown> & { title: string; metrics: Metric[] };
}

/** Where CloudWatch keeps the account's billing metric. */
export const billingNamespace = "AWS/Billing";
export const billingRegion = "us-east-1";

/** EMR's run states as the job-state function counts them. */
const runStates = ["SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

/**
 * The dashboard body (CloudWatch's dashboard body structure): the design documents' critical
 * metrics, from raw objects in to committed tables, every metric naming a resource of the stack.
 */
export function pipelineDashboardBody(
  region: string,
  r: PipelineResources,
  options: { periodSeconds: number; latencyTargetSeconds: number },
): { widgets: Widget[] } {
  /** Metrics of one AWS namespace whose one dimension names the resource. */
  const of =
    (namespace: string, dimension: string) =>
    (metricName: string, resource: string, label: string): Metric => [
      namespace,
      metricName,
      dimension,
      resource,
      { label },
    ];
  const sqs = of("AWS/SQS", "QueueName");
  const lambda = of("AWS/Lambda", "FunctionName");
  const dynamodb = of("AWS/DynamoDB", "TableName");
  /** The raw notifications' queue and the manifests' queue, side by side. */
  const bothQueues = (metricName: string, rawLabel: string, manifestLabel: string) => [
    sqs(metricName, r.rawCreatedQueue, rawLabel),
    sqs(metricName, r.manifestQueue, manifestLabel),
  ];
  const panels: [string, string, Metric[], Record<string, unknown>?][] = [
    [
      "Raw objects in, manifests out",
      "Sum",
      bothQueues("NumberOfMessagesSent", "raw objects (S3 notifications)", "manifests announced"),
    ],
    [
      "Queue depth",
      "Maximum",
      bothQueues("ApproximateNumberOfMessagesVisible", "raw notifications waiting", "manifests waiting"),
    ],
    [
      "Oldest message age (s)",
      "Maximum",
      bothQueues("ApproximateAgeOfOldestMessage", "raw notifications", "manifests"),
    ],
    [
      "Manifest builder",
      "Sum",
      [
        lambda("Invocations", r.builderFunction, "invocations"),
        lambda("Errors", r.builderFunction, "errors"),
        lambda("Throttles", r.builderFunction, "throttles"),
      ],
    ],
    [
      "Job runs by state",
      "Sum",
      runStates.map((state) => [
        r.metricNamespace,
        jobRunsMetric.name,
        jobRunsMetric.stateDimension,
        state,
        { label: state },
      ]),
    ],
    [
      "Upload-to-table latency (s)",
      "p95",
      [
        [r.metricNamespace, uploadToCommitMetric.name, { label: "p50", stat: "p50" }],
        [r.metricNamespace, uploadToCommitMetric.name, { label: "p95", stat: "p95" }],
        [r.metricNamespace, uploadToCommitMetric.name, { label: "max", stat: "Maximum" }],
      ],
      { annotations: { horizontal: [{ label: "target", value: options.latencyTargetSeconds }] } },
    ],
    [
      "Dead-letter queues",
      "Maximum",
      Object.entries(r.deadLetterQueues).map(([label, queue]) =>
        sqs("ApproximateNumberOfMessagesVisible", queue, label),
      ),
    ],
    [
      "Lambda errors and throttles",
      "Sum",
      Object.entries(r.functions).flatMap(([label, fn]) => [
        lambda("Errors", fn, `${label} errors`),
        lambda("Throttles", fn, `${label} throttles`),
      ]),
    ],
    [
      "Tracking table throttles",
      "Sum",
      ["ReadThrottleEvents", "WriteThrottleEvents"].map((m) => dynamodb(m, r.trackingTable, m)),
    ],
    [
      "MSK bytes in per broker",
      "Average",
      Array.from({ length: r.kafkaCluster.brokers }, (_, i) => [
        "AWS/Kafka",
        "BytesInPerSec",
        "Cluster Name",
        r.kafkaCluster.name,
        "Broker ID",
        String(i + 1),
        { label: `broker ${i + 1}` },
      ]),
    ],
    // Billing publishes only in us-east-1, for the whole account, a few times a day, and only once
    // billing alerts are on in the account's billing preferences; the per-stack figure is the budget's.
    [
      "Estimated charges this month (account, USD)",
      "Maximum",
      [[billingNamespace, "EstimatedCharges", "Currency", "USD", { label: "estimated charges" }]],
      { region: billingRegion, period: 6 * 3600 },
    ],
  ];
  return {
    widgets: panels.map(([title, stat, metrics, extra], i) => ({
      type: "metric",
      // Two columns of the 24-unit grid.
      x: (i % 2) * 12,
      y: Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: {
        title,
        region,
        view: "timeSeries",
        stacked: false,
        period: options.periodSeconds,
        stat,
        metrics,
        ...extra,
      },
    })),
  };
}

/** A CloudWatch dashboard of one stack's pipeline. */
export class PipelineDashboard extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: PipelineDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    const options = {
      periodSeconds: args.periodSeconds ?? 300,
      latencyTargetSeconds: args.latencyTargetSeconds ?? 1800,
    };
    const problems: Problem[] = [];
    // CloudWatch aggregates metrics at 60 s and beyond; the console's periods are multiples of it.
    if (!Number.isInteger(options.periodSeconds) || options.periodSeconds < 60 || options.periodSeconds % 60 !== 0) {
      problems.push({ path: ["periodSeconds"], message: "a whole number of minutes in seconds (60, 300, …)" });
    }
    if (!(options.latencyTargetSeconds > 0)) problems.push({ path: ["latencyTargetSeconds"], message: "above 0" });
    refuseProblems("PipelineDashboard", name, problems);
    super("loglake:observability:PipelineDashboard", name, {}, opts);

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-pipeline`,
      {
        dashboardName: `${name}-pipeline`,
        dashboardBody: pulumi
          .all([args.region, args.resources])
          .apply(([region, resources]) =>
            JSON.stringify(pipelineDashboardBody(region, resources as PipelineResources, options)),
          ),
      },
      { parent: this },
    );
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
