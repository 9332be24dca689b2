import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import {
  KafkaCluster,
  KafkaClusterArgs,
  KafkaClusterError,
  subnetsAsCounted,
} from "../../../components/streaming/kafka-cluster";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, present, Registered, registered } from "../../support/offline";

const region = "eu-west-1";
const key = (id: string) => `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${id}`;
const streamingKey = key("11111111-1111-1111-1111-111111111111");
const logsKey = key("22222222-2222-2222-2222-222222222222");

const subnets = ["subnet-0aaa1111aaaa1111a", "subnet-0bbb2222bbbb2222b", "subnet-0ccc3333cccc3333c"];
const baseArgs: KafkaClusterArgs = {
  vpcId: "vpc-0abc12345def67890",
  subnetIds: subnets,
  clusterName: "loglake-kafka",
  iamTopicPrefix: "logs.",
  iamGroupPrefix: "loglake-",
  topics: [
    { name: "logs.raw", partitions: 24, replicationFactor: 3, retentionMs: 604_800_000 },
    { name: "logs.dead-letter", partitions: 3, replicationFactor: 3, retentionMs: 1_209_600_000 },
  ],
  lakeConsumer: { group: "loglake-lake-writer", topics: ["logs.raw"] },
  clientSecurityGroupIds: { "eks-nodes": "sg-0eks0000000000000", "consumer-lambda": "sg-0lam0000000000000" },
  monitoringSecurityGroupIds: { prometheus: "sg-0pro0000000000000" },
  kmsKeyArn: streamingKey,
  brokerLogs: { bucket: "loglake-access-logs", kmsKeyArn: logsKey },
  alarms: { kmsKeyArn: logsKey },
};

const T = {
  cluster: "aws:msk/cluster:Cluster",
  configuration: "aws:msk/configuration:Configuration",
  topic: "aws:msk/topic:Topic",
  clusterPolicy: "aws:msk/clusterPolicy:ClusterPolicy",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  target: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  iamPolicy: "aws:iam/policy:Policy",
  snsTopic: "aws:sns/topic:Topic",
  snsPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const build = (args: KafkaClusterArgs) =>
  registered(() => new KafkaCluster("kafka", args), { mocks: { defaultRegion: region } });

/** The server.properties of the cluster's configuration as key → value. */
function serverProperties(resources: Registered): Record<string, string> {
  const text = resources.get(T.configuration, "kafka-config").inputs.serverProperties as string;
  return Object.fromEntries(text.split("\n").map((line) => line.split("=") as [string, string]));
}

interface Query {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; stat: string; dimensions: Record<string, string> };
}
/** The MSK cluster's inputs as registered: its Args with the outputs resolved. */
type MskInputs = pulumi.Unwrap<aws.msk.ClusterArgs>;

const queries = (alarm: RegisteredResource) => alarm.inputs.metricQueries as Query[];
const metricsOf = (alarm: RegisteredResource) =>
  queries(alarm)
    .filter((q) => q.metric)
    .map((q) => ({
      namespace: q.metric!.namespace,
      name: q.metric!.metricName,
      stat: q.metric!.stat,
      dimensions: q.metric!.dimensions,
    }));
const watched = (alarm: RegisteredResource) => queries(alarm).filter((q) => q.returnData);

describe("KafkaCluster", () => {
  let resources: Registered;
  let cluster: KafkaCluster;
  let inputs: MskInputs;

  before(async () => {
    ({ resources, result: cluster } = await build(baseArgs));
    inputs = resources.get(T.cluster, "kafka").inputs as MskInputs;
  });

  describe("secure defaults", () => {
    it("authenticates clients with SASL/IAM only: no SCRAM, no mTLS, no unauthenticated access", () => {
      assert.deepEqual(inputs.clientAuthentication, { sasl: { iam: true, scram: false }, unauthenticated: false });
    });

    it("encrypts client and inter-broker traffic with TLS and storage with the streaming CMK", () => {
      assert.deepEqual(inputs.encryptionInfo, {
        encryptionAtRestKmsKeyArn: streamingKey,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      });
    });

    it("places one broker per private subnet with public access off", () => {
      const group = inputs.brokerNodeGroupInfo;
      assert.deepEqual(group.clientSubnets, subnets);
      assert.equal(inputs.numberOfBrokerNodes, 3);
      assert.equal(inputs.kafkaVersion, "3.8.x");
      assert.equal(group.instanceType, "kafka.m7g.large");
      assert.deepEqual(group.connectivityInfo, { publicAccess: { type: "DISABLED" } });
      assert.deepEqual(group.storageInfo, { ebsStorageInfo: { volumeSize: 100 } });
    });

    it("lets storage auto scaling own the volume size, so the next update does not try to shrink it", () => {
      assert.deepEqual(resources.get(T.cluster, "kafka").options.ignoreChanges, [
        "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize",
      ]);
    });

    it("admits only the client security groups on 9098 and Prometheus scrapers on 11001-11002; no CIDR, no egress", () => {
      const sg = resources.get(T.securityGroup, "kafka-brokers");
      assert.equal(sg.inputs.vpcId, baseArgs.vpcId);
      assert.equal(sg.inputs.ingress, undefined, "inline ingress rules");
      assert.equal(sg.inputs.egress, undefined, "inline egress rules");
      assert.deepEqual(resources.ofType(T.egress), []);
      const rules = resources.ofType(T.ingress).map((r) => ({
        name: r.name,
        source: r.inputs.referencedSecurityGroupId,
        ports: [r.inputs.fromPort, r.inputs.toPort],
        protocol: r.inputs.ipProtocol,
        cidr: r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? r.inputs.prefixListId,
      }));
      assert.deepEqual(
        rules.sort((a, b) => a.name.localeCompare(b.name)),
        [
          {
            name: "kafka-kafka-iam-from-consumer-lambda",
            source: "sg-0lam0000000000000",
            ports: [9098, 9098],
            protocol: "tcp",
            cidr: undefined,
          },
          {
            name: "kafka-kafka-iam-from-eks-nodes",
            source: "sg-0eks0000000000000",
            ports: [9098, 9098],
            protocol: "tcp",
            cidr: undefined,
          },
          {
            name: "kafka-prometheus-from-prometheus",
            source: "sg-0pro0000000000000",
            ports: [11001, 11002],
            protocol: "tcp",
            cidr: undefined,
          },
        ],
      );
      const sgId = resources.ofType(T.ingress).map((r) => r.inputs.securityGroupId);
      assert.ok(
        sgId.every((id) => id === sgId[0] && String(id).startsWith("sg-")),
        `rules on other groups: ${sgId}`,
      );
    });

    it("sends broker logs to the log bucket and to a log group encrypted with the logs key", () => {
      const logGroup = resources.get(T.logGroup, "kafka-broker-logs");
      assert.equal(logGroup.inputs.kmsKeyId, logsKey);
      assert.equal(logGroup.inputs.retentionInDays, 90);
      assert.match(logGroup.inputs.namePrefix as string, /^\/aws\/vendedlogs\//);
      assert.deepEqual(present(inputs.loggingInfo, "loggingInfo").brokerLogs, {
        cloudwatchLogs: { enabled: true, logGroup: "kafka-broker-logs" },
        s3: { enabled: true, bucket: "loglake-access-logs", prefix: "msk-broker-logs/" },
        firehose: { enabled: false },
      });
    });

    it("monitors per broker and exposes JMX and node exporters to Prometheus", () => {
      assert.equal(inputs.enhancedMonitoring, "PER_BROKER");
      assert.deepEqual(inputs.openMonitoring, {
        prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
      });
    });

    it("runs the brokers on a configuration for the cluster's Kafka version with safe server properties", () => {
      const configuration = resources.get(T.configuration, "kafka-config");
      assert.deepEqual(configuration.inputs.kafkaVersions, ["3.8.x"]);
      assert.deepEqual(serverProperties(resources), {
        "auto.create.topics.enable": "false",
        "default.replication.factor": "3",
        "min.insync.replicas": "2",
        "unclean.leader.election.enable": "false",
        "log.retention.hours": "168",
      });
      assert.deepEqual(inputs.configurationInfo, {
        arn: `arn:aws:kafka:${region}:${MOCK_ACCOUNT_ID}:configuration/kafka-config/${String(present(inputs.configurationInfo, "configurationInfo").arn).split("/").pop()}`,
        revision: 1,
      });
    });

    it("grows broker storage on utilisation up to the ceiling, never shrinking it", () => {
      const target = resources.get(T.target, "kafka-storage");
      assert.equal(target.inputs.serviceNamespace, "kafka");
      assert.equal(target.inputs.scalableDimension, "kafka:broker-storage:VolumeSize");
      assert.match(target.inputs.resourceId as string, /^arn:aws:kafka:eu-west-1:\d{12}:cluster\/loglake-kafka\//);
      assert.equal(target.inputs.minCapacity, 100);
      assert.equal(target.inputs.maxCapacity, 400);
      const policy = resources.get(T.scalingPolicy, "kafka-storage");
      assert.equal(policy.inputs.policyType, "TargetTrackingScaling");
      assert.deepEqual(policy.inputs.targetTrackingScalingPolicyConfiguration, {
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        targetValue: 60,
        disableScaleIn: true,
      });
    });

    it("manages the declared topics with their partitions, replicas and retention", () => {
      const topics = resources.ofType(T.topic).map((t) => ({
        name: t.inputs.name,
        partitions: t.inputs.partitionCount,
        replicas: t.inputs.replicationFactor,
        configs: JSON.parse(t.inputs.configs as string),
        cluster: t.inputs.clusterArn,
      }));
      const clusterArn = topics[0].cluster;
      assert.deepEqual(topics, [
        {
          name: "logs.raw",
          partitions: 24,
          replicas: 3,
          configs: { "retention.ms": "604800000" },
          cluster: clusterArn,
        },
        {
          name: "logs.dead-letter",
          partitions: 3,
          replicas: 3,
          configs: { "retention.ms": "1209600000" },
          cluster: clusterArn,
        },
      ]);
    });

    it("creates no multi-VPC connectivity or cluster policy unless asked", () => {
      assert.equal(present(inputs.brokerNodeGroupInfo.connectivityInfo, "connectivityInfo").vpcConnectivity, undefined);
      assert.deepEqual(resources.ofType(T.clusterPolicy), []);
    });
  });

  describe("client IAM policies", () => {
    let clusterArn: string;
    let scope: string;
    before(async () => {
      clusterArn = await valueOf(cluster.clusterArn);
      const [, name, uuid] = /cluster\/([^/]+)\/([^/]+)$/.exec(clusterArn)!;
      scope = `${name}/${uuid}`;
      assert.equal(name, "loglake-kafka");
    });

    const statements = (name: string) =>
      policyOf(resources.get(T.iamPolicy, name)).Statement as { Action: string[]; Resource: string }[];

    for (const role of ["producer", "consumer"]) {
      it(`${role}: names every action (no wildcards) and only this cluster's name and UUID`, () => {
        for (const statement of statements(`kafka-${role}`)) {
          for (const action of statement.Action) assert.doesNotMatch(action, /\*/);
          const resource = statement.Resource;
          const expected = [
            clusterArn,
            `arn:aws:kafka:${region}:${MOCK_ACCOUNT_ID}:topic/${scope}/logs.*`,
            `arn:aws:kafka:${region}:${MOCK_ACCOUNT_ID}:group/${scope}/loglake-*`,
          ];
          assert.ok(expected.includes(resource), `${role} reaches ${resource}`);
        }
      });
    }

    it("lets producers write topics under the prefix and consumers read them in their groups", () => {
      const actionsOn = (name: string) =>
        Object.fromEntries(statements(name).map((s) => [s.Resource.replace(/^.*:(\w+)\/.*$/, "$1"), s.Action]));
      assert.deepEqual(actionsOn("kafka-producer"), {
        // The runtime finds the brokers from the cluster ARN (GetBootstrapBrokers) before connecting.
        cluster: ["kafka:GetBootstrapBrokers", "kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
        topic: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      });
      assert.deepEqual(actionsOn("kafka-consumer"), {
        cluster: ["kafka:GetBootstrapBrokers", "kafka-cluster:Connect"],
        topic: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        group: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
      });
    });
  });

  describe("alarms", () => {
    const alarm = (name: string) => resources.get(T.alarm, `kafka-${name}`);
    const brokerDimensions = (id: string) => ({ "Broker ID": id, "Cluster Name": "loglake-kafka" });

    it("notify an SNS topic encrypted with the given CMK that only this account's CloudWatch and Budgets may publish to, over TLS", () => {
      const topic = resources.get(T.snsTopic, "kafka-alarms");
      assert.equal(topic.inputs.kmsMasterKeyId, logsKey);
      const policy = policyOf(resources.get(T.snsPolicy, "kafka-alarms"));
      assert.deepEqual(
        policy.Statement.map((s) => [s.Effect, s.Principal, s.Condition]),
        [
          [
            "Allow",
            { Service: "cloudwatch.amazonaws.com" },
            { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
          ],
          [
            "Allow",
            { Service: "budgets.amazonaws.com" },
            {
              StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
              ArnLike: { "aws:SourceArn": `arn:aws:budgets::${MOCK_ACCOUNT_ID}:*` },
            },
          ],
          ["Deny", "*", { Bool: { "aws:SecureTransport": "false" } }],
        ],
      );
      const alarms = resources.ofType(T.alarm);
      assert.ok(alarms.length > 0);
      for (const a of alarms)
        assert.deepEqual(a.inputs.alarmActions, [`arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:kafka-alarms`], a.name);
      assert.deepEqual(resources.ofType(T.subscription), [], "mail subscription without an address");
    });

    it("watch each broker's CPU as user + system above 80%", () => {
      for (const id of ["1", "2", "3"]) {
        const cpu = alarm(`cpu-broker-${id}`);
        assert.deepEqual(metricsOf(cpu), [
          { namespace: "AWS/Kafka", name: "CpuUser", stat: "Average", dimensions: brokerDimensions(id) },
          { namespace: "AWS/Kafka", name: "CpuSystem", stat: "Average", dimensions: brokerDimensions(id) },
        ]);
        assert.deepEqual(
          watched(cpu).map((q) => q.expression),
          ["user + system"],
        );
        assert.equal(cpu.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(cpu.inputs.threshold, 80);
      }
    });

    it("watch each broker's data disk above 80% and its under-replicated partitions above 0", () => {
      for (const id of ["1", "2", "3"]) {
        assert.deepEqual(metricsOf(alarm(`disk-broker-${id}`)), [
          { namespace: "AWS/Kafka", name: "KafkaDataLogsDiskUsed", stat: "Maximum", dimensions: brokerDimensions(id) },
        ]);
        assert.equal(alarm(`disk-broker-${id}`).inputs.threshold, 80);
        assert.deepEqual(metricsOf(alarm(`under-replicated-broker-${id}`)), [
          {
            namespace: "AWS/Kafka",
            name: "UnderReplicatedPartitions",
            stat: "Maximum",
            dimensions: brokerDimensions(id),
          },
        ]);
        assert.equal(alarm(`under-replicated-broker-${id}`).inputs.threshold, 0);
      }
      assert.throws(() => alarm("cpu-broker-4"), /no .* named kafka-cpu-broker-4/);
    });

    it("watch offline partitions above 0 and the active controller count summed over brokers being anything but 1", () => {
      const cluster = { "Cluster Name": "loglake-kafka" };
      assert.deepEqual(metricsOf(alarm("offline-partitions")), [
        { namespace: "AWS/Kafka", name: "OfflinePartitionsCount", stat: "Maximum", dimensions: cluster },
      ]);
      assert.equal(alarm("offline-partitions").inputs.threshold, 0);
      const controller = alarm("active-controller");
      assert.deepEqual(metricsOf(controller), [
        { namespace: "AWS/Kafka", name: "ActiveControllerCount", stat: "Sum", dimensions: cluster },
      ]);
      assert.deepEqual(
        watched(controller).map((q) => q.expression),
        ["ABS(controllers - 1)"],
      );
      assert.equal(controller.inputs.comparisonOperator, "GreaterThanThreshold");
      assert.equal(controller.inputs.threshold, 0);
      assert.equal(controller.inputs.treatMissingData, "breaching");
    });

    it("watch the lake consumer group's total lag on the topics it reads above 10000 records", () => {
      const lag = alarm("lag-logs.raw");
      assert.deepEqual(metricsOf(lag), [
        {
          namespace: "AWS/Kafka",
          name: "SumOffsetLag",
          stat: "Maximum",
          dimensions: { "Cluster Name": "loglake-kafka", "Consumer Group": "loglake-lake-writer", Topic: "logs.raw" },
        },
      ]);
      assert.equal(lag.inputs.threshold, 10000);
      assert.equal(lag.inputs.treatMissingData, "notBreaching");
      assert.throws(() => alarm("lag-logs.dead-letter"), /no .* named/);
    });
  });

  it("exports the cluster's ARN, name, IAM bootstrap brokers, security group, policies, topics and alarm topic", async () => {
    const outputs = await valueOf(
      pulumi.output({
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        bootstrapBrokersIam: cluster.bootstrapBrokersIam,
        securityGroupId: cluster.securityGroupId,
        producerPolicyArn: cluster.producerPolicyArn,
        consumerPolicyArn: cluster.consumerPolicyArn,
        topicNames: cluster.topicNames,
        alarmTopicArn: cluster.alarmTopicArn,
      }),
    );
    assert.match(outputs.clusterArn, /^arn:aws:kafka:eu-west-1:123456789012:cluster\/loglake-kafka\/[0-9a-f-]+$/);
    assert.equal(outputs.clusterName, "loglake-kafka");
    assert.deepEqual(
      outputs.bootstrapBrokersIam.split(",").map((b) => b.split(":")[1]),
      ["9098", "9098", "9098"],
    );
    assert.match(outputs.securityGroupId, /^sg-/);
    assert.match(outputs.producerPolicyArn, /^arn:aws:iam::123456789012:policy\//);
    assert.match(outputs.consumerPolicyArn, /^arn:aws:iam::123456789012:policy\//);
    assert.deepEqual(outputs.topicNames, ["logs.raw", "logs.dead-letter"]);
    assert.match(outputs.alarmTopicArn, /^arn:aws:sns:eu-west-1:/);
    const component = resources.ofType("loglake:streaming:KafkaCluster");
    assert.equal(component.length, 1);
  });

  describe("options", () => {
    it("with two brokers, replicates 2-fold by default and accepts min.insync.replicas 1", async () => {
      const { resources } = await build({
        ...baseArgs,
        subnetIds: subnets.slice(0, 2),
        brokerInstanceType: "kafka.t3.small",
        minInsyncReplicas: 1,
        topics: [{ name: "logs.raw", partitions: 6, replicationFactor: 2, retentionMs: 86_400_000 }],
      });
      assert.equal(resources.get(T.cluster, "kafka").inputs.numberOfBrokerNodes, 2);
      const properties = serverProperties(resources);
      assert.equal(properties["default.replication.factor"], "2");
      assert.equal(properties["min.insync.replicas"], "1");
      assert.equal(resources.ofType(T.alarm).filter((a) => a.name.startsWith("kafka-cpu-broker-")).length, 2);
    });

    it("turns on multi-VPC connectivity with IAM and lets listed accounts connect and produce", async () => {
      const { resources } = await build({
        ...baseArgs,
        multiVpc: { accountIds: ["210987654321"] },
        enhancedMonitoring: "PER_TOPIC_PER_BROKER",
        alarms: { kmsKeyArn: logsKey, email: "oncall@example.com" },
      });
      const cluster = resources.get(T.cluster, "kafka").inputs as MskInputs;
      assert.deepEqual(present(cluster.brokerNodeGroupInfo.connectivityInfo, "connectivityInfo").vpcConnectivity, {
        clientAuthentication: { sasl: { iam: true, scram: false }, tls: false },
      });
      assert.equal(cluster.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
      const policy = policyOf(resources.get(T.clusterPolicy, "kafka-cross-account"));
      assert.deepEqual(
        policy.Statement.map((s) => s.Principal),
        [{ AWS: ["arn:aws:iam::210987654321:root"] }, { AWS: ["arn:aws:iam::210987654321:root"] }],
      );
      const subscription = resources.get(T.subscription, "kafka-alarms-email");
      assert.deepEqual([subscription.inputs.protocol, subscription.inputs.endpoint], ["email", "oncall@example.com"]);
    });

    it("can leave storage auto scaling out, and then manages the volume size itself", async () => {
      const { resources } = await build({ ...baseArgs, storageAutoScaling: false });
      assert.deepEqual(resources.ofType(T.target), []);
      assert.deepEqual(resources.ofType(T.scalingPolicy), []);
      assert.deepEqual(resources.get(T.cluster, "kafka").options.ignoreChanges, []);
    });

    it("needs the subnet count when the subnets are an Output", async () => {
      const subnetIds = pulumi.output(subnets);
      assert.throws(
        () => new KafkaCluster("kafka", { ...baseArgs, subnetIds }),
        /subnetCount: required when subnetIds is not a plain array/,
      );
      const { resources } = await build({ ...baseArgs, subnetIds, subnetCount: 3, brokers: 6 });
      assert.equal(resources.get(T.cluster, "kafka").inputs.numberOfBrokerNodes, 6);
    });

    it("fails the deployment when the subnets turn out not to be as many as subnetCount said", () => {
      assert.deepEqual(subnetsAsCounted("kafka", subnets, 3), subnets);
      assert.throws(
        () => subnetsAsCounted("kafka", subnets, 2),
        /KafkaCluster kafka: invalid args:\n {2}subnetIds: 3 subnets, but subnetCount is 2/,
      );
    });
  });

  describe("validation, before anything is registered", () => {
    const refuse = (args: Partial<KafkaClusterArgs>, message: RegExp) => {
      assert.throws(
        () => new KafkaCluster("refused", { ...baseArgs, ...args }),
        (error: unknown) => error instanceof KafkaClusterError && message.test(error.message),
      );
    };

    it("refuses a broker count that is not a multiple of the subnets", () => {
      refuse(
        { brokers: 4 },
        /KafkaCluster refused: invalid args:\n {2}brokers: 4 brokers cannot be spread evenly over 3 AZs/,
      );
    });

    it("refuses more than three subnets", () => {
      refuse(
        { subnetIds: [...subnets, "subnet-0ddd4444dddd4444d"], brokers: 4 },
        /subnetIds: MSK places brokers in 2 or 3 subnets/,
      );
    });

    it("refuses a Kafka version MSK does not support", () => {
      refuse({ kafkaVersion: "3.5.1" }, /kafkaVersion: MSK creates Standard-broker clusters on/);
    });

    it("refuses a topic with more replicas than brokers", () => {
      refuse(
        { topics: [{ name: "logs.raw", partitions: 3, replicationFactor: 4, retentionMs: 1 }] },
        /topics\[0\]\.replicationFactor: logs\.raw asks for 4 replicas but the cluster has 3 brokers/,
      );
    });

    it("refuses more partitions than the broker size should carry", () => {
      refuse(
        { topics: [{ name: "logs.raw", partitions: 1000, replicationFactor: 3, retentionMs: 1 }] },
        /topics: the topics put 1050 partition replicas .* AWS recommends at most 1000 per kafka\.m7g\.large/,
      );
    });

    it("refuses multi-VPC connectivity on t3 brokers, an unusable storage target and no clients at all", () => {
      refuse(
        { brokerInstanceType: "kafka.t3.small", multiVpc: {} },
        /multiVpc: MSK multi-VPC connectivity does not support kafka\.t3\.small/,
      );
      refuse(
        { storageTargetUtilization: 90 },
        /storageTargetUtilization: MSK accepts a storage utilisation target from 10 to 80/,
      );
      refuse({ clientSecurityGroupIds: {} }, /clientSecurityGroupIds: at least one client security group/);
      refuse({ clusterName: "loglake_kafka" }, /clusterName: 1 to 64 letters, digits and -/);
    });
  });
});
