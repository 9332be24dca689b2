import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { remoteChildOptions } from "../remote-options";
import { AccountArgs, AwsAccount, componentAccount } from "../security/account";
import { s3KeyPrefixPattern } from "../shared/aws-limits";
import { refuseProblems } from "../shared/problems";
import { autoscalingService, serviceLinkedRoleArn } from "../shared/service-linked-roles";
import {
  clusterNameProblem,
  clusterProblems,
  ClusterSettings,
  ControlPlaneLogType,
  deployerAdminProblem,
} from "./eks-rules";
import { defaultKubernetesVersion, SupportType } from "./kubernetes-versions";
import {
  autoscalerOwnerTag,
  clusterAutoscalerPolicy,
  ebsCsiVolumeKeyPolicy,
  ebsVolumeKeyOperations,
  nodeTrustPolicy,
  serviceAccountTrustPolicy,
  ServiceAccountRef,
  lakeWriterPolicy,
  sparkPolicy,
} from "./policies";

export interface SystemNodePoolArgs {
  /** x86_64 instance type of the on-demand system nodes (CoreDNS, autoscaler, Spark drivers, Hive metastore). Default: m6i.large. */
  instanceType?: string;
  /** Fewest nodes, and the count at creation; spread over the private subnets' AZs. Default: 2 (one AZ may fail). */
  minSize?: number;
  /** Most nodes the autoscaler may run. Default: 4. */
  maxSize?: number;
  /** Encrypted gp3 root volume size in GiB. Default: 50. */
  rootVolumeSizeGiB?: number;
}

export interface SparkNodePoolArgs {
  /**
   * Spot instance types for executors, all of one shape (family letter and size) so an executor fits
   * whichever type Spot capacity comes from. Default: m6i.2xlarge, m6a.2xlarge, m5.2xlarge, m7i.2xlarge.
   */
  instanceTypes?: string[];
  /** Most executor nodes; the pool scales from and to zero. Default: 10. */
  maxSize?: number;
  /** Encrypted gp3 root volume in GiB; Spark spills shuffle data here. Default: 100. */
  rootVolumeSizeGiB?: number;
}

/** Where Spark reads and writes. */
export interface SparkStorageArgs {
  rawBucketArn: pulumi.Input<string>;
  lakeBucketArn: pulumi.Input<string>;
  /** The CMK of the raw and lake buckets (SSE-KMS); Spark may use it only through S3. */
  lakeKeyArn: pulumi.Input<string>;
  /** Lake bucket prefixes Spark reads and writes, each ending in "/". Default: ["warehouse/"]. */
  lakePrefixes?: string[];
  /** Raw bucket prefix the lake writer writes below, ending in "/". Default: "raw/". */
  rawPrefix?: string;
}

/** The Kubernetes service accounts that get IAM roles (IRSA); each role trusts exactly one. */
export interface ServiceAccountsArgs {
  /** Spark drivers and executors. Default: spark/spark. */
  spark?: ServiceAccountRef;
  /** The Kubernetes cluster-autoscaler. Default: kube-system/cluster-autoscaler. */
  clusterAutoscaler?: ServiceAccountRef;
  /** The Hive metastore. Default: hive/hive-metastore. */
  hiveMetastore?: ServiceAccountRef;
  /** The lake writer (`loglake sink`). Default: loglake/lake-writer. */
  lakeWriter?: ServiceAccountRef;
}

export interface ComputeClusterArgs extends AccountArgs {
  /**
   * The EKS cluster's name, fixed so the control-plane log group `/aws/eks/<name>/cluster` can be
   * created (encrypted, with retention) before EKS would create it without either. Default: the
   * component's name.
   */
  clusterName?: string;
  /** Kubernetes minor version ("1.NN"), one EKS offers (see kubernetes-versions.ts). Default: the newest listed. */
  kubernetesVersion?: string;
  /**
   * EKS upgrade policy at the end of standard support: STANDARD (EKS upgrades the control plane) or
   * EXTENDED (12 more months at extra cost). Default: STANDARD, which also refuses versions already
   * in extended support.
   */
  supportType?: SupportType;
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ: the control plane's network interfaces and every node group span them all. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * IPv4 CIDR blocks allowed to reach the public API endpoint. /0 blocks are refused. Default: none,
   * and then the public endpoint is off and the Kubernetes API answers only inside the VPC (and
   * networks routed to it: VPN, Direct Connect, peering).
   *
   * What that means for deploying: this component itself talks only to AWS APIs (access entries
   * instead of the aws-auth ConfigMap, no storage classes or other Kubernetes objects), so its
   * `pulumi up` works from anywhere with AWS credentials, the `aws` CLI (pulumi-eks requires it) and
   * outbound HTTPS to `oidc.eks.<region>.amazonaws.com` (the OIDC provider's thumbprint). Anything
   * that uses the cluster — kubectl, Helm, or a Pulumi Kubernetes provider given `kubeconfig` to
   * install the cluster-autoscaler, Spark or the Hive metastore — fails with connection timeouts from
   * outside the VPC: run it from a host in the VPC or over VPN, or list its egress CIDR here (dev only).
   */
  publicAccessCidrs?: string[];
  /**
   * IAM role given cluster-admin (AmazonEKSClusterAdminPolicy) through an access entry, e.g. the
   * platform team's or break-glass role. Default: none. The identity that creates the cluster is
   * always admin too: pulumi-eks sets bootstrapClusterCreatorAdminPermissions with access entries.
   * So this must not be the role `pulumi up` runs as: EKS already made that role's access entry and
   * refuses a second one (ResourceInUseException); the component refuses it at preview instead.
   */
  adminPrincipalArn?: string;
  /** The cluster-secrets CMK: envelope encryption of Kubernetes secrets. Required. */
  secretsKmsKeyArn: pulumi.Input<string>;
  /**
   * CMK of the nodes' root volumes and of the persistent volumes the EBS CSI driver creates. Default:
   * `secretsKmsKeyArn`. The EC2 Auto Scaling service-linked role gets a KMS grant on it, without which
   * instances with CMK-encrypted volumes fail to launch.
   */
  nodeVolumeKmsKeyArn?: pulumi.Input<string>;
  /**
   * Create the EC2 Auto Scaling service-linked role (AWSServiceRoleForAutoScaling) the grant names.
   * It is account-wide: the account bootstrap's ServiceLinkedRoles owns it, and creating it again
   * fails. Default: false.
   */
  createAutoscalingServiceLinkedRole?: boolean;
  /** The logs CMK: encrypts the control-plane log group. Required. */
  logsKmsKeyArn: pulumi.Input<string>;
  /** Control-plane log types; api, audit and authenticator are required. Default: those three. */
  controlPlaneLogTypes?: ControlPlaneLogType[];
  /** Days control-plane logs are kept (a CloudWatch Logs retention value). Default: 365. */
  controlPlaneLogRetentionDays?: number;
  /** EKS deletion protection: the cluster cannot be deleted until it is switched off. Default: true. */
  deletionProtection?: boolean;
  /** Attach AmazonSSMManagedInstanceCore to the node role so nodes can be reached through Session Manager. Default: false. */
  nodeSsmAccess?: boolean;
  system?: SystemNodePoolArgs;
  spark?: SparkNodePoolArgs;
  storage: SparkStorageArgs;
  serviceAccounts?: ServiceAccountsArgs;
}

/** The service account the Hive metastore role trusts by default; the HiveMetastore workload uses it. */
export const defaultHiveMetastoreServiceAccount: ServiceAccountRef = { namespace: "hive", name: "hive-metastore" };

/** Node label (and, on Spark nodes, taint) key that tells the pools apart. */
export const poolLabel = "loglake.io/pool";
/** Four current x86_64 general-purpose families at 8 vCPU / 32 GiB: several Spot pools, one executor shape. */
export const defaultSparkInstanceTypes = ["m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge", "m7i.2xlarge"];
/** EKS-optimized Amazon Linux 2023; AL2 AMIs are not published for Kubernetes 1.33 and later. */
const amiType = "AL2023_x86_64_STANDARD";
/** Operations the EBS documentation lists for the Auto Scaling service-linked role on a volume CMK. */
const volumeKeyGrantOperations = [...ebsVolumeKeyOperations, "CreateGrant"];
/** The EKS add-on that provisions EBS persistent volumes, and the service account its controller runs as. */
export const ebsCsiDriverAddon = "aws-ebs-csi-driver";
export const ebsCsiControllerServiceAccount: ServiceAccountRef = {
  namespace: "kube-system",
  name: "ebs-csi-controller-sa",
};
const nodeManagedPolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"];

/** The args with every default applied; the rules check the ClusterSettings part. */
function clusterSettings(args: ComputeClusterArgs) {
  return {
    deletionProtection: args.deletionProtection ?? true,
    nodeSsmAccess: args.nodeSsmAccess ?? false,
    serviceAccounts: {
      spark: args.serviceAccounts?.spark ?? { namespace: "spark", name: "spark" },
      clusterAutoscaler: args.serviceAccounts?.clusterAutoscaler ?? {
        namespace: "kube-system",
        name: "cluster-autoscaler",
      },
      hiveMetastore: args.serviceAccounts?.hiveMetastore ?? defaultHiveMetastoreServiceAccount,
      lakeWriter: args.serviceAccounts?.lakeWriter ?? { namespace: "loglake", name: "lake-writer" },
    },
    kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
    supportType: args.supportType ?? "STANDARD",
    publicAccessCidrs: args.publicAccessCidrs ?? [],
    adminPrincipalArn: args.adminPrincipalArn,
    controlPlaneLogTypes: args.controlPlaneLogTypes ?? ["api", "audit", "authenticator"],
    controlPlaneLogRetentionDays: args.controlPlaneLogRetentionDays ?? 365,
    system: {
      instanceType: args.system?.instanceType ?? "m6i.large",
      minSize: args.system?.minSize ?? 2,
      maxSize: args.system?.maxSize ?? 4,
      rootVolumeSizeGiB: args.system?.rootVolumeSizeGiB ?? 50,
    },
    spark: {
      instanceTypes: args.spark?.instanceTypes ?? defaultSparkInstanceTypes,
      maxSize: args.spark?.maxSize ?? 10,
      rootVolumeSizeGiB: args.spark?.rootVolumeSizeGiB ?? 100,
      lakePrefixes: args.storage.lakePrefixes ?? ["warehouse/"],
    },
    rawPrefix: args.storage.rawPrefix ?? "raw/",
  } satisfies ClusterSettings & Record<string, unknown>;
}

/** What one node pool is and how the autoscaler should see it when it has no nodes. */
interface NodePool {
  key: "system" | "spark";
  capacityType: "ON_DEMAND" | "SPOT";
  instanceTypes: string[];
  minSize: number;
  maxSize: number;
  rootVolumeSizeGiB: number;
  taints: { key: string; value: string; effect: "NO_SCHEDULE" }[];
}

/** Kubernetes spells taint effects differently from the EKS API. */
const kubernetesTaintEffect = { NO_SCHEDULE: "NoSchedule" } as const;

/**
 * Tags on a node group's auto scaling group that the cluster-autoscaler reads: auto-discovery
 * (`enabled` and the cluster's owner tag, which EKS also sets) and, for scaling from zero, the labels
 * and taints a new node would have, which it cannot learn from a node that does not exist.
 */
function autoscalerTags(clusterName: string, pool: NodePool): Record<string, string> {
  const template = "k8s.io/cluster-autoscaler/node-template";
  return {
    "k8s.io/cluster-autoscaler/enabled": "true",
    [autoscalerOwnerTag(clusterName)]: "owned",
    [`${template}/label/${poolLabel}`]: pool.key,
    [`${template}/label/eks.amazonaws.com/capacityType`]: pool.capacityType,
    ...Object.fromEntries(
      pool.taints.map((t) => [`${template}/taint/${t.key}`, `${t.value}:${kubernetesTaintEffect[t.effect]}`]),
    ),
  };
}

/**
 * loglake's Kubernetes platform: an EKS cluster reachable privately (public endpoint only from an
 * explicit allow-list), with KMS envelope encryption of secrets, encrypted control-plane logs,
 * access entries instead of the aws-auth ConfigMap, and an OIDC provider for IAM roles for service
 * accounts. Two managed node groups run on launch templates created here (IMDSv2 with hop limit 1,
 * encrypted gp3 root volumes, the node security group): `system` on demand, and `spark` on Spot,
 * tainted for executors and scaling from zero. Least-privilege IRSA roles for Spark, the
 * cluster-autoscaler, the Hive metastore and the lake writer, and the EBS CSI driver add-on (with its
 * own IRSA role, limited to the volume key) for persistent volumes.
 *
 * The Kafka consumer and metastore secret policies belong to components that need this cluster's
 * node security group first, so those components take `sparkRoleName` and `hiveMetastoreRoleName`
 * as inputs and attach their policies themselves.
 */
export class ComputeCluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  /** kubeconfig (JSON) that authenticates with `aws eks get-token`; secret because it maps the cluster's endpoint and CA. */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly oidcProviderUrl: pulumi.Output<string>;
  /** Security group of every node (and pod): the source other services admit (MSK 9098, RDS 5432). */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** The security group EKS created for the control plane; nodes carry it too. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  public readonly controlPlaneLogGroupName: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  public readonly nodeRoleName: pulumi.Output<string>;
  public readonly sparkRoleArn: pulumi.Output<string>;
  /** Attach the Kafka consumer policy here. */
  public readonly sparkRoleName: pulumi.Output<string>;
  public readonly clusterAutoscalerRoleArn: pulumi.Output<string>;
  public readonly clusterAutoscalerRoleName: pulumi.Output<string>;
  public readonly hiveMetastoreRoleArn: pulumi.Output<string>;
  /** Attach the metastore's secret-reading policy here. */
  public readonly hiveMetastoreRoleName: pulumi.Output<string>;
  /** IRSA role of the lake writer (`loglake sink`). */
  public readonly lakeWriterRoleArn: pulumi.Output<string>;
  public readonly lakeWriterRoleName: pulumi.Output<string>;
  /** The service account the lake writer's role trusts: the LakeWriter's pods run as it. */
  public readonly lakeWriterServiceAccount: ServiceAccountRef;
  /** CMK of node root volumes and of the persistent volumes the EBS CSI driver creates. */
  public readonly volumeKmsKeyArn: pulumi.Output<string>;
  /** IRSA role of the EBS CSI driver add-on's controller. */
  public readonly ebsCsiDriverRoleArn: pulumi.Output<string>;

  constructor(name: string, args: ComputeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const clusterName = args.clusterName ?? name;
    const settings = clusterSettings(args);
    const nameProblem = clusterNameProblem(clusterName);
    const problems = [
      ...(nameProblem ? [{ path: ["clusterName"], message: nameProblem }] : []),
      ...clusterProblems(settings),
      ...(s3KeyPrefixPattern.test(settings.rawPrefix)
        ? []
        : [
            {
              path: ["storage", "rawPrefix"],
              message: "a key prefix such as raw/ (no leading /, no wildcards, ending in /)",
            },
          ]),
    ];
    refuseProblems("ComputeCluster", name, problems);
    super("loglake:compute:ComputeCluster", name, {}, opts);

    const account = componentAccount(args, this);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: `/aws/eks/${clusterName}/cluster`,
        kmsKeyId: args.logsKmsKeyArn,
        retentionInDays: settings.controlPlaneLogRetentionDays,
      },
      { parent: this },
    );

    const publicEndpoint = settings.publicAccessCidrs.length > 0;
    const cluster = new eks.Cluster(
      name,
      {
        // Taken from the log group so the aws.eks.Cluster inside this remote component waits for it
        // (an input's dependencies travel with it; dependsOn on the component need not reach inside).
        name: logGroup.name.apply(() => clusterName),
        version: settings.kubernetesVersion,
        upgradePolicy: { supportType: settings.supportType },
        vpcId: args.vpcId,
        privateSubnetIds: args.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        publicAccessCidrs: publicEndpoint ? settings.publicAccessCidrs : undefined,
        encryptionConfigKeyArn: args.secretsKmsKeyArn,
        enabledClusterLogTypes: settings.controlPlaneLogTypes,
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: settings.adminPrincipalArn
          ? { admin: this.clusterAdminEntry(settings.adminPrincipalArn, account) }
          : undefined,
        createOidcProvider: true,
        skipDefaultNodeGroup: true,
        // EKS's own cluster security group already admits nodes that carry it; pulumi-eks's extra
        // groups are for its self-managed node groups.
        skipDefaultSecurityGroups: true,
        // The VPC CNI as an EKS managed add-on (configured through the EKS API, not the cluster's),
        // with its network policy agent on, so NetworkPolicies are enforced.
        useDefaultVpcCni: false,
        vpcCniOptions: { enableNetworkPolicy: true },
        deletionProtection: settings.deletionProtection,
      },
      remoteChildOptions(this),
    );
    const eksCluster = cluster.eksCluster;
    this.clusterName = eksCluster.apply((c) => c.name);
    this.clusterSecurityGroupId = eksCluster.apply((c) => c.vpcConfig).apply((v) => v.clusterSecurityGroupId);

    const nodeSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-nodes`,
      {
        vpcId: args.vpcId,
        description: `loglake ${clusterName} nodes; other services admit this group`,
        revokeRulesOnDelete: true,
        tags: { Name: `${clusterName}-nodes` },
      },
      { parent: this },
    );

    const nodeRole = this.nodeRole(name, settings.nodeSsmAccess, account);
    const volumeKeyId = this.autoscalingVolumeGrant(name, args, account);

    const pools: NodePool[] = [
      {
        key: "system",
        capacityType: "ON_DEMAND",
        instanceTypes: [settings.system.instanceType],
        ...settings.system,
        taints: [],
      },
      {
        key: "spark",
        capacityType: "SPOT",
        instanceTypes: settings.spark.instanceTypes,
        minSize: 0,
        maxSize: settings.spark.maxSize,
        rootVolumeSizeGiB: settings.spark.rootVolumeSizeGiB,
        taints: [{ key: poolLabel, value: "spark", effect: "NO_SCHEDULE" }],
      },
    ];
    const nodeGroups: eks.ManagedNodeGroup[] = [];
    for (const pool of pools) {
      const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-${pool.key}`,
        {
          description: `loglake ${clusterName} ${pool.key} nodes`,
          updateDefaultVersion: true,
          // With security groups in the launch template EKS no longer adds its cluster group itself.
          vpcSecurityGroupIds: [nodeSecurityGroup.id, this.clusterSecurityGroupId],
          // IMDSv2 only, and one hop: pods without host networking cannot reach the node's
          // credentials and use their IRSA role instead.
          metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
          blockDeviceMappings: [
            {
              deviceName: "/dev/xvda",
              ebs: {
                volumeType: "gp3",
                volumeSize: pool.rootVolumeSizeGiB,
                encrypted: "true",
                kmsKeyId: volumeKeyId,
                deleteOnTermination: "true",
              },
            },
          ],
          tagSpecifications: ["instance", "volume"].map((resourceType) => ({
            resourceType,
            tags: { Name: `${clusterName}-${pool.key}` },
          })),
        },
        { parent: this },
      );
      const group = new eks.ManagedNodeGroup(
        `${name}-${pool.key}`,
        {
          cluster,
          clusterName: this.clusterName,
          version: settings.kubernetesVersion,
          nodeRoleArn: nodeRole.arn,
          subnetIds: args.privateSubnetIds,
          amiType,
          capacityType: pool.capacityType,
          instanceTypes: pool.instanceTypes,
          labels: { [poolLabel]: pool.key },
          taints: pool.taints,
          scalingConfig: { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.minSize },
          // pulumi-eks puts ignoreChanges on scalingConfig.desiredSize of the aws.eks.NodeGroup it
          // creates; resource options on this remote component would not reach that resource.
          ignoreScalingChanges: true,
          launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        },
        remoteChildOptions(this),
      );
      nodeGroups.push(group);
      // Managed node groups do not pass their tags on to the auto scaling group EKS creates.
      const asgName = group.nodeGroup
        .apply((g) => g.resources)
        .apply((resources) => resources[0].autoscalingGroups[0].name);
      for (const [key, value] of Object.entries(autoscalerTags(clusterName, pool))) {
        new aws.autoscaling.Tag(
          `${name}-${pool.key}-${key.replace(/^k8s\.io\/cluster-autoscaler\//, "ca-").replace(/[^A-Za-z0-9-]+/g, "-")}`,
          { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } },
          { parent: this },
        );
      }
    }

    const oidc = pulumi.all([cluster.oidcProviderArn, cluster.oidcProviderUrl]);
    const irsaRole = (suffix: string, serviceAccount: ServiceAccountRef, description: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        {
          description,
          assumeRolePolicy: oidc.apply(([arn, url]) =>
            JSON.stringify(serviceAccountTrustPolicy(arn, url.replace(/^https:\/\//, ""), serviceAccount)),
          ),
        },
        { parent: this },
      );
    const accounts = settings.serviceAccounts;

    const sparkRole = irsaRole("spark", accounts.spark, "Spark drivers and executors: lake and raw buckets (IRSA)");
    new aws.iam.RolePolicy(
      `${name}-spark-storage`,
      {
        role: sparkRole.name,
        policy: pulumi
          .all([args.storage.rawBucketArn, args.storage.lakeBucketArn, args.storage.lakeKeyArn, account])
          .apply(([rawBucketArn, lakeBucketArn, lakeKeyArn, acct]) =>
            JSON.stringify(
              sparkPolicy({ rawBucketArn, lakeBucketArn, lakeKeyArn, lakePrefixes: settings.spark.lakePrefixes }, acct),
            ),
          ),
      },
      { parent: this },
    );

    const autoscalerRole = irsaRole(
      "cluster-autoscaler",
      accounts.clusterAutoscaler,
      "Kubernetes cluster-autoscaler: this cluster's node groups only (IRSA)",
    );
    new aws.iam.RolePolicy(
      `${name}-cluster-autoscaler`,
      {
        role: autoscalerRole.name,
        policy: account.apply((acct) => JSON.stringify(clusterAutoscalerPolicy(clusterName, acct))),
      },
      { parent: this },
    );

    const hiveRole = irsaRole(
      "hive-metastore",
      accounts.hiveMetastore,
      "Hive metastore: reads its database secret (granted by the Metastore) (IRSA)",
    );

    const lakeWriterRole = irsaRole(
      "lake-writer",
      accounts.lakeWriter,
      "The lake writer (loglake sink): writes the raw prefix; Kafka access granted by KafkaCluster (IRSA)",
    );
    new aws.iam.RolePolicy(
      `${name}-lake-writer`,
      {
        role: lakeWriterRole.name,
        policy: pulumi
          .all([args.storage.rawBucketArn, args.storage.lakeKeyArn, account])
          .apply(([rawBucketArn, lakeKeyArn, acct]) =>
            JSON.stringify(lakeWriterPolicy({ rawBucketArn, lakeKeyArn, rawPrefix: settings.rawPrefix }, acct)),
          ),
      },
      { parent: this },
    );

    // Persistent volumes (Prometheus, Grafana): EKS installs no EBS driver itself. The add-on's
    // controller needs nodes to become ACTIVE, so it waits for the node groups.
    const volumeKeyArn = args.nodeVolumeKmsKeyArn ?? args.secretsKmsKeyArn;
    const ebsCsiRole = irsaRole(
      "ebs-csi-driver",
      ebsCsiControllerServiceAccount,
      "EBS CSI driver controller: creates and attaches persistent volumes under the volume key (IRSA)",
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi-driver`,
      {
        role: ebsCsiRole.name,
        policyArn: account.apply((a) => `arn:${a.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-ebs-csi-volume-key`,
      {
        role: ebsCsiRole.name,
        policy: pulumi
          .all([volumeKeyArn, account])
          .apply(([keyArn, acct]) => JSON.stringify(ebsCsiVolumeKeyPolicy(keyArn, acct))),
      },
      { parent: this },
    );
    new aws.eks.Addon(
      `${name}-ebs-csi-driver`,
      {
        clusterName: this.clusterName,
        addonName: ebsCsiDriverAddon,
        serviceAccountRoleArn: ebsCsiRole.arn,
        // The add-on owns its objects; a hand edit in the cluster is put back.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        configurationValues: JSON.stringify({ controller: { nodeSelector: { [poolLabel]: "system" } } }),
      },
      { parent: this, dependsOn: nodeGroups },
    );

    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    this.volumeKmsKeyArn = pulumi.output(volumeKeyArn);
    this.ebsCsiDriverRoleArn = ebsCsiRole.arn;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcProviderUrl = cluster.oidcProviderUrl;
    this.nodeSecurityGroupId = nodeSecurityGroup.id;
    this.controlPlaneLogGroupName = logGroup.name;
    this.nodeRoleArn = nodeRole.arn;
    this.nodeRoleName = nodeRole.name;
    this.sparkRoleArn = sparkRole.arn;
    this.sparkRoleName = sparkRole.name;
    this.clusterAutoscalerRoleArn = autoscalerRole.arn;
    this.clusterAutoscalerRoleName = autoscalerRole.name;
    this.hiveMetastoreRoleArn = hiveRole.arn;
    this.hiveMetastoreRoleName = hiveRole.name;
    this.lakeWriterRoleArn = lakeWriterRole.arn;
    this.lakeWriterRoleName = lakeWriterRole.name;
    this.lakeWriterServiceAccount = accounts.lakeWriter;
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      controlPlaneLogGroupName: this.controlPlaneLogGroupName,
      nodeRoleArn: this.nodeRoleArn,
      nodeRoleName: this.nodeRoleName,
      sparkRoleArn: this.sparkRoleArn,
      sparkRoleName: this.sparkRoleName,
      clusterAutoscalerRoleArn: this.clusterAutoscalerRoleArn,
      clusterAutoscalerRoleName: this.clusterAutoscalerRoleName,
      hiveMetastoreRoleArn: this.hiveMetastoreRoleArn,
      hiveMetastoreRoleName: this.hiveMetastoreRoleName,
      lakeWriterRoleArn: this.lakeWriterRoleArn,
      lakeWriterRoleName: this.lakeWriterRoleName,
      volumeKmsKeyArn: this.volumeKmsKeyArn,
      ebsCsiDriverRoleArn: this.ebsCsiDriverRoleArn,
    });
  }

  /**
   * The nodes' role: join the cluster, pull images, and manage pod networking (the VPC CNI runs with
   * host networking and uses the node's credentials). Its ARN is handed out only once the policies are
   * attached, so node groups never start with a role that cannot join.
   */
  private nodeRole(
    name: string,
    ssmAccess: boolean,
    account: pulumi.Output<AwsAccount>,
  ): { arn: pulumi.Output<string>; name: pulumi.Output<string> } {
    const role = new aws.iam.Role(
      `${name}-node`,
      { description: "loglake EKS managed node groups", assumeRolePolicy: JSON.stringify(nodeTrustPolicy) },
      { parent: this },
    );
    const attachments = [...nodeManagedPolicies, ...(ssmAccess ? ["AmazonSSMManagedInstanceCore"] : [])].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: role.name, policyArn: account.apply((a) => `arn:${a.partition}:iam::aws:policy/${policy}`) },
          { parent: this },
        ),
    );
    return { arn: pulumi.all([role.arn, ...attachments.map((a) => a.id)]).apply(([arn]) => arn), name: role.name };
  }

  /**
   * An access entry with cluster-wide AmazonEKSClusterAdminPolicy. Access policy ARNs carry the
   * partition (`arn:aws-us-gov:eks::aws:cluster-access-policy/...` in GovCloud), and an IAM principal
   * lives in the cluster's partition, so the principal's ARN names it. The deploying role is refused
   * at preview, before EKS would refuse its duplicate entry after building the control plane.
   */
  private clusterAdminEntry(principalArn: string, account: pulumi.Output<AwsAccount>): eks.types.input.AccessEntryArgs {
    const partition = principalArn.split(":")[1];
    const notTheDeployer = account.apply(({ callerArn }) => {
      const problem = deployerAdminProblem(callerArn, principalArn);
      if (problem) throw new pulumi.ResourceError(`adminPrincipalArn: ${problem}`, this);
      return principalArn;
    });
    return {
      principalArn: notTheDeployer,
      accessPolicies: {
        clusterAdmin: {
          policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
          accessScope: { type: "cluster" },
        },
      },
    };
  }

  /**
   * Managed node groups launch instances as the EC2 Auto Scaling service-linked role, which needs
   * the volume key to create CMK-encrypted volumes. The grant's key id feeds the launch templates,
   * so no node launches before the grant exists.
   */
  private autoscalingVolumeGrant(
    name: string,
    args: ComputeClusterArgs,
    account: pulumi.Output<AwsAccount>,
  ): pulumi.Output<string> {
    const autoscalingRoleArn = args.createAutoscalingServiceLinkedRole
      ? new aws.iam.ServiceLinkedRole(
          `${name}-autoscaling`,
          { awsServiceName: autoscalingService },
          // Account-wide: every stack's node groups use it, so destroying this stack must not delete it.
          { parent: this, retainOnDelete: true },
        ).arn
      : account.apply((a) => serviceLinkedRoleArn(a.partition, a.accountId, autoscalingService));
    const grant = new aws.kms.Grant(
      `${name}-node-volumes`,
      {
        keyId: args.nodeVolumeKmsKeyArn ?? args.secretsKmsKeyArn,
        granteePrincipal: autoscalingRoleArn,
        operations: volumeKeyGrantOperations,
      },
      { parent: this },
    );
    return grant.keyId;
  }
}
