/**
 * IAM policy documents for Kafka clients of one MSK cluster (SASL/IAM). Pure, so tests read the
 * documents directly. Every resource is scoped to this cluster's name and UUID, which MSK puts in the
 * cluster ARN (`arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>`); topic and group ARNs
 * replace `cluster` with `topic` or `group` and append the Kafka name.
 *
 * Action semantics (MSK Developer Guide, "Semantics of IAM authorization policy actions and
 * resources"): Connect and WriteDataIdempotently apply to the cluster; DescribeTopic, WriteData and
 * ReadData to topics; DescribeGroup and AlterGroup to consumer groups (ReadData needs AlterGroup).
 * loglake's clients (`runtime/kafka/discovery.ts`) find the brokers from the cluster ARN with the
 * control-plane call GetBootstrapBrokers, authorised by `kafka:GetBootstrapBrokers` on the cluster.
 */

export interface ClusterArnParts {
  /** `arn:<partition>:kafka:<region>:<account>` */
  prefix: string;
  accountId: string;
  clusterName: string;
  clusterUuid: string;
}

const clusterArnPattern = /^(arn:aws[a-z-]*:kafka:[a-z0-9-]+:(\d{12})):cluster\/([^/]+)\/([^/]+)$/;

export function parseClusterArn(arn: string): ClusterArnParts {
  const match = clusterArnPattern.exec(arn);
  if (!match)
    throw new Error(`not an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>): ${arn}`);
  return { prefix: match[1], accountId: match[2], clusterName: match[3], clusterUuid: match[4] };
}

/** ARN pattern of this cluster's topics or consumer groups whose names start with `namePrefix`. */
export function kafkaResourceArn(clusterArn: string, kind: "topic" | "group", namePrefix: string): string {
  const { prefix, clusterName, clusterUuid } = parseClusterArn(clusterArn);
  return `${prefix}:${kind}/${clusterName}/${clusterUuid}/${namePrefix}*`;
}

interface Statement {
  Sid: string;
  Effect: "Allow";
  Principal?: { AWS: string[] };
  Action: string[];
  Resource: string;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

const allow = (Sid: string, Action: string[], Resource: string): Statement => ({
  Sid,
  Effect: "Allow",
  Action,
  Resource,
});

/** Look up the SASL/IAM bootstrap brokers from the cluster ARN, then connect to them. */
const findAndConnect = ["kafka:GetBootstrapBrokers", "kafka-cluster:Connect"];
const connectToProduce = [...findAndConnect, "kafka-cluster:WriteDataIdempotently"];
const writeTopics = (clusterArn: string, topicPrefix: string) =>
  allow(
    "WriteTopics",
    ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
    kafkaResourceArn(clusterArn, "topic", topicPrefix),
  );

/** Produce (idempotently, Kafka's default since 3.0) to topics under `topicPrefix`. */
export function producerPolicy(clusterArn: string, topicPrefix: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      allow("ConnectAndWriteIdempotently", connectToProduce, clusterArn),
      writeTopics(clusterArn, topicPrefix),
    ],
  };
}

/** Consume topics under `topicPrefix` in consumer groups under `groupPrefix`. */
export function consumerPolicy(clusterArn: string, topicPrefix: string, groupPrefix: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      allow("FindAndConnect", findAndConnect, clusterArn),
      allow(
        "ReadTopics",
        ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        kafkaResourceArn(clusterArn, "topic", topicPrefix),
      ),
      allow(
        "UseGroups",
        ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        kafkaResourceArn(clusterArn, "group", groupPrefix),
      ),
    ],
  };
}

/**
 * Cluster (resource) policy for multi-VPC private connectivity: the listed accounts may create a
 * managed VPC connection and produce to topics under `topicPrefix` (their roles still need
 * `producerPolicy` on their side). MSK requires the connectivity actions in the cluster policy.
 */
export function crossAccountProducerPolicy(
  clusterArn: string,
  accountIds: string[],
  topicPrefix: string,
): PolicyDocument {
  const partition = parseClusterArn(clusterArn).prefix.split(":")[1];
  const Principal = { AWS: accountIds.map((id) => `arn:${partition}:iam::${id}:root`) };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        ...allow(
          "ConnectFromOtherAccounts",
          ["kafka:CreateVpcConnection", "kafka:DescribeCluster", "kafka:DescribeClusterV2", ...connectToProduce],
          clusterArn,
        ),
        Principal,
      },
      { ...writeTopics(clusterArn, topicPrefix), Principal },
    ],
  };
}
