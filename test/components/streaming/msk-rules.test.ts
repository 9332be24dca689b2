import * as assert from "node:assert/strict";
import {
  brokerLayoutProblems,
  brokerPartitionLimits,
  clusterSpecProblems,
  KafkaClusterSpec,
  mskKafkaVersions,
} from "../../../components/streaming/msk-rules";
import { Problem } from "../../../components/shared/problems";

function spec(overrides: Partial<KafkaClusterSpec> = {}): KafkaClusterSpec {
  return {
    kafkaVersion: "3.8.x",
    brokerInstanceType: "kafka.m7g.large",
    brokers: 3,
    ebsVolumeSizeGiB: 100,
    maxEbsVolumeSizeGiB: 1000,
    minInsyncReplicas: 2,
    logRetentionHours: 168,
    topics: [{ name: "logs.raw", partitions: 12, replicationFactor: 3, retentionMs: 86_400_000 }],
    iamTopicPrefix: "logs.",
    iamGroupPrefix: "loglake-",
    lakeConsumer: { group: "loglake-lake-writer", topics: ["logs.raw"] },
    multiVpc: false,
    ...overrides,
  };
}

/** Asserts exactly one problem, at `path`, whose message matches. */
function assertOneProblem(problems: Problem[], path: (string | number)[], message: RegExp) {
  assert.equal(problems.length, 1, `expected one problem at ${path.join(".")}, got: ${JSON.stringify(problems)}`);
  assert.deepEqual(problems[0].path, path);
  assert.match(problems[0].message, message);
}

describe("MSK rules", () => {
  it("accept a production-like cluster", () => {
    assert.deepEqual(clusterSpecProblems(spec()), []);
    assert.deepEqual(brokerLayoutProblems(3, 3), []);
    assert.deepEqual(brokerLayoutProblems(6, 3), []);
    assert.deepEqual(brokerLayoutProblems(2, 2), []);
  });

  describe("broker layout", () => {
    it("refuses a broker count that is not a multiple of the subnets", () => {
      assertOneProblem(
        brokerLayoutProblems(4, 3),
        ["brokers"],
        /4 brokers cannot be spread evenly over 3 AZs.*multiple/,
      );
    });

    it("refuses fewer brokers than subnets", () => {
      assertOneProblem(brokerLayoutProblems(2, 3), ["brokers"], /2 brokers cannot be spread evenly over 3 AZs/);
    });

    it("refuses anything but two or three subnets", () => {
      assertOneProblem(brokerLayoutProblems(4, 4), ["subnetIds"], /2 or 3 subnets/);
      assertOneProblem(brokerLayoutProblems(1, 1), ["subnetIds"], /2 or 3 subnets/);
    });
  });

  describe("Kafka version", () => {
    it("accepts every version in the supported list", () => {
      for (const kafkaVersion of mskKafkaVersions)
        assert.deepEqual(clusterSpecProblems(spec({ kafkaVersion })), [], kafkaVersion);
    });

    it("refuses versions MSK no longer creates or never had", () => {
      for (const kafkaVersion of ["3.7.x", "3.6.0", "2.8.1", "3.8.1", "4.2.x.kraft"]) {
        assertOneProblem(
          clusterSpecProblems(spec({ kafkaVersion })),
          ["kafkaVersion"],
          /MSK creates Standard-broker clusters on 3\.8\.x/,
        );
      }
    });

    it("refuses kafka.t3.small brokers on Kafka 4", () => {
      const small = { brokerInstanceType: "kafka.t3.small", minInsyncReplicas: 1, topics: [], lakeConsumer: undefined };
      assert.deepEqual(clusterSpecProblems(spec({ ...small, kafkaVersion: "3.9.x.kraft" })), []);
      assertOneProblem(
        clusterSpecProblems(spec({ ...small, kafkaVersion: "4.1.x.kraft" })),
        ["brokerInstanceType"],
        /t3\.small.*Kafka 4/,
      );
    });
  });

  it("refuses broker sizes that are not Standard MSK brokers", () => {
    for (const brokerInstanceType of ["kafka.m6g.large", "express.m7g.large", "m7g.large"]) {
      assertOneProblem(
        clusterSpecProblems(spec({ brokerInstanceType })),
        ["brokerInstanceType"],
        /a Standard broker size/,
      );
    }
  });

  it("refuses a storage ceiling at or below the volume, or above 16 TiB", () => {
    assertOneProblem(
      clusterSpecProblems(spec({ maxEbsVolumeSizeGiB: 100 })),
      ["maxEbsVolumeSizeGiB"],
      /above the volume size \(100 GiB\)/,
    );
    assertOneProblem(
      clusterSpecProblems(spec({ maxEbsVolumeSizeGiB: 16385 })),
      ["maxEbsVolumeSizeGiB"],
      /at most 16384/,
    );
    assertOneProblem(clusterSpecProblems(spec({ ebsVolumeSizeGiB: 0 })), ["ebsVolumeSizeGiB"], /1 to 16384 GiB/);
  });

  describe("replication", () => {
    it("refuses min.insync.replicas that leaves no room for a broker being patched", () => {
      assertOneProblem(
        clusterSpecProblems(spec({ minInsyncReplicas: 3, topics: [], lakeConsumer: undefined })),
        ["minInsyncReplicas"],
        /below the default replication factor \(3/,
      );
      assertOneProblem(
        clusterSpecProblems(spec({ brokers: 2, minInsyncReplicas: 2, topics: [], lakeConsumer: undefined })),
        ["minInsyncReplicas"],
        /\(2 with 2 brokers\)/,
      );
    });

    it("refuses a topic with more replicas than brokers", () => {
      const topics = [{ name: "logs.raw", partitions: 12, replicationFactor: 4, retentionMs: 1000 }];
      assertOneProblem(
        clusterSpecProblems(spec({ topics })),
        ["topics", 0, "replicationFactor"],
        /asks for 4 replicas but the cluster has 3 brokers/,
      );
    });

    it("refuses a topic whose replicas do not exceed min.insync.replicas", () => {
      const topics = [{ name: "logs.raw", partitions: 12, replicationFactor: 2, retentionMs: 1000 }];
      assertOneProblem(
        clusterSpecProblems(spec({ topics })),
        ["topics", 0, "replicationFactor"],
        /more replicas than min\.insync\.replicas \(2\)/,
      );
    });

    it("refuses retention of zero hours", () => {
      assertOneProblem(clusterSpecProblems(spec({ logRetentionHours: 0 })), ["logRetentionHours"], /at least 1/);
    });
  });

  describe("partitions per broker", () => {
    // Two t3.small brokers carry 50 __consumer_offsets partitions × 2 replicas = 100 replicas before
    // any topic; AWS recommends at most 300 replicas per t3.small broker, i.e. 600 in total.
    const small = { brokerInstanceType: "kafka.t3.small", brokers: 2, minInsyncReplicas: 1 };
    const topic = (partitions: number) => [{ name: "logs.raw", partitions, replicationFactor: 2, retentionMs: 1000 }];

    it("accepts topics up to the recommended replicas per broker, counting followers", () => {
      assert.deepEqual(clusterSpecProblems(spec({ ...small, topics: topic(250) })), []);
    });

    it("refuses topics above it", () => {
      assertOneProblem(
        clusterSpecProblems(spec({ ...small, topics: topic(251) })),
        ["topics"],
        /301 partition replicas .* on each of 2 brokers; AWS recommends at most 300 per kafka\.t3\.small/,
      );
    });

    it("uses AWS's table for each size", () => {
      assert.equal(brokerPartitionLimits["kafka.m7g.large"], 1000);
      assert.equal(brokerPartitionLimits["kafka.m5.xlarge"], 1000);
      assert.equal(brokerPartitionLimits["kafka.m7g.2xlarge"], 2000);
      assert.equal(brokerPartitionLimits["kafka.m5.24xlarge"], 4000);
      const topics = [{ name: "logs.raw", partitions: 1000, replicationFactor: 3, retentionMs: 1000 }];
      assertOneProblem(clusterSpecProblems(spec({ topics })), ["topics"], /1050 partition replicas/);
      assert.deepEqual(clusterSpecProblems(spec({ topics, brokerInstanceType: "kafka.m7g.2xlarge" })), []);
    });
  });

  describe("topics and clients", () => {
    it("refuses topics outside the IAM prefix, since no client could use them", () => {
      const topics = [{ name: "audit.raw", partitions: 3, replicationFactor: 3, retentionMs: 1000 }];
      const problems = clusterSpecProblems(spec({ topics, lakeConsumer: undefined }));
      assertOneProblem(problems, ["topics", 0, "name"], /outside the IAM topic prefix "logs\."/);
    });

    it("refuses illegal and duplicate topic names and endless retention", () => {
      const topic = { name: "logs.raw", partitions: 3, replicationFactor: 3, retentionMs: 1000 };
      assertOneProblem(
        clusterSpecProblems(spec({ topics: [{ ...topic, name: "logs:raw" }], lakeConsumer: undefined })),
        ["topics", 0, "name"],
        /Kafka topic name/,
      );
      assertOneProblem(clusterSpecProblems(spec({ topics: [topic, topic] })), ["topics", 1, "name"], /declared twice/);
      assertOneProblem(
        clusterSpecProblems(spec({ topics: [{ ...topic, retentionMs: -1 }] })),
        ["topics", 0, "retentionMs"],
        /no -1/,
      );
    });

    it("refuses a lake consumer group outside the IAM group prefix or reading undeclared topics", () => {
      assertOneProblem(
        clusterSpecProblems(spec({ lakeConsumer: { group: "lake-writer", topics: ["logs.raw"] } })),
        ["lakeConsumer", "group"],
        /under the IAM group prefix "loglake-"/,
      );
      assertOneProblem(
        clusterSpecProblems(spec({ lakeConsumer: { group: "loglake-w", topics: ["logs.other"] } })),
        ["lakeConsumer", "topics", 0],
        /logs\.other is not a declared topic/,
      );
    });

    it("refuses prefixes that cannot appear in Kafka names", () => {
      assertOneProblem(
        clusterSpecProblems(spec({ iamGroupPrefix: "loglake:*", lakeConsumer: undefined })),
        ["iamGroupPrefix"],
        /letters, digits/,
      );
    });

    it("refuses multi-VPC connectivity on kafka.t3.small", () => {
      const small = { brokerInstanceType: "kafka.t3.small", topics: [], lakeConsumer: undefined };
      assert.deepEqual(clusterSpecProblems(spec({ ...small, multiVpc: false })), []);
      assertOneProblem(
        clusterSpecProblems(spec({ ...small, multiVpc: true })),
        ["multiVpc"],
        /does not support kafka\.t3\.small/,
      );
    });
  });
});
