import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KafkaCluster } from "../../../components/streaming/kafka-cluster";
import { valueOf } from "../../../infra/offline/engine";
import { Environment, environments } from "../../../infra/settings/common";
import {
  kafkaArgs,
  KafkaConfigView,
  kafkaDefaults,
  KafkaDeps,
  kafkaProblems,
  kafkaSchema,
  KafkaSettings,
  mskSubnetCount,
} from "../../../infra/settings/kafka";
import { networkSchema, networkSection, NetworkSettings } from "../../../infra/settings/network";
import { registered } from "../../support/offline";

const network = (environment: Environment): NetworkSettings =>
  networkSchema.parse(networkSection.defaults(environment, undefined));
const existingVpc = (subnets: number): NetworkSettings => ({
  mode: "existing",
  vpcId: "vpc-0abc12345def67890",
  privateSubnetIds: Array.from({ length: subnets }, (_, i) => `subnet-0abc1234def5678${i}`),
  interfaceEndpoints: true,
  flowLogRetentionDays: 365,
});

/** The environment's defaults with `change` over them (top-level keys replace, like a stack file's arrays). */
const section = (environment: Environment, change: Partial<KafkaSettings> = {}): unknown => ({
  ...kafkaDefaults[environment],
  ...change,
});
const parsed = (value: unknown): KafkaSettings => kafkaSchema.parse(value);

function assertRefused(value: unknown, path: string, message: RegExp): void {
  const result = kafkaSchema.safeParse(value);
  assert.ok(!result.success, `accepted: ${JSON.stringify(value)}`);
  const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  assert.ok(
    lines.some((line) => line.startsWith(`${path}:`) && message.test(line)),
    `expected a refusal of ${path} matching ${message}, got:\n  ${lines.join("\n  ")}`,
  );
}

const view = (
  environment: Environment,
  kafka: KafkaSettings,
  net = network(environment),
  region = "eu-west-1",
): KafkaConfigView => ({
  prefix: `loglake-${environment}`,
  region,
  network: net,
  kafka,
});

describe("kafka settings", () => {
  it("accepts every environment's defaults, which fit that environment's network", () => {
    for (const environment of environments) {
      const kafka = parsed(section(environment));
      assert.deepEqual(kafkaProblems(view(environment, kafka)), [], environment);
    }
  });

  it("starts every environment on MSK's recommended Kafka with the lake topic, IAM prefixes and a lag alarm", () => {
    for (const environment of environments) {
      const kafka = parsed(section(environment));
      assert.equal(kafka.kafkaVersion, "3.8.x", environment);
      assert.deepEqual(
        kafka.topics.map((t) => t.name),
        ["logs.raw"],
        environment,
      );
      assert.deepEqual([kafka.iamTopicPrefix, kafka.iamGroupPrefix], ["logs.", "loglake-"], environment);
      assert.deepEqual(
        kafka.lakeConsumer,
        { group: "loglake-lake-writer", topics: ["logs.raw"], maxOffsetLag: 10000 },
        environment,
      );
    }
  });

  it("gives dev two small brokers over two AZs, 2 replicas with min.insync.replicas 1, and no multi-VPC", () => {
    const dev = parsed(section("dev"));
    assert.equal(dev.brokerInstanceType, "kafka.t3.small");
    assert.equal(dev.brokers, 2);
    assert.equal(mskSubnetCount(view("dev", dev)), 2);
    assert.equal(dev.minInsyncReplicas, 1);
    assert.equal(dev.topics[0].replicationFactor, 2);
    assert.ok(dev.ebsVolumeSizeGiB <= 20);
    assert.equal(dev.enhancedMonitoring, "PER_BROKER");
    assert.equal(dev.multiVpc.enabled, false);
  });

  it("gives prod one m7g.large per AZ, 3 replicas with min.insync.replicas 2, per-topic metrics and multi-VPC", () => {
    const prod = parsed(section("prod"));
    assert.equal(prod.brokerInstanceType, "kafka.m7g.large");
    assert.equal(prod.brokers, mskSubnetCount(view("prod", prod)));
    assert.equal(prod.brokers, 3);
    assert.equal(prod.minInsyncReplicas, 2);
    assert.equal(prod.topics[0].replicationFactor, 3);
    assert.equal(prod.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
    assert.equal(prod.multiVpc.enabled, true);
    assert.equal(prod.brokerLogRetentionDays, 365);
  });

  it("keeps dr a smaller standby that can take prod's topics unchanged and scale up by config", () => {
    const dr = parsed(section("dr"));
    const prod = parsed(section("prod"));
    assert.deepEqual(dr.topics, prod.topics);
    assert.equal(dr.brokerInstanceType, prod.brokerInstanceType);
    assert.ok(dr.ebsVolumeSizeGiB < prod.ebsVolumeSizeGiB);
    assert.equal(dr.enhancedMonitoring, "PER_BROKER");
    const scaled = parsed(section("dr", { brokers: 6, brokerInstanceType: "kafka.m7g.xlarge" }));
    assert.deepEqual(kafkaProblems(view("dr", scaled)), []);
  });

  describe("refusals", () => {
    it("refuses a Kafka version MSK does not support", () => {
      assertRefused(section("prod", { kafkaVersion: "3.7.x" as never }), "kafkaVersion", /3\.8\.x/);
    });

    it("refuses a topic with more replicas than brokers", () => {
      const topics = [{ name: "logs.raw", partitions: 6, replicationFactor: 3, retentionMs: 86_400_000 }];
      assertRefused(
        section("dev", { topics }),
        "topics.0.replicationFactor",
        /asks for 3 replicas but the cluster has 2 brokers/,
      );
    });

    it("refuses more partitions than the brokers should carry", () => {
      const topics = [{ name: "logs.raw", partitions: 300, replicationFactor: 2, retentionMs: 86_400_000 }];
      assertRefused(section("dev", { topics }), "topics", /AWS recommends at most 300 per kafka\.t3\.small/);
    });

    it("refuses min.insync.replicas that equals the replica count", () => {
      assertRefused(
        section("dev", { minInsyncReplicas: 2 }),
        "minInsyncReplicas",
        /below the default replication factor \(2 with 2 brokers\)/,
      );
    });

    it("refuses multi-VPC connectivity on t3 brokers, and accounts without it", () => {
      assertRefused(
        section("dev", { multiVpc: { enabled: true, accountIds: [] } }),
        "multiVpc",
        /does not support kafka\.t3\.small/,
      );
      assertRefused(
        section("dr", { multiVpc: { enabled: false, accountIds: ["210987654321"] } }),
        "multiVpc.accountIds",
        /only with multiVpc\.enabled/,
      );
      assertRefused(
        section("prod", { multiVpc: { enabled: true, accountIds: ["2109876543"] } }),
        "multiVpc.accountIds.0",
        /12-digit/,
      );
    });

    it("refuses a lake consumer reading an undeclared topic, unknown keys and a malformed alarm address", () => {
      assertRefused(
        section("prod", { lakeConsumer: { group: "loglake-w", topics: ["logs.other"], maxOffsetLag: 1 } }),
        "lakeConsumer.topics.0",
        /not a declared topic/,
      );
      assertRefused({ ...(section("prod") as object), brokersPerAz: 1 }, "", /brokersPerAz|Unrecognized/);
      assertRefused(section("prod", { alarmEmail: "oncall" }), "alarmEmail", /email/i);
    });
  });

  describe("across sections", () => {
    it("refuses a broker count that does not fill the network's AZs evenly", () => {
      const dev = parsed(section("dev", { brokers: 3 }));
      assert.deepEqual(kafkaProblems(view("dev", dev)), [
        {
          path: ["kafka", "brokers"],
          message: "3 brokers cannot be spread evenly over 2 AZs; MSK needs a multiple of the subnet count (2, 4, ...)",
        },
      ]);
    });

    it("uses at most three of the network's AZs, and says so when refusing", () => {
      const wide = { ...network("prod"), azCount: 6 } as NetworkSettings;
      const prod = parsed(section("prod"));
      assert.equal(mskSubnetCount(view("prod", prod, wide)), 3);
      assert.deepEqual(kafkaProblems(view("prod", prod, wide)), []);
      const [problem] = kafkaProblems(view("prod", parsed(section("prod", { brokers: 4 })), wide));
      assert.deepEqual(problem.path, ["kafka", "brokers"]);
      assert.match(problem.message, /over 3 AZs.*\(MSK uses 3 of the network's 6 AZs\)/);
    });

    it("counts an existing VPC's private subnets as its AZs", () => {
      assert.deepEqual(kafkaProblems(view("prod", parsed(section("prod", { brokers: 4 })), existingVpc(2))), []);
      assert.equal(kafkaProblems(view("prod", parsed(section("prod")), existingVpc(2))).length, 1);
    });

    it("places brokers in two AZs only in us-west-1", () => {
      const prod = parsed(section("prod"));
      assert.equal(mskSubnetCount(view("prod", prod, network("prod"), "us-west-1")), 2);
      assert.match(
        kafkaProblems(view("prod", prod, network("prod"), "us-west-1"))[0].message,
        /3 brokers cannot be spread evenly over 2 AZs/,
      );
    });
  });

  describe("KafkaCluster args", () => {
    const deps = (subnets: number): KafkaDeps => ({
      vpcId: "vpc-0abc12345def67890",
      privateSubnetIds: pulumi.output(Array.from({ length: subnets }, (_, i) => `subnet-0abc1234def5678${i}`)),
      streamingKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/streaming",
      logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
      logBucket: "loglake-access-logs",
      clientSecurityGroupIds: { "eks-nodes": "sg-0eks0000000000000" },
    });

    it("turns storage auto scaling off where MSK does not offer it", () => {
      const prod = parsed(section("prod"));
      assert.equal(kafkaArgs(view("prod", prod), deps(3)).storageAutoScaling, true);
      assert.equal(kafkaArgs(view("prod", prod, network("prod"), "ap-northeast-3"), deps(3)).storageAutoScaling, false);
    });

    for (const environment of environments) {
      it(`builds the ${environment} cluster from its defaults on the network's first AZs`, async () => {
        const config = view(environment, parsed(section(environment)));
        const subnetCount = mskSubnetCount(config);
        const args = kafkaArgs(config, deps(6));
        assert.equal(args.clusterName, `loglake-${environment}-kafka`);
        assert.equal(args.subnetCount, subnetCount);
        assert.deepEqual(
          await valueOf(args.subnetIds),
          Array.from({ length: subnetCount }, (_, i) => `subnet-0abc1234def5678${i}`),
        );
        assert.equal(args.multiVpc !== undefined, config.kafka.multiVpc.enabled);
        const { resources } = await registered(() => new KafkaCluster("kafka", args));
        const cluster = resources.get("aws:msk/cluster:Cluster", "kafka").inputs as {
          numberOfBrokerNodes: number;
          brokerNodeGroupInfo: { instanceType: string };
          enhancedMonitoring: string;
        };
        assert.equal(cluster.numberOfBrokerNodes, config.kafka.brokers);
        assert.equal(cluster.brokerNodeGroupInfo.instanceType, config.kafka.brokerInstanceType);
        assert.equal(cluster.enhancedMonitoring, config.kafka.enhancedMonitoring);
        assert.equal(
          resources.get("aws:cloudwatch/logGroup:LogGroup", "kafka-broker-logs").inputs.retentionInDays,
          config.kafka.brokerLogRetentionDays,
        );
      });
    }
  });
});
