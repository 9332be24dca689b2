import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComputeCluster } from "../components/compute/compute-cluster";
import { Metastore } from "../components/metastore/metastore";
import { Network } from "../components/network/network";
import { awsAccount } from "../components/security/account";
import { Keys } from "../components/security/keys";
import { DataLake } from "../components/storage/data-lake";
import { defaultBrokerLogPrefix, KafkaCluster } from "../components/streaming/kafka-cluster";
import { LoglakeConfig } from "./config";
import { computeArgs } from "./settings/compute";
import { kafkaArgs } from "./settings/kafka";
import { metastoreArgs } from "./settings/metastore";
import { applyStackDefaults } from "./stack-defaults";

export type StackOutputs = Record<string, pulumi.Output<unknown>>;

/** The replica bucket and key ARNs a primary stack replicates into, as the dr stack exports them. */
interface ReplicaTargets {
  rawBucketArn: string;
  lakeBucketArn: string;
  kmsKeyArn: string;
}

function replicaTargets(config: LoglakeConfig): pulumi.Input<ReplicaTargets> | undefined {
  const replication = config.lake.replication;
  if (!replication.enabled) return undefined;
  if (replication.targets) return replication.targets;
  const dr = new pulumi.StackReference(replication.drStack!);
  return dr.requireOutput("replicaTargets") as pulumi.Output<ReplicaTargets>;
}

/**
 * The loglake platform for one stack: composition only. Every component gets plain typed settings
 * from the validated config and the explicit provider that carries the region and the required tags.
 */
export function deployLoglake(config: LoglakeConfig): StackOutputs {
  applyStackDefaults(config);

  // The provider's defaultTags reach every taggable resource, including those inside remote
  // components (awsx, eks) that loglake cannot see into.
  const provider = new aws.Provider(`${config.prefix}-${config.region}`, {
    region: config.region,
    defaultTags: { tags: config.tags },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };

  const keys = new Keys(
    config.prefix,
    { prefix: config.prefix, deletionWindowDays: config.keys.deletionWindowDays },
    opts,
  );

  const network = new Network(
    config.prefix,
    {
      ...(config.network.mode === "create"
        ? { cidr: config.network.cidr, azCount: config.network.azCount, natGateways: config.network.natGateways }
        : { existingVpc: { vpcId: config.network.vpcId, privateSubnetIds: config.network.privateSubnetIds } }),
      interfaceEndpoints: config.network.interfaceEndpoints,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      logsKeyArn: keys.logsKeyArn,
    },
    opts,
  );

  const targets = replicaTargets(config);
  const lake = new DataLake(
    config.prefix,
    {
      prefix: config.prefix,
      kmsKeyArn: keys.lakeKeyArn,
      lifecycles: config.lake.buckets,
      replication: targets && {
        destination: targets,
        replicationTimeControl: config.lake.replication.replicationTimeControl,
      },
      vendedLogPrefixes: [defaultBrokerLogPrefix],
    },
    opts,
  );

  // Compute first: Kafka and the metastore admit its node security group, and its roles are then
  // granted their policies, so nothing depends on itself.
  const compute = new ComputeCluster(
    config.prefix,
    computeArgs(config, {
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      clusterSecretsKeyArn: keys.clusterSecretsKeyArn,
      logsKeyArn: keys.logsKeyArn,
      lakeKeyArn: keys.lakeKeyArn,
      rawBucketArn: lake.buckets.raw.arn,
      lakeBucketArn: lake.buckets.lake.arn,
    }),
    opts,
  );

  const kafka = new KafkaCluster(
    config.prefix,
    kafkaArgs(config, {
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      streamingKeyArn: keys.streamingKeyArn,
      logsKeyArn: keys.logsKeyArn,
      logBucket: lake.buckets.accessLogs.name,
      clientSecurityGroupIds: { "eks-nodes": compute.nodeSecurityGroupId },
      monitoringSecurityGroupIds: { "eks-nodes": compute.nodeSecurityGroupId },
    }),
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${config.prefix}-spark-kafka-consumer`,
    { role: compute.sparkRoleName, policyArn: kafka.consumerPolicyArn },
    { provider },
  );

  const { accountId, partition } = awsAccount({ provider });
  const metastore = new Metastore(
    config.prefix,
    metastoreArgs(config, {
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      metastoreKeyArn: keys.metastoreKeyArn,
      logsKeyArn: keys.logsKeyArn,
      clientSecurityGroupIds: [compute.nodeSecurityGroupId],
      // Without an interface endpoint the rotation functions reach Secrets Manager through NAT.
      secretsManagerAccess: network.endpointSecurityGroupId
        ? { securityGroupId: network.endpointSecurityGroupId }
        : { cidrBlock: "0.0.0.0/0" },
      account: { accountId, partition },
    }),
    opts,
  );
  // An unpromoted dr replica holds no logins of its own, so there is no secret to read yet.
  if (metastore.hiveSecretReadPolicyArn) {
    new aws.iam.RolePolicyAttachment(
      `${config.prefix}-hive-metastore-secret`,
      { role: compute.hiveMetastoreRoleName, policyArn: metastore.hiveSecretReadPolicyArn },
      { provider },
    );
  }

  return {
    region: pulumi.output(config.region),
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZones: network.availabilityZones,
    keyArns: pulumi.output(keys.keyArns),
    buckets: pulumi.output(lake.buckets),
    replicaTargets: lake.replicaTargets,
    eksClusterName: compute.clusterName,
    kubeconfig: compute.kubeconfig,
    kafkaClusterArn: kafka.clusterArn,
    kafkaBootstrapBrokersIam: kafka.bootstrapBrokersIam,
    kafkaProducerPolicyArn: kafka.producerPolicyArn,
    kafkaConsumerPolicyArn: kafka.consumerPolicyArn,
    metastoreEndpoint: metastore.endpoint,
    metastoreInstanceArn: metastore.instanceArn,
    metastoreReplicaEndpoints: metastore.replicaEndpoints,
    ...(metastore.hiveSecretArn ? { metastoreHiveSecretArn: metastore.hiveSecretArn } : {}),
  };
}
