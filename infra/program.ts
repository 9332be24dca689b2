import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ComputeCluster } from "../components/compute/compute-cluster";
import { HiveLoginRotation } from "../components/metastore/hive-login-rotation";
import { Metastore } from "../components/metastore/metastore";
import { Network } from "../components/network/network";
import { CostBudget } from "../components/observability/cost-budget";
import { PipelineDashboard } from "../components/observability/pipeline-dashboard";
import { Ingestion } from "../components/pipeline/ingestion";
import { Processing } from "../components/pipeline/processing";
import { awsAccount } from "../components/security/account";
import { Keys } from "../components/security/keys";
import { DataLake, ReplicaTargets } from "../components/storage/data-lake";
import { defaultBrokerLogPrefix, KafkaCluster } from "../components/streaming/kafka-cluster";
import { ClusterAutoscaler } from "../components/workloads/cluster-autoscaler";
import { HiveMetastore } from "../components/workloads/hive-metastore";
import { LakeWriter } from "../components/workloads/lake-writer";
import { Monitoring } from "../components/workloads/monitoring";
import { Platform } from "../components/workloads/platform";
import { SecretsStoreCsiDriver } from "../components/workloads/secrets-store-csi";
import { LoglakeConfig } from "./config";
import { computeArgs } from "./settings/compute";
import { hiveMetastoreArgs, secretsStoreArgs } from "./settings/hive";
import { kafkaArgs } from "./settings/kafka";
import { keysArgs } from "./settings/keys";
import { lakeArgs } from "./settings/lake";
import { lakeWriterArgs } from "./settings/lake-writer";
import { metastoreArgs } from "./settings/metastore";
import { monitoringArgs } from "./settings/monitoring";
import { networkArgs } from "./settings/network";
import { budgetArgs } from "./settings/budget";
import { dashboardArgs, ingestionArgs, processingArgs } from "./settings/pipeline";
import { applyStackDefaults } from "./stack-defaults";

export type StackOutputs = Record<string, pulumi.Output<unknown>>;

function replicaTargets(config: LoglakeConfig): pulumi.Input<ReplicaTargets> | undefined {
  const replication = config.lake.replication;
  if (!replication.enabled) return undefined;
  if (replication.targets) return replication.targets;
  const dr = new pulumi.StackReference(replication.drStack!);
  return dr.requireOutput("replicaTargets") as pulumi.Output<ReplicaTargets>;
}

/**
 * Stacks deployed before KafkaCluster and Metastore granted their policies themselves hold those
 * attachments under the stack, named as `moves` maps them. Aliases move them into the components;
 * a replace instead would create the new attachment and then, deleting the old one, detach the very
 * same policy from the same role.
 */
function movedFromStackRoot(moves: Record<string, string>): pulumi.ResourceTransformation {
  return ({ name, props, opts }) => {
    const formerName = moves[name];
    if (formerName === undefined) return undefined;
    return {
      props,
      opts: pulumi.mergeOptions(opts, { aliases: [{ name: formerName, parent: pulumi.rootStackResource }] }),
    };
  };
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

  // One lookup of the account, partition and region, handed to every component that needs them.
  const account = awsAccount({ provider });
  const keys = new Keys(config.prefix, keysArgs(config, { account }), opts);
  const network = new Network(config.prefix, networkArgs(config, { logsKeyArn: keys.logsKeyArn, account }), opts);
  const lake = new DataLake(
    config.prefix,
    lakeArgs(config, {
      lakeKeyArn: keys.lakeKeyArn,
      replicaTargets: replicaTargets(config),
      vendedLogPrefixes: [defaultBrokerLogPrefix],
      account,
    }),
    opts,
  );

  // Compute first: Kafka and the metastore admit its node security group and grant its roles their
  // policies, so every dependency points one way.
  const compute = new ComputeCluster(
    config.prefix,
    computeArgs(config, {
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      clusterSecretsKeyArn: keys.clusterSecretsKeyArn,
      nodeVolumesKeyArn: keys.nodeVolumesKeyArn,
      logsKeyArn: keys.logsKeyArn,
      lakeKeyArn: keys.lakeKeyArn,
      rawBucketArn: lake.buckets.raw.arn,
      lakeBucketArn: lake.buckets.lake.arn,
      account,
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
      consumerRoleNames: { spark: compute.sparkRoleName, "lake-writer": compute.lakeWriterRoleName },
    }),
    {
      ...opts,
      transformations: [
        movedFromStackRoot({ [`${config.prefix}-consumer-spark`]: `${config.prefix}-spark-kafka-consumer` }),
      ],
    },
  );

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
      hiveSecretReaderRoleNames: { "hive-metastore": compute.hiveMetastoreRoleName },
      account,
    }),
    {
      ...opts,
      transformations: [
        movedFromStackRoot({
          [`${config.prefix}-hive-secret-read-hive-metastore`]: `${config.prefix}-hive-metastore-secret`,
        }),
      ],
    },
  );

  const ingestion = new Ingestion(
    config.prefix,
    ingestionArgs(config, {
      rawBucket: lake.buckets.raw,
      manifestsBucket: lake.buckets.manifests,
      quarantineBucket: lake.buckets.quarantine,
      lakeKeyArn: keys.lakeKeyArn,
      pipelineKeyArn: keys.pipelineKeyArn,
      logsKeyArn: keys.logsKeyArn,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      // One topic for the stack's alarms: the one KafkaCluster creates.
      alarmTopicArn: kafka.alarmTopicArn,
      account,
    }),
    opts,
  );

  const kubernetes = new k8s.Provider(`${config.prefix}-eks`, {
    kubeconfig: compute.kubeconfig,
    enableServerSideApply: true,
  });
  const secretsStore = new SecretsStoreCsiDriver(
    config.prefix,
    secretsStoreArgs(config, { kubernetesProvider: kubernetes, waitFor: [compute] }),
    opts,
  );
  // A standby replica has no logins of its own and serves no metastore until it is promoted.
  const { masterSecretArn, hiveSecretArn, hiveRotationFunctionArn } = metastore;
  const hive =
    masterSecretArn && hiveSecretArn && hiveRotationFunctionArn
      ? new HiveMetastore(
          config.prefix,
          hiveMetastoreArgs(config, {
            kubernetesProvider: kubernetes,
            oidcProviderArn: compute.oidcProviderArn,
            oidcProviderUrl: compute.oidcProviderUrl,
            roleArn: compute.hiveMetastoreRoleArn,
            roleName: compute.hiveMetastoreRoleName,
            lake: { bucketName: lake.buckets.lake.name, bucketArn: lake.buckets.lake.arn, kmsKeyArn: keys.lakeKeyArn },
            database: {
              address: metastore.address,
              port: metastore.port,
              name: metastore.databaseName,
              masterSecretArn,
              hiveSecretArn,
              secretsKmsKeyArn: keys.metastoreKeyArn,
            },
            imagesKmsKeyArn: keys.imagesKeyArn,
            vpcCidr: network.vpcCidr,
            kubernetesVersion: config.compute.kubernetesVersion,
            waitFor: [compute, secretsStore],
            account,
          }),
          opts,
        )
      : undefined;
  if (hive && hiveSecretArn && hiveRotationFunctionArn) {
    new HiveLoginRotation(
      config.prefix,
      {
        secretArn: hiveSecretArn,
        rotationFunctionArn: hiveRotationFunctionArn,
        rotationDays: metastore.rotationDays,
        loginReady: [hive.bootstrapJob],
      },
      opts,
    );
  }

  const processing = new Processing(
    config.prefix,
    processingArgs(config, {
      clusterName: compute.clusterName,
      oidcProviderArn: compute.oidcProviderArn,
      oidcProviderUrl: compute.oidcProviderUrl,
      kubernetesProvider: kubernetes,
      lakeBucket: lake.buckets.lake,
      rawBucketArn: lake.buckets.raw.arn,
      manifestsBucketArn: lake.buckets.manifests.arn,
      manifestPrefix: ingestion.manifestPrefix,
      manifestQueueArn: ingestion.manifestQueueArn,
      manifestDeadLetterQueue: { arn: ingestion.manifestDeadLetterQueueArn, url: ingestion.manifestDeadLetterQueueUrl },
      trackingTable: { name: ingestion.trackingTableName, arn: ingestion.trackingTableArn },
      alarmTopicArn: kafka.alarmTopicArn,
      lakeKeyArn: keys.lakeKeyArn,
      pipelineKeyArn: keys.pipelineKeyArn,
      logsKeyArn: keys.logsKeyArn,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      metastoreUri: hive?.thriftUri,
      account,
    }),
    opts,
  );

  new PipelineDashboard(
    config.prefix,
    dashboardArgs(config, { ingestion, processing, kafkaClusterName: kafka.clusterName }),
    opts,
  );
  new CostBudget(config.prefix, budgetArgs(config, { alarmTopicArn: kafka.alarmTopicArn }), opts);

  // Workloads in the cluster, through the provider built from its kubeconfig.
  new ClusterAutoscaler(
    config.prefix,
    {
      kubernetesProvider: kubernetes,
      clusterName: compute.clusterName,
      region: config.region,
      roleArn: compute.clusterAutoscalerRoleArn,
      kubernetesVersion: config.compute.kubernetesVersion,
      waitFor: [compute],
    },
    opts,
  );
  const platform = new Platform(
    config.prefix,
    {
      kubernetesProvider: kubernetes,
      vpcCidr: network.vpcCidr,
      lakeWriterNamespace: compute.lakeWriterServiceAccount.namespace,
      kubernetesVersion: config.compute.kubernetesVersion,
    },
    opts,
  );
  const lakeWriter = new LakeWriter(
    config.prefix,
    lakeWriterArgs(config, {
      kubernetesProvider: kubernetes,
      roleArn: compute.lakeWriterRoleArn,
      serviceAccount: compute.lakeWriterServiceAccount,
      imagesKeyArn: keys.imagesKeyArn,
      bootstrapBrokersIam: kafka.bootstrapBrokersIam,
      rawBucketName: lake.buckets.raw.name,
      lakeKeyArn: keys.lakeKeyArn,
      waitFor: [platform, compute],
    }),
    opts,
  );
  const monitoring = monitoringArgs(config, {
    kubernetesProvider: kubernetes,
    vpcCidr: network.vpcCidr,
    kafkaBootstrapBrokers: kafka.bootstrapBrokersIam,
    volumeKmsKeyArn: compute.volumeKmsKeyArn,
    waitFor: [compute],
  });
  if (monitoring) new Monitoring(config.prefix, monitoring, opts);

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
    manifestQueueUrl: ingestion.manifestQueueUrl,
    manifestQueueArn: ingestion.manifestQueueArn,
    trackingTableName: ingestion.trackingTableName,
    sparkVirtualClusterId: processing.virtualClusterId,
    sparkJobsUri: processing.jobsUri,
    lakeWriterImageUri: lakeWriter.imageUri,
  };
}
