import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseClusterArn } from "./client-policies";

/**
 * CloudWatch alarms for one MSK cluster, sent to an SNS topic encrypted with a customer managed key.
 * Metric names and dimensions are MSK's (namespace AWS/Kafka, "Metrics for Standard brokers"): CPU,
 * disk and under-replicated partitions per broker ("Cluster Name", "Broker ID"), controller and
 * offline partitions per cluster ("Cluster Name"), consumer lag per group and topic ("Cluster Name",
 * "Consumer Group", "Topic"). All are DEFAULT-level metrics, so they exist at every monitoring level.
 */

export interface KafkaAlarmsArgs {
  clusterArn: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  brokers: number;
  /** CMK for the SNS topic; its key policy must let cloudwatch.amazonaws.com use it. */
  kmsKeyArn: pulumi.Input<string>;
  email?: string;
  /** CpuUser + CpuSystem, percent. */
  cpuPercent: number;
  /** KafkaDataLogsDiskUsed, percent. */
  diskPercent: number;
  lakeConsumer?: { group: string; topics: string[]; maxOffsetLag: number };
}

const namespace = "AWS/Kafka";

type Dimensions = Record<string, pulumi.Input<string>>;

interface AlarmSpec {
  description: string;
  /** Metrics by query id; one alone is what the alarm watches unless an expression combines them. */
  metrics: Record<string, { metricName: string; stat: string; dimensions: Dimensions }>;
  expression?: string;
  comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
  threshold: number;
  /** Period of each datapoint, seconds. */
  period: number;
  /** Consecutive breaching datapoints before the alarm fires. */
  datapoints: number;
  treatMissingData: "missing" | "notBreaching" | "breaching";
}

function metricQueries(spec: AlarmSpec): aws.types.input.cloudwatch.MetricAlarmMetricQuery[] {
  const metrics = Object.entries(spec.metrics).map(([id, m]) => ({
    id,
    returnData: spec.expression === undefined,
    metric: { namespace, metricName: m.metricName, stat: m.stat, period: spec.period, dimensions: m.dimensions },
  }));
  return spec.expression === undefined
    ? metrics
    : [...metrics, { id: "e", expression: spec.expression, label: spec.description, returnData: true }];
}

export class KafkaAlarms extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: KafkaAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("loglake:streaming:KafkaAlarms", name, {}, opts);

    const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
    const accountId = pulumi.output(args.clusterArn).apply((arn) => parseClusterArn(arn).accountId);
    new aws.sns.TopicPolicy(
      `${name}-alarms`,
      {
        arn: topic.arn,
        policy: pulumi.all([topic.arn, accountId]).apply(([arn, account]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "CloudWatchAlarmsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: arn,
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
              {
                // The stack's cost budget notifies through this topic (AWS Budgets user guide).
                Sid: "BudgetsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "budgets.amazonaws.com" },
                Action: "sns:Publish",
                Resource: arn,
                Condition: {
                  StringEquals: { "aws:SourceAccount": account },
                  ArnLike: { "aws:SourceArn": `arn:${arn.split(":")[1]}:budgets::${account}:*` },
                },
              },
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: arn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        ),
      },
      { parent: this },
    );
    if (args.email) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.email },
        { parent: this },
      );
    }

    const alarm = (suffix: string, spec: AlarmSpec) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          alarmDescription: spec.description,
          metricQueries: metricQueries(spec),
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          evaluationPeriods: spec.datapoints,
          datapointsToAlarm: spec.datapoints,
          treatMissingData: spec.treatMissingData,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
        },
        { parent: this },
      );

    const cluster: Dimensions = { "Cluster Name": args.clusterName };
    for (let broker = 1; broker <= args.brokers; broker++) {
      const dimensions: Dimensions = { ...cluster, "Broker ID": String(broker) };
      alarm(`cpu-broker-${broker}`, {
        description: `Broker ${broker}: CPU (user + system) above ${args.cpuPercent}% for 15 minutes; move partitions or use a larger broker size`,
        metrics: {
          user: { metricName: "CpuUser", stat: "Average", dimensions },
          system: { metricName: "CpuSystem", stat: "Average", dimensions },
        },
        expression: "user + system",
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.cpuPercent,
        period: 300,
        datapoints: 3,
        treatMissingData: "missing",
      });
      alarm(`disk-broker-${broker}`, {
        description: `Broker ${broker}: data log disk above ${args.diskPercent}%; raise the storage ceiling or shorten retention`,
        metrics: { disk: { metricName: "KafkaDataLogsDiskUsed", stat: "Maximum", dimensions } },
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.diskPercent,
        period: 300,
        datapoints: 2,
        treatMissingData: "missing",
      });
      // MSK patches one broker at a time and its partitions catch up within minutes, hence 15.
      alarm(`under-replicated-broker-${broker}`, {
        description: `Broker ${broker}: under-replicated partitions for 15 minutes outside a short patch window`,
        metrics: { urp: { metricName: "UnderReplicatedPartitions", stat: "Maximum", dimensions } },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        period: 300,
        datapoints: 3,
        treatMissingData: "missing",
      });
    }

    alarm("offline-partitions", {
      description: "Partitions without a leader: producers and consumers of them are failing",
      metrics: { offline: { metricName: "OfflinePartitionsCount", stat: "Maximum", dimensions: cluster } },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      period: 60,
      datapoints: 1,
      treatMissingData: "missing",
    });
    // Every broker reports 1 if it is the active controller, 0 otherwise, under the cluster dimension:
    // the per-minute Sum is the number of active controllers. An election takes seconds, so five
    // minutes away from exactly one is a real fault; no data at all means the cluster is not reporting.
    alarm("active-controller", {
      description:
        "Not exactly one active controller for 5 minutes (none: metadata changes fail; several: split brain)",
      metrics: { controllers: { metricName: "ActiveControllerCount", stat: "Sum", dimensions: cluster } },
      expression: "ABS(controllers - 1)",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      period: 60,
      datapoints: 5,
      treatMissingData: "breaching",
    });
    // SumOffsetLag, the backlog over all partitions, is what delays data reaching the lake; it keeps
    // its meaning when partitions are added, where MaxOffsetLag's threshold would have to shrink.
    const consumer = args.lakeConsumer;
    if (consumer) {
      for (const topicName of consumer.topics) {
        alarm(`lag-${topicName}`, {
          description: `Consumer group ${consumer.group} is more than ${consumer.maxOffsetLag} records behind on ${topicName} for 15 minutes`,
          metrics: {
            lag: {
              metricName: "SumOffsetLag",
              stat: "Maximum",
              dimensions: { ...cluster, "Consumer Group": consumer.group, Topic: topicName },
            },
          },
          comparisonOperator: "GreaterThanThreshold",
          threshold: consumer.maxOffsetLag,
          period: 300,
          datapoints: 3,
          // MSK emits lag only for STABLE or EMPTY groups; a rebalance is not an outage.
          treatMissingData: "notBreaching",
        });
      }
    }

    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
