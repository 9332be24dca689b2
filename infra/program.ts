import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../components/network/network";
import { Keys } from "../components/security/keys";
import { DataLake } from "../components/storage/data-lake";
import { LoglakeConfig } from "./config";
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

  const keys = new Keys(config.prefix, { prefix: config.prefix, deletionWindowDays: config.keys.deletionWindowDays }, opts);

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
    },
    opts,
  );

  return {
    region: pulumi.output(config.region),
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZones: network.availabilityZones,
    keyArns: pulumi.output(keys.keyArns),
    buckets: pulumi.output(lake.buckets),
    replicaTargets: lake.replicaTargets,
  };
}
