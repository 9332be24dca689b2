import * as assert from "node:assert/strict";
import { KafkaAlarms, KafkaAlarmsArgs } from "../../../components/streaming/kafka-alarms";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { policyOf, Registered, registered } from "../../support/offline";

const CLUSTER_ARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/loglake-events/1a2b3c4d-5e6f";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/logs";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const baseArgs: KafkaAlarmsArgs = {
  clusterArn: CLUSTER_ARN,
  clusterName: "loglake-events",
  brokers: 3,
  kmsKeyArn: KEY_ARN,
  cpuPercent: 60,
  diskPercent: 85,
};

interface Query {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; stat: string; period: number; dimensions: Record<string, string> };
}

const queries = (alarm: RegisteredResource) => alarm.inputs.metricQueries as Query[];
const alarmNames = (resources: Registered) =>
  resources
    .ofType(ALARM)
    .map((a) => a.name)
    .sort();

async function run(args: Partial<KafkaAlarmsArgs> = {}) {
  return registered(() => new KafkaAlarms("kafka", { ...baseArgs, ...args }));
}

describe("KafkaAlarms", () => {
  let resources: Registered;
  let alarms: KafkaAlarms;

  before(async () => {
    ({ resources, result: alarms } = await run());
  });

  it("alarms per broker on CPU, disk and under-replicated partitions, and per cluster on leadership", () => {
    assert.deepEqual(
      alarmNames(resources),
      [
        "kafka-active-controller",
        ...[1, 2, 3].flatMap((b) => [`kafka-cpu-broker-${b}`, `kafka-disk-broker-${b}`]),
        "kafka-offline-partitions",
        ...[1, 2, 3].map((b) => `kafka-under-replicated-broker-${b}`),
      ].sort(),
    );
  });

  it("sends every alarm and its recovery to the topic, encrypted with the given key", async () => {
    const topic = resources.get("aws:sns/topic:Topic", "kafka-alarms");
    assert.equal(topic.inputs.kmsMasterKeyId, KEY_ARN);
    const topicArn = await valueOf(alarms.topicArn);
    for (const alarm of resources.ofType(ALARM)) {
      assert.deepEqual(alarm.inputs.alarmActions, [topicArn], alarm.name);
      assert.deepEqual(alarm.inputs.okActions, [topicArn], alarm.name);
      assert.equal(alarm.inputs.evaluationPeriods, alarm.inputs.datapointsToAlarm, alarm.name);
    }
  });

  it("lets only CloudWatch alarms and Budgets of the cluster's account publish, and only over TLS", () => {
    const policy = policyOf(resources.get("aws:sns/topicPolicy:TopicPolicy", "kafka-alarms"));
    const [publish, budgets, tls] = policy.Statement;
    assert.deepEqual(publish.Principal, { Service: "cloudwatch.amazonaws.com" });
    assert.equal(publish.Action, "sns:Publish");
    assert.deepEqual(publish.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    assert.deepEqual(budgets.Principal, { Service: "budgets.amazonaws.com" });
    assert.equal(budgets.Action, "sns:Publish");
    assert.deepEqual(budgets.Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:budgets::123456789012:*" },
    });
    assert.equal(tls.Effect, "Deny");
    assert.deepEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.equal(policy.Statement.length, 3);
  });

  it("adds CPU user and system of one broker and compares the sum with the threshold", () => {
    const cpu = resources.get(ALARM, "kafka-cpu-broker-2");
    assert.equal(cpu.inputs.threshold, 60);
    assert.equal(cpu.inputs.comparisonOperator, "GreaterThanThreshold");
    assert.equal(cpu.inputs.evaluationPeriods, 3);
    const q = queries(cpu);
    assert.deepEqual(
      q.filter((x) => x.metric).map((x) => [x.id, x.metric!.metricName, x.returnData]),
      [
        ["user", "CpuUser", false],
        ["system", "CpuSystem", false],
      ],
    );
    assert.deepEqual(
      q.find((x) => x.expression),
      { id: "e", expression: "user + system", label: cpu.inputs.alarmDescription, returnData: true },
    );
    for (const m of q.filter((x) => x.metric).map((x) => x.metric!)) {
      assert.equal(m.namespace, "AWS/Kafka");
      assert.equal(m.period, 300);
      assert.deepEqual(m.dimensions, { "Cluster Name": "loglake-events", "Broker ID": "2" });
    }
  });

  it("watches the data log disk at the given percentage, and any under-replicated partition", () => {
    const disk = resources.get(ALARM, "kafka-disk-broker-1");
    assert.equal(disk.inputs.threshold, 85);
    assert.deepEqual(
      queries(disk).map((x) => [x.metric?.metricName, x.metric?.stat, x.returnData]),
      [["KafkaDataLogsDiskUsed", "Maximum", true]],
    );
    const urp = resources.get(ALARM, "kafka-under-replicated-broker-3");
    assert.equal(urp.inputs.threshold, 0);
    assert.equal(queries(urp)[0].metric?.metricName, "UnderReplicatedPartitions");
  });

  it("treats a silent cluster as a controller fault, and fires on any offline partition within a minute", () => {
    const controller = resources.get(ALARM, "kafka-active-controller");
    assert.equal(controller.inputs.treatMissingData, "breaching");
    assert.equal(queries(controller).find((x) => x.expression)?.expression, "ABS(controllers - 1)");
    assert.deepEqual(queries(controller)[0].metric?.dimensions, { "Cluster Name": "loglake-events" });
    const offline = resources.get(ALARM, "kafka-offline-partitions");
    assert.equal(offline.inputs.threshold, 0);
    assert.equal(offline.inputs.evaluationPeriods, 1);
    assert.equal(queries(offline)[0].metric?.period, 60);
  });

  it("subscribes no one unless given an email", () => {
    assert.deepEqual(resources.ofType("aws:sns/topicSubscription:TopicSubscription"), []);
  });

  it("subscribes the email and alarms on the lake consumer's lag per topic, quiet during rebalances", async () => {
    const { resources: withConsumer } = await run({
      brokers: 1,
      email: "oncall@example.com",
      lakeConsumer: { group: "loglake-sink", topics: ["logs.app", "logs.audit"], maxOffsetLag: 50000 },
    });
    const subscription = withConsumer.get("aws:sns/topicSubscription:TopicSubscription", "kafka-alarms-email");
    assert.deepEqual([subscription.inputs.protocol, subscription.inputs.endpoint], ["email", "oncall@example.com"]);
    for (const topic of ["logs.app", "logs.audit"]) {
      const lag = withConsumer.get(ALARM, `kafka-lag-${topic}`);
      assert.equal(lag.inputs.threshold, 50000);
      assert.equal(lag.inputs.treatMissingData, "notBreaching");
      assert.deepEqual(queries(lag)[0].metric, {
        namespace: "AWS/Kafka",
        metricName: "SumOffsetLag",
        stat: "Maximum",
        period: 300,
        dimensions: { "Cluster Name": "loglake-events", "Consumer Group": "loglake-sink", Topic: topic },
      });
    }
    assert.equal(withConsumer.ofType(ALARM).length, 3 + 2 + 2, "one broker's three, two cluster-wide, two lag");
  });
});
