import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { consumerPolicy, crossAccountProducerPolicy, producerPolicy } from "./client-policies";
import { KafkaAlarms } from "./kafka-alarms";
import {
  brokerLayoutProblems,
  clusterSpecProblems,
  defaultKafkaVersion,
  defaultReplicationFactor,
  EnhancedMonitoringLevel,
  KafkaTopicSpec,
  maxBrokerVolumeGiB,
} from "./msk-rules";
import { logRetentionProblem } from "../shared/aws-limits";
import { InvalidArgsError, Problem } from "../shared/problems";

/** Where broker logs go in the log bucket unless told otherwise. */
export const defaultBrokerLogPrefix = "msk-broker-logs/";

/** Port of the SASL/IAM listener (TLS) inside AWS. */
/** MSK's SASL/IAM listener port, the only one clients may reach. */
export const mskIamPort = 9098;
/** Open monitoring's Prometheus exporters on every broker: JMX (Kafka's metrics) and node (the host's). */
export const mskExporterPorts = { jmx: 11001, node: 11002 } as const;
const prometheusPorts = { from: mskExporterPorts.jmx, to: mskExporterPorts.node };

/** Amazon MSK (provisioned, Standard brokers) with IAM-only client auth, TLS everywhere and CMK encryption. */
export interface KafkaClusterArgs {
  /** VPC of `subnetIds`; the brokers' security group is created in it. */
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ, two or three (MSK's limit; two only in us-west-1). Brokers are spread over them. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** How many subnets `subnetIds` holds. Default: its length when it is a plain array; required when it is an Output. */
  subnetCount?: number;
  /** Physical cluster name: letters, digits and `-`, at most 64. Default: the component name plus a random suffix. */
  clusterName?: string;
  /** Kafka version, one of `mskKafkaVersions`. Default: "3.8.x" (AWS's recommended version). */
  kafkaVersion?: string;
  /** Standard broker size, one of `brokerInstanceTypes`. Default: "kafka.m7g.large". */
  brokerInstanceType?: string;
  /** Brokers in total; a multiple of the subnet count. Default: one per subnet. */
  brokers?: number;
  /** EBS data volume per broker, GiB. Default: 100. */
  ebsVolumeSizeGiB?: number;
  /**
   * Storage auto scaling grows each broker's volume up to this size, GiB (MSK never shrinks a volume).
   * Default: four times `ebsVolumeSizeGiB`, at most 16384.
   */
  maxEbsVolumeSizeGiB?: number;
  /**
   * Grow broker volumes automatically; off where MSK does not offer it (`regionsWithoutStorageAutoScaling`),
   * and the disk alarm still warns. Default: true.
   */
  storageAutoScaling?: boolean;
  /** Disk utilisation that triggers a storage increase, percent (MSK allows 10 to 80). Default: 60. */
  storageTargetUtilization?: number;
  /** `min.insync.replicas`; below the default replication factor (3, or 2 with two brokers). Default: 2. */
  minInsyncReplicas?: number;
  /** `log.retention.hours` of topics that set no retention of their own. Default: 168 (7 days). */
  logRetentionHours?: number;
  /** Topics managed as resources (auto creation is off). Default: none. */
  topics?: KafkaTopicSpec[];
  /** Clients' IAM policies reach only topics whose names start with this (e.g. "logs."). Required. */
  iamTopicPrefix: string;
  /** Consumers' IAM policy reaches only consumer groups whose names start with this. Required. */
  iamGroupPrefix: string;
  /** The lake writer's consumer group and the topics it reads; their lag is alarmed. Default: no lag alarm. */
  lakeConsumer?: { group: string; topics: string[]; /** Default: 10000 records. */ maxOffsetLag?: number };
  /**
   * Security groups allowed to reach the brokers' SASL/IAM port (9098), keyed by a stable label used in
   * the rule's name (e.g. { "eks-nodes": sg }). Nothing else may connect; there are no CIDR rules.
   */
  clientSecurityGroupIds: Record<string, pulumi.Input<string>>;
  /**
   * IAM roles granted the producer and the consumer policy, keyed by a stable label used in the
   * attachment's name (e.g. { consumers: { spark: role.name } }). Default: none; the policies' ARNs are
   * outputs for roles created elsewhere.
   */
  clientRoleNames?: {
    producers?: Record<string, pulumi.Input<string>>;
    consumers?: Record<string, pulumi.Input<string>>;
  };
  /** Security groups of Prometheus scrapers allowed to the open-monitoring exporters (11001-11002). Default: none. */
  monitoringSecurityGroupIds?: Record<string, pulumi.Input<string>>;
  /** CMK (the streaming key) encrypting broker storage at rest. Required; there is no AWS-managed-key fallback. */
  kmsKeyArn: pulumi.Input<string>;
  /** Broker logs go to S3 and to a KMS-encrypted CloudWatch log group. */
  brokerLogs: {
    /** Bucket name (the access-logs bucket); its policy must admit vended log delivery under `prefix` (DataLake `vendedLogPrefixes`). */
    bucket: pulumi.Input<string>;
    /** Key prefix in the bucket. Default: "msk-broker-logs/". */
    prefix?: string;
    /** CMK of the log group (the logs key); its policy must let logs.<region>.amazonaws.com use it. */
    kmsKeyArn: pulumi.Input<string>;
    /** CloudWatch retention, days (a value CloudWatch accepts). Default: 90. */
    retentionDays?: number;
  };
  /** Enhanced CloudWatch monitoring. Default: "PER_BROKER" (use "PER_TOPIC_PER_BROKER" in production). */
  enhancedMonitoring?: EnhancedMonitoringLevel;
  /**
   * Multi-VPC private connectivity (PrivateLink) with IAM auth; MSK turns it on right after creation.
   * `accountIds` (other accounts in this region) get a cluster policy to connect and produce under
   * `iamTopicPrefix`. Not on kafka.t3.small. Default: off.
   */
  multiVpc?: { accountIds?: string[] };
  /** Alarms to an SNS topic. */
  alarms: {
    /** CMK of the SNS topic; its key policy must let cloudwatch.amazonaws.com use it. */
    kmsKeyArn: pulumi.Input<string>;
    /** Subscribed to the topic (AWS mails a confirmation link). Default: no subscription. */
    email?: string;
    /** Broker CPU (CpuUser + CpuSystem) that alarms, percent. Default: 80. */
    cpuPercent?: number;
    /** Broker data disk use (KafkaDataLogsDiskUsed) that alarms, percent. Default: 80. */
    diskPercent?: number;
  };
}

/** KafkaCluster refused its args: everything MSK would refuse, listed. */
export class KafkaClusterError extends InvalidArgsError {
  constructor(name: string, problems: Problem[]) {
    super("KafkaCluster", name, problems);
    this.name = "KafkaClusterError";
  }
}

const clusterNamePattern = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/;

/** The args with defaults applied; throws KafkaClusterError listing everything MSK would refuse. */
function validatedSpec(name: string, args: KafkaClusterArgs) {
  const subnetCount = args.subnetCount ?? (Array.isArray(args.subnetIds) ? args.subnetIds.length : undefined);
  if (subnetCount === undefined) {
    throw new KafkaClusterError(name, [
      { path: ["subnetCount"], message: "required when subnetIds is not a plain array" },
    ]);
  }
  const ebsVolumeSizeGiB = args.ebsVolumeSizeGiB ?? 100;
  const spec = {
    kafkaVersion: args.kafkaVersion ?? defaultKafkaVersion,
    brokerInstanceType: args.brokerInstanceType ?? "kafka.m7g.large",
    brokers: args.brokers ?? subnetCount,
    ebsVolumeSizeGiB,
    maxEbsVolumeSizeGiB: args.maxEbsVolumeSizeGiB ?? Math.min(maxBrokerVolumeGiB, 4 * ebsVolumeSizeGiB),
    minInsyncReplicas: args.minInsyncReplicas ?? 2,
    logRetentionHours: args.logRetentionHours ?? 168,
    topics: args.topics ?? [],
    iamTopicPrefix: args.iamTopicPrefix,
    iamGroupPrefix: args.iamGroupPrefix,
    lakeConsumer: args.lakeConsumer && { ...args.lakeConsumer, maxOffsetLag: args.lakeConsumer.maxOffsetLag ?? 10000 },
    multiVpc: args.multiVpc !== undefined,
    crossAccountProducers: args.multiVpc?.accountIds ?? [],
    brokerLogRetentionDays: args.brokerLogs.retentionDays ?? 90,
    brokerLogPrefix: args.brokerLogs.prefix ?? defaultBrokerLogPrefix,
    enhancedMonitoring: args.enhancedMonitoring ?? "PER_BROKER",
    cpuAlarmPercent: args.alarms.cpuPercent ?? 80,
    diskAlarmPercent: args.alarms.diskPercent ?? 80,
  };
  const storageTargetUtilization = args.storageTargetUtilization ?? 60;
  const problems = [...brokerLayoutProblems(spec.brokers, subnetCount), ...clusterSpecProblems(spec)];
  if (args.clusterName !== undefined && !clusterNamePattern.test(args.clusterName)) {
    problems.push({ path: ["clusterName"], message: "1 to 64 letters, digits and -, starting with a letter or digit" });
  }
  if (Object.keys(args.clientSecurityGroupIds).length === 0) {
    problems.push({
      path: ["clientSecurityGroupIds"],
      message: "at least one client security group; nothing else can reach the brokers",
    });
  }
  const retentionProblem = logRetentionProblem(spec.brokerLogRetentionDays);
  if (retentionProblem) problems.push({ path: ["brokerLogs", "retentionDays"], message: retentionProblem });
  if (storageTargetUtilization < 10 || storageTargetUtilization > 80) {
    problems.push({
      path: ["storageTargetUtilization"],
      message: "MSK accepts a storage utilisation target from 10 to 80 percent",
    });
  }
  if (problems.length > 0) throw new KafkaClusterError(name, problems);
  return { ...spec, subnetCount, storageTargetUtilization, storageAutoScaling: args.storageAutoScaling ?? true };
}

/** The broker layout was checked against `subnetCount` before the subnets were known; hold them to it. */
export function subnetsAsCounted(name: string, subnetIds: string[], subnetCount: number): string[] {
  if (subnetIds.length !== subnetCount) {
    throw new KafkaClusterError(name, [
      { path: ["subnetIds"], message: `${subnetIds.length} subnets, but subnetCount is ${subnetCount}` },
    ]);
  }
  return subnetIds;
}

/**
 * An MSK provisioned cluster for loglake's log streams: brokers in private subnets behind a security
 * group only client security groups can cross, SASL/IAM as the only way in, TLS on every hop, broker
 * storage under the streaming CMK and growing on demand, safe broker defaults, topics as resources,
 * broker logs in S3 and CloudWatch, per-broker metrics with Prometheus exporters, alarms, and the
 * managed policies producers and consumers attach.
 */
export class KafkaCluster extends pulumi.ComponentResource {
  public readonly clusterArn: pulumi.Output<string>;
  public readonly clusterName: pulumi.Output<string>;
  /** SASL/IAM bootstrap brokers (TLS, port 9098), comma-separated. */
  public readonly bootstrapBrokersIam: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Managed policy to attach to producer roles. */
  public readonly producerPolicyArn: pulumi.Output<string>;
  /** Managed policy to attach to consumer roles. */
  public readonly consumerPolicyArn: pulumi.Output<string>;
  public readonly topicNames: pulumi.Output<string[]>;
  public readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(), so invalid args register nothing at all.
    const spec = validatedSpec(name, args);
    super("loglake:streaming:KafkaCluster", name, {}, opts);

    // Brokers only answer connections (security groups are stateful); replication between brokers,
    // log delivery and IAM authorisation run on MSK's side. So no egress rule: the provider removes
    // AWS's default allow-all egress when it creates the group.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-brokers`,
      {
        vpcId: args.vpcId,
        description: `MSK brokers of ${name}: SASL/IAM from listed client security groups only`,
        tags: { Name: `${name}-brokers` },
      },
      { parent: this },
    );
    const allowFrom = (
      label: string,
      sourceGroupId: pulumi.Input<string>,
      ports: { from: number; to: number },
      what: string,
    ) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${what}-from-${label}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: sourceGroupId,
          ipProtocol: "tcp",
          fromPort: ports.from,
          toPort: ports.to,
          description: `${what} from ${label}`,
        },
        { parent: this },
      );
    for (const [label, groupId] of Object.entries(args.clientSecurityGroupIds))
      allowFrom(label, groupId, { from: mskIamPort, to: mskIamPort }, "kafka-iam");
    for (const [label, groupId] of Object.entries(args.monitoringSecurityGroupIds ?? {}))
      allowFrom(label, groupId, prometheusPorts, "prometheus");

    // Vended-log group names under /aws/vendedlogs/ share one wildcard resource policy, so many
    // clusters never hit the CloudWatch Logs resource-policy size limit.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-broker-logs`,
      {
        namePrefix: `/aws/vendedlogs/msk/${name}-`,
        retentionInDays: spec.brokerLogRetentionDays,
        kmsKeyId: args.brokerLogs.kmsKeyArn,
      },
      { parent: this },
    );

    const configuration = new aws.msk.Configuration(
      `${name}-config`,
      {
        description: `loglake broker settings for ${name}`,
        kafkaVersions: [spec.kafkaVersion],
        serverProperties: serverProperties(spec),
      },
      { parent: this },
    );

    const iamOnly = { sasl: { iam: true, scram: false } };
    const cluster = new aws.msk.Cluster(
      name,
      {
        clusterName: args.clusterName,
        kafkaVersion: spec.kafkaVersion,
        numberOfBrokerNodes: spec.brokers,
        brokerNodeGroupInfo: {
          clientSubnets: pulumi.output(args.subnetIds).apply((ids) => subnetsAsCounted(name, ids, spec.subnetCount)),
          instanceType: spec.brokerInstanceType,
          securityGroups: [securityGroup.id],
          storageInfo: { ebsStorageInfo: { volumeSize: spec.ebsVolumeSizeGiB } },
          connectivityInfo: {
            publicAccess: { type: "DISABLED" },
            vpcConnectivity: args.multiVpc && { clientAuthentication: { ...iamOnly, tls: false } },
          },
        },
        clientAuthentication: { ...iamOnly, unauthenticated: false },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: args.kmsKeyArn,
          encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        enhancedMonitoring: spec.enhancedMonitoring,
        openMonitoring: {
          prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
        },
        loggingInfo: {
          brokerLogs: {
            cloudwatchLogs: { enabled: true, logGroup: logGroup.name },
            s3: {
              enabled: true,
              bucket: args.brokerLogs.bucket,
              prefix: spec.brokerLogPrefix,
            },
            firehose: { enabled: false },
          },
        },
      },
      // Storage auto scaling grows the volumes behind Pulumi's back; MSK cannot shrink them anyway.
      {
        parent: this,
        ignoreChanges: spec.storageAutoScaling ? ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"] : [],
      },
    );

    const accountIds = spec.crossAccountProducers;
    if (accountIds.length > 0) {
      new aws.msk.ClusterPolicy(
        `${name}-cross-account`,
        {
          clusterArn: cluster.arn,
          policy: cluster.arn.apply((arn) =>
            JSON.stringify(crossAccountProducerPolicy(arn, accountIds, spec.iamTopicPrefix)),
          ),
        },
        { parent: this },
      );
    }

    const topics = spec.topics.map(
      (topic) =>
        new aws.msk.Topic(
          `${name}-topic-${topic.name}`,
          {
            clusterArn: cluster.arn,
            name: topic.name,
            partitionCount: topic.partitions,
            replicationFactor: topic.replicationFactor,
            configs: JSON.stringify({ "retention.ms": String(topic.retentionMs) }),
          },
          { parent: this },
        ),
    );

    if (spec.storageAutoScaling) {
      const storageTarget = new aws.appautoscaling.Target(
        `${name}-storage`,
        {
          serviceNamespace: "kafka",
          scalableDimension: "kafka:broker-storage:VolumeSize",
          resourceId: cluster.arn,
          minCapacity: spec.ebsVolumeSizeGiB,
          maxCapacity: spec.maxEbsVolumeSizeGiB,
        },
        { parent: this },
      );
      new aws.appautoscaling.Policy(
        `${name}-storage`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: storageTarget.serviceNamespace,
          scalableDimension: storageTarget.scalableDimension,
          resourceId: storageTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
            targetValue: spec.storageTargetUtilization,
            // MSK cannot shrink a broker volume.
            disableScaleIn: true,
          },
        },
        { parent: this },
      );
    }

    const clientPolicy = (role: string, description: string, document: (arn: string) => object) =>
      new aws.iam.Policy(
        `${name}-${role}`,
        { description, policy: cluster.arn.apply((arn) => JSON.stringify(document(arn))) },
        { parent: this },
      );
    const producer = clientPolicy("producer", `Produce to ${name} topics under "${spec.iamTopicPrefix}"`, (arn) =>
      producerPolicy(arn, spec.iamTopicPrefix),
    );
    const consumer = clientPolicy(
      "consumer",
      `Consume ${name} topics under "${spec.iamTopicPrefix}" in groups under "${spec.iamGroupPrefix}"`,
      (arn) => consumerPolicy(arn, spec.iamTopicPrefix, spec.iamGroupPrefix),
    );

    const grant = (policy: aws.iam.Policy, kind: string, roles: Record<string, pulumi.Input<string>> = {}) => {
      for (const [label, role] of Object.entries(roles)) {
        new aws.iam.RolePolicyAttachment(`${name}-${kind}-${label}`, { role, policyArn: policy.arn }, { parent: this });
      }
    };
    grant(producer, "producer", args.clientRoleNames?.producers);
    grant(consumer, "consumer", args.clientRoleNames?.consumers);

    const alarms = new KafkaAlarms(
      `${name}`,
      {
        clusterArn: cluster.arn,
        clusterName: cluster.clusterName,
        brokers: spec.brokers,
        kmsKeyArn: args.alarms.kmsKeyArn,
        email: args.alarms.email,
        cpuPercent: spec.cpuAlarmPercent,
        diskPercent: spec.diskAlarmPercent,
        lakeConsumer: spec.lakeConsumer,
      },
      { parent: this },
    );

    this.clusterArn = cluster.arn;
    this.clusterName = cluster.clusterName;
    this.bootstrapBrokersIam = cluster.bootstrapBrokersSaslIam;
    this.securityGroupId = securityGroup.id;
    this.producerPolicyArn = producer.arn;
    this.consumerPolicyArn = consumer.arn;
    this.topicNames = pulumi.all(topics.map((t) => t.name));
    this.alarmTopicArn = alarms.topicArn;
    this.registerOutputs({
      clusterArn: this.clusterArn,
      clusterName: this.clusterName,
      bootstrapBrokersIam: this.bootstrapBrokersIam,
      securityGroupId: this.securityGroupId,
      producerPolicyArn: this.producerPolicyArn,
      consumerPolicyArn: this.consumerPolicyArn,
      topicNames: this.topicNames,
      alarmTopicArn: this.alarmTopicArn,
    });
  }
}

/** Broker settings that keep data safe: no surprise topics, no lossy leader elections. */
export function serverProperties(settings: {
  brokers: number;
  minInsyncReplicas: number;
  logRetentionHours: number;
}): string {
  return [
    "auto.create.topics.enable=false",
    `default.replication.factor=${defaultReplicationFactor(settings.brokers)}`,
    `min.insync.replicas=${settings.minInsyncReplicas}`,
    "unclean.leader.election.enable=false",
    `log.retention.hours=${settings.logRetentionHours}`,
  ].join("\n");
}
