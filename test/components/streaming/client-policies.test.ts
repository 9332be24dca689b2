import * as assert from "node:assert/strict";
import {
  consumerPolicy,
  crossAccountProducerPolicy,
  parseClusterArn,
  PolicyDocument,
  producerPolicy,
} from "../../../components/streaming/client-policies";

const clusterArn = "arn:aws:kafka:eu-west-1:123456789012:cluster/loglake-kafka/279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3";
const scoped = "arn:aws:kafka:eu-west-1:123456789012:%s/loglake-kafka/279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3/%s*";

/** Every action is spelt out: no `*` anywhere in an action name. */
function assertNoWildcardActions(document: PolicyDocument) {
  for (const statement of document.Statement) {
    for (const action of statement.Action)
      assert.doesNotMatch(action, /\*/, `${statement.Sid} grants a wildcard action ${action}`);
  }
}

const bySid = (document: PolicyDocument) =>
  Object.fromEntries(document.Statement.map((s) => [s.Sid, { Action: s.Action, Resource: s.Resource }]));

describe("Kafka client policies", () => {
  it("read the cluster name and UUID from the cluster ARN, in any partition", () => {
    assert.deepEqual(parseClusterArn(clusterArn), {
      prefix: "arn:aws:kafka:eu-west-1:123456789012",
      accountId: "123456789012",
      clusterName: "loglake-kafka",
      clusterUuid: "279c0212-d057-4dba-9aa9-1c4e5a25bfc7-3",
    });
    assert.equal(
      parseClusterArn("arn:aws-cn:kafka:cn-north-1:123456789012:cluster/c/u-1").prefix,
      "arn:aws-cn:kafka:cn-north-1:123456789012",
    );
  });

  it("refuse an ARN that is not an MSK cluster's", () => {
    assert.throws(
      () => parseClusterArn("arn:aws:kafka:eu-west-1:123456789012:configuration/c/u-1"),
      /not an MSK cluster ARN/,
    );
    assert.throws(() => parseClusterArn("arn:aws:kafka:eu-west-1:123456789012:cluster/c"), /not an MSK cluster ARN/);
  });

  it("let producers find the brokers, connect and write idempotently to the cluster, and write only topics under the prefix", () => {
    const document = producerPolicy(clusterArn, "logs.");
    assertNoWildcardActions(document);
    assert.deepEqual(bySid(document), {
      ConnectAndWriteIdempotently: {
        Action: ["kafka:GetBootstrapBrokers", "kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
        Resource: clusterArn,
      },
      WriteTopics: {
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
        Resource: scoped.replace("%s", "topic").replace("%s", "logs."),
      },
    });
  });

  it("let consumers find the brokers and read topics under the prefix in groups under the group prefix, and nothing else", () => {
    const document = consumerPolicy(clusterArn, "logs.", "loglake-");
    assertNoWildcardActions(document);
    assert.deepEqual(bySid(document), {
      FindAndConnect: { Action: ["kafka:GetBootstrapBrokers", "kafka-cluster:Connect"], Resource: clusterArn },
      ReadTopics: {
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: scoped.replace("%s", "topic").replace("%s", "logs."),
      },
      UseGroups: {
        Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        Resource: scoped.replace("%s", "group").replace("%s", "loglake-"),
      },
    });
    const actions = document.Statement.flatMap((s) => s.Action);
    assert.ok(!actions.includes("kafka-cluster:WriteData"), "a consumer can write");
  });

  it("let other accounts connect through multi-VPC connectivity and produce under the prefix only", () => {
    const document = crossAccountProducerPolicy(clusterArn, ["210987654321"], "logs.");
    assertNoWildcardActions(document);
    for (const statement of document.Statement)
      assert.deepEqual(statement.Principal, { AWS: ["arn:aws:iam::210987654321:root"] });
    assert.deepEqual(bySid(document), {
      ConnectFromOtherAccounts: {
        Action: [
          "kafka:CreateVpcConnection",
          "kafka:DescribeCluster",
          "kafka:DescribeClusterV2",
          "kafka:GetBootstrapBrokers",
          "kafka-cluster:Connect",
          "kafka-cluster:WriteDataIdempotently",
        ],
        Resource: clusterArn,
      },
      WriteTopics: {
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
        Resource: scoped.replace("%s", "topic").replace("%s", "logs."),
      },
    });
  });
});
