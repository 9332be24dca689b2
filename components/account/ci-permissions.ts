import { selfCreatedServiceLinkedRoles } from "../shared/service-linked-roles";

/**
 * The IAM documents of the two CI roles, as plain functions of where they apply, so a test can
 * hold them against every resource type the stacks plan without the Pulumi runtime.
 *
 * The deploy role may manage what loglake creates and little else:
 * - per service, the verbs loglake's resources need, on the account's ARNs, and on names that start
 *   with the stacks' prefix wherever the service's ARNs carry the name (buckets, roles, policies,
 *   queues, topics, tables, functions, secrets, clusters, log groups, alarms, rules, schedules);
 * - IAM only on loglake-named roles and policies, `iam:PassRole` only to the services loglake
 *   passes roles to, AWS-managed policies only from the list loglake attaches, and service-linked
 *   roles only for the services that create theirs on first use;
 * - nothing that would undo the bootstrap: the state bucket's guards, the state and secrets keys'
 *   policies and deletion, and the CI roles and the GitHub OIDC provider are denied explicitly,
 *   since their names may fall under the same prefix.
 * Reads (Describe, Get, List) are allowed on "*": refresh reads every resource and many reads
 * have no resource-level permissions.
 */

export interface CiScope {
  partition: string;
  accountId: string;
  /** Start of every name the stacks create (`loglake` covers `loglake-dev`, `loglake-dr`, …). */
  prefix: string;
  stateBucketArn: string;
  /** The key that encrypts the state bucket. */
  stateKeyArn: string;
  /** The `awskms://` secrets provider's key. */
  secretsKeyArn: string;
  /**
   * The stacks' MSK cluster names: topics are managed through Kafka data-plane actions, which
   * loglake's policy pack allows only on named clusters.
   */
  kafkaClusterNames: string[];
  /** ARNs the deploy role must never change: the CI roles and the GitHub OIDC provider. */
  protectedIamArns: string[];
}

export interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** IAM service prefixes of everything loglake creates; the preview role reads them all. */
export const managedServices = [
  "application-autoscaling",
  "autoscaling",
  "budgets",
  "cloudformation",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "eks",
  "emr-containers",
  "events",
  "iam",
  "kafka",
  "kms",
  "lambda",
  "logs",
  "rds",
  "s3",
  "scheduler",
  "secretsmanager",
  "serverlessrepo",
  "sns",
  "sqs",
] as const;

/** Services loglake hands roles to (trust principals of the roles in the plans, and EKS's own). */
export const passedToServices = [
  "ec2.amazonaws.com",
  "eks.amazonaws.com",
  "lambda.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "s3.amazonaws.com",
  "scheduler.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
] as const;

/**
 * AWS-managed policies loglake attaches (node, function and monitoring roles), plus those the
 * remote components and the rotation application attach out of the plans' sight: EKS's cluster
 * role and the rotation function's basic execution role.
 */
export const attachableManagedPolicies = [
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEKSClusterPolicy",
  "AmazonEKSVPCResourceController",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AWSXRayDaemonWriteAccess",
  "service-role/AWSLambdaBasicExecutionRole",
  "service-role/AWSLambdaVPCAccessExecutionRole",
  "service-role/AmazonRDSEnhancedMonitoringRole",
  "service-role/AmazonEBSCSIDriverPolicy",
] as const;

/**
 * Write actions IAM accepts only on Resource "*" that a deployment needs: vended log delivery for
 * MSK broker logs and event source mappings (scoped by a condition on the function instead). The
 * bootstrap's policy-pack config allows exactly these (policies/security/config.bootstrap.json).
 */
export const writesOnlyOnAnyResource = [
  "kms:CreateKey",
  "logs:CreateLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "lambda:CreateEventSourceMapping",
] as const;

/** Services whose Get actions read data rather than configuration (table items, log events). */
const dataGets = new Set(["dynamodb", "logs"]);

/** Describe, Get and List of a service: configuration reads, never its data. */
/** Each stack's cluster and its topics, in any region. */
const kafkaTopicArns = ({ partition, accountId, kafkaClusterNames }: CiScope) =>
  kafkaClusterNames.flatMap((cluster) =>
    ["cluster", "topic"].map((kind) => `arn:${partition}:kafka:*:${accountId}:${kind}/${cluster}/*`),
  );

const read = (service: string) =>
  dataGets.has(service)
    ? [`${service}:Describe*`, `${service}:List*`]
    : [`${service}:Describe*`, `${service}:Get*`, `${service}:List*`];

/** The deploy role's managed policies, one per group of services. */
export const deployPolicyGroups = ["network", "compute", "data", "functions", "identity"] as const;
export type DeployPolicyGroup = (typeof deployPolicyGroups)[number];

/** The deploy role's statements, grouped into documents that each fit a managed policy (6,144 characters). */
export function deployPolicies(scope: CiScope): Record<DeployPolicyGroup, PolicyDocument> {
  const { partition: p, accountId: acct, prefix } = scope;
  const regional = (service: string, resource = "*") => `arn:${p}:${service}:*:${acct}:${resource}`;
  const iam = (resource: string) => `arn:${p}:iam::${acct}:${resource}`;
  const doc = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });
  const allow = (Sid: string, Action: string[], Resource: string | string[], Condition?: Statement["Condition"]) => ({
    Sid,
    Effect: "Allow" as const,
    Action,
    Resource,
    ...(Condition && { Condition }),
  });

  return {
    network: doc(
      allow(
        "Ec2Network",
        [
          "ec2:CreateVpc",
          "ec2:DeleteVpc",
          "ec2:ModifyVpcAttribute",
          "ec2:CreateSubnet",
          "ec2:DeleteSubnet",
          "ec2:ModifySubnetAttribute",
          "ec2:CreateRouteTable",
          "ec2:DeleteRouteTable",
          "ec2:CreateRoute",
          "ec2:DeleteRoute",
          "ec2:ReplaceRoute",
          "ec2:AssociateRouteTable",
          "ec2:DisassociateRouteTable",
          "ec2:CreateInternetGateway",
          "ec2:DeleteInternetGateway",
          "ec2:AttachInternetGateway",
          "ec2:DetachInternetGateway",
          "ec2:AllocateAddress",
          "ec2:ReleaseAddress",
          "ec2:DisassociateAddress",
          "ec2:CreateNatGateway",
          "ec2:DeleteNatGateway",
          "ec2:CreateSecurityGroup",
          "ec2:DeleteSecurityGroup",
          "ec2:AuthorizeSecurityGroupIngress",
          "ec2:AuthorizeSecurityGroupEgress",
          "ec2:RevokeSecurityGroupIngress",
          "ec2:RevokeSecurityGroupEgress",
          "ec2:ModifySecurityGroupRules",
          "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
          "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
          "ec2:CreateVpcEndpoint",
          "ec2:ModifyVpcEndpoint",
          "ec2:DeleteVpcEndpoints",
          "ec2:CreateFlowLogs",
          "ec2:DeleteFlowLogs",
          "ec2:CreateLaunchTemplate",
          "ec2:CreateLaunchTemplateVersion",
          "ec2:ModifyLaunchTemplate",
          "ec2:DeleteLaunchTemplate",
          "ec2:DeleteLaunchTemplateVersions",
          "ec2:CreateTags",
          "ec2:DeleteTags",
        ],
        // AWS's endpoint services belong to no account of the customer's.
        [regional("ec2"), `arn:${p}:ec2:*:*:vpc-endpoint-service/*`],
      ),
      allow("Ec2Read", read("ec2"), "*"),
    ),
    compute: doc(
      allow(
        "Eks",
        [
          "eks:CreateCluster",
          "eks:DeleteCluster",
          "eks:UpdateClusterConfig",
          "eks:UpdateClusterVersion",
          "eks:AssociateEncryptionConfig",
          "eks:CreateNodegroup",
          "eks:DeleteNodegroup",
          "eks:UpdateNodegroupConfig",
          "eks:UpdateNodegroupVersion",
          "eks:CreateAddon",
          "eks:DeleteAddon",
          "eks:UpdateAddon",
          "eks:CreateAccessEntry",
          "eks:DeleteAccessEntry",
          "eks:UpdateAccessEntry",
          "eks:AssociateAccessPolicy",
          "eks:DisassociateAccessPolicy",
          "eks:TagResource",
          "eks:UntagResource",
        ],
        [regional("eks", `*/${prefix}*`), `arn:${p}:eks::aws:cluster-access-policy/*`],
      ),
      allow(
        "AutoScaling",
        [
          "autoscaling:CreateOrUpdateTags",
          "autoscaling:DeleteTags",
          "application-autoscaling:RegisterScalableTarget",
          "application-autoscaling:DeregisterScalableTarget",
          "application-autoscaling:PutScalingPolicy",
          "application-autoscaling:DeleteScalingPolicy",
          "application-autoscaling:TagResource",
          "application-autoscaling:UntagResource",
        ],
        [regional("autoscaling"), regional("application-autoscaling")],
      ),
      allow(
        "EmrOnEks",
        [
          "emr-containers:CreateVirtualCluster",
          "emr-containers:DeleteVirtualCluster",
          "emr-containers:TagResource",
          "emr-containers:UntagResource",
        ],
        regional("emr-containers", "/virtualclusters/*"),
      ),
      allow(
        "ContainerImages",
        [
          "ecr:CreateRepository",
          "ecr:DeleteRepository",
          "ecr:PutImageScanningConfiguration",
          "ecr:PutImageTagMutability",
          "ecr:PutLifecyclePolicy",
          "ecr:DeleteLifecyclePolicy",
          "ecr:SetRepositoryPolicy",
          "ecr:TagResource",
          "ecr:UntagResource",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
          "ecr:BatchDeleteImage",
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
        ],
        regional("ecr", `repository/${prefix}*`),
      ),
      allow(
        "ComputeRead",
        ["eks", "autoscaling", "application-autoscaling", "emr-containers", "ecr"].flatMap(read),
        "*",
      ),
    ),
    data: doc(
      allow(
        "Buckets",
        [
          "s3:CreateBucket",
          "s3:DeleteBucket",
          "s3:PutBucket*",
          "s3:DeleteBucketPolicy",
          "s3:DeleteBucketOwnershipControls",
          "s3:PutEncryptionConfiguration",
          "s3:PutLifecycleConfiguration",
          "s3:PutReplicationConfiguration",
          "s3:PutIntelligentTieringConfiguration",
          "s3:GetBucket*",
          "s3:Get*Configuration",
          "s3:ListBucket",
          "s3:ListBucketVersions",
        ],
        `arn:${p}:s3:::${prefix}*`,
      ),
      allow(
        "BucketObjects",
        ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectTagging", "s3:GetObjectTagging"],
        `arn:${p}:s3:::${prefix}*/*`,
      ),
      allow("BucketList", ["s3:ListAllMyBuckets"], "*"),
      allow(
        "Databases",
        [
          "rds:CreateDBInstance",
          "rds:CreateDBInstanceReadReplica",
          "rds:DeleteDBInstance",
          "rds:ModifyDBInstance",
          "rds:PromoteReadReplica",
          "rds:RebootDBInstance",
          "rds:CreateDBSnapshot",
          "rds:CreateDBParameterGroup",
          "rds:ModifyDBParameterGroup",
          "rds:DeleteDBParameterGroup",
          "rds:CreateDBSubnetGroup",
          "rds:ModifyDBSubnetGroup",
          "rds:DeleteDBSubnetGroup",
          "rds:AddTagsToResource",
          "rds:RemoveTagsFromResource",
        ],
        // Final snapshots are named by RDS after the instance; parameter and subnet groups by loglake.
        [regional("rds", `*:${prefix}*`), regional("rds", "snapshot:*")],
      ),
      allow(
        "Tables",
        [
          "dynamodb:CreateTable",
          "dynamodb:DeleteTable",
          "dynamodb:UpdateTable",
          "dynamodb:UpdateContinuousBackups",
          "dynamodb:UpdateTimeToLive",
          "dynamodb:TagResource",
          "dynamodb:UntagResource",
        ],
        regional("dynamodb", `table/${prefix}*`),
      ),
      allow(
        "Kafka",
        [
          "kafka:CreateClusterV2",
          "kafka:CreateCluster",
          "kafka:DeleteCluster",
          "kafka:UpdateBrokerStorage",
          "kafka:UpdateBrokerCount",
          "kafka:UpdateBrokerType",
          "kafka:UpdateClusterConfiguration",
          "kafka:UpdateClusterKafkaVersion",
          "kafka:UpdateMonitoring",
          "kafka:UpdateSecurity",
          "kafka:UpdateConnectivity",
          "kafka:UpdateStorage",
          "kafka:CreateConfiguration",
          "kafka:UpdateConfiguration",
          "kafka:DeleteConfiguration",
          "kafka:TagResource",
          "kafka:UntagResource",
        ],
        [regional("kafka", `*/${prefix}*`)],
      ),
      allow(
        "KafkaTopics",
        [
          // MSK's topic API authorizes with the Kafka data-plane actions.
          "kafka-cluster:Connect",
          "kafka-cluster:CreateTopic",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:AlterTopic",
          "kafka-cluster:DeleteTopic",
          "kafka-cluster:DescribeTopicDynamicConfiguration",
          "kafka-cluster:AlterTopicDynamicConfiguration",
        ],
        kafkaTopicArns(scope),
      ),
      allow(
        "Secrets",
        [
          "secretsmanager:CreateSecret",
          "secretsmanager:DeleteSecret",
          "secretsmanager:UpdateSecret",
          "secretsmanager:PutSecretValue",
          "secretsmanager:GetSecretValue",
          "secretsmanager:RotateSecret",
          "secretsmanager:CancelRotateSecret",
          "secretsmanager:TagResource",
          "secretsmanager:UntagResource",
        ],
        regional("secretsmanager", `secret:${prefix}*`),
      ),
      allow(
        "DataRead",
        [
          ...["rds", "dynamodb", "kafka"].flatMap(read),
          "secretsmanager:DescribeSecret",
          "secretsmanager:ListSecrets",
          "secretsmanager:ListSecretVersionIds",
          "secretsmanager:GetRandomPassword",
        ],
        "*",
      ),
    ),
    functions: doc(
      allow(
        "Functions",
        [
          "lambda:CreateFunction",
          "lambda:DeleteFunction",
          "lambda:UpdateFunctionCode",
          "lambda:UpdateFunctionConfiguration",
          "lambda:PutFunctionEventInvokeConfig",
          "lambda:UpdateFunctionEventInvokeConfig",
          "lambda:DeleteFunctionEventInvokeConfig",
          "lambda:AddPermission",
          "lambda:RemovePermission",
          "lambda:TagResource",
          "lambda:UntagResource",
          "lambda:UpdateEventSourceMapping",
          "lambda:DeleteEventSourceMapping",
        ],
        [regional("lambda", `function:${prefix}*`), regional("lambda", "event-source-mapping:*")],
      ),
      allow("EventSourceMappings", ["lambda:CreateEventSourceMapping"], "*", {
        ArnLike: { "lambda:FunctionArn": regional("lambda", `function:${prefix}*`) },
      }),
      allow(
        "QueuesAndTopics",
        [
          "sqs:CreateQueue",
          "sqs:DeleteQueue",
          "sqs:SetQueueAttributes",
          "sqs:TagQueue",
          "sqs:UntagQueue",
          "sns:CreateTopic",
          "sns:DeleteTopic",
          "sns:SetTopicAttributes",
          "sns:TagResource",
          "sns:UntagResource",
        ],
        [regional("sqs", `${prefix}*`), regional("sns", `${prefix}*`)],
      ),
      allow(
        "EventsAndSchedules",
        [
          "events:PutRule",
          "events:DeleteRule",
          "events:PutTargets",
          "events:RemoveTargets",
          "events:TagResource",
          "events:UntagResource",
          "scheduler:CreateSchedule",
          "scheduler:UpdateSchedule",
          "scheduler:DeleteSchedule",
        ],
        [regional("events", `rule/${prefix}*`), regional("scheduler", `schedule/*/${prefix}*`)],
      ),
      allow(
        "LogsAndAlarms",
        [
          "logs:CreateLogGroup",
          "logs:DeleteLogGroup",
          "logs:PutRetentionPolicy",
          "logs:DeleteRetentionPolicy",
          "logs:AssociateKmsKey",
          "logs:DisassociateKmsKey",
          "logs:TagResource",
          "logs:UntagResource",
          "logs:PutMetricFilter",
          "logs:DeleteMetricFilter",
          "cloudwatch:PutMetricAlarm",
          "cloudwatch:DeleteAlarms",
          "cloudwatch:TagResource",
          "cloudwatch:UntagResource",
          "cloudwatch:PutDashboard",
          "cloudwatch:DeleteDashboards",
        ],
        [
          regional("logs", `log-group:/aws/*/${prefix}*`),
          regional("logs", `log-group:/${prefix}/*`),
          regional("cloudwatch", `alarm:${prefix}*`),
          // Dashboards are global: their ARNs have no region.
          `arn:${p}:cloudwatch::${acct}:dashboard/${prefix}*`,
        ],
      ),
      // Budgets are global too; ModifyBudget creates, updates and deletes a budget and its notifications.
      allow(
        "CostBudgets",
        ["budgets:ModifyBudget", "budgets:ViewBudget"],
        `arn:${p}:budgets::${acct}:budget/${prefix}*`,
      ),
      allow(
        "VendedLogDelivery",
        writesOnlyOnAnyResource.filter((a) => a.startsWith("logs:")),
        "*",
      ),
      // Secrets rotation comes from AWS's Serverless Application Repository as a CloudFormation stack.
      allow(
        "RotationApplication",
        [
          "serverlessrepo:CreateCloudFormationChangeSet",
          "serverlessrepo:CreateCloudFormationTemplate",
          "cloudformation:CreateChangeSet",
          "cloudformation:ExecuteChangeSet",
          "cloudformation:DeleteChangeSet",
          "cloudformation:DeleteStack",
          "cloudformation:UpdateStack",
        ],
        [
          `arn:${p}:serverlessrepo:*:*:applications/*`,
          regional("cloudformation", `stack/serverlessrepo-${prefix}*/*`),
          `arn:${p}:cloudformation:*:aws:transform/Serverless-2016-10-31`,
        ],
      ),
      allow(
        "FunctionsRead",
        [
          "lambda",
          "sqs",
          "sns",
          "events",
          "scheduler",
          "logs",
          "cloudwatch",
          "serverlessrepo",
          "cloudformation",
        ].flatMap(read),
        "*",
      ),
    ),
    identity: doc(
      allow(
        "LoglakeRoles",
        [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
        ],
        // The rotation application's stack names its function's role after itself.
        [iam(`role/${prefix}*`), iam(`role/serverlessrepo-${prefix}*`)],
      ),
      allow("LoglakeRolePolicies", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], iam(`role/*${prefix}*`), {
        ArnLike: {
          "iam:PolicyARN": [
            iam(`policy/${prefix}*`),
            ...attachableManagedPolicies.map((name) => `arn:${p}:iam::aws:policy/${name}`),
          ],
        },
      }),
      allow(
        "LoglakePolicies",
        [
          "iam:CreatePolicy",
          "iam:DeletePolicy",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicyVersion",
          "iam:TagPolicy",
          "iam:UntagPolicy",
        ],
        iam(`policy/${prefix}*`),
      ),
      allow(
        "ClusterOidcProviders",
        [
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
          "iam:AddClientIDToOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider",
          "iam:UntagOpenIDConnectProvider",
        ],
        iam("oidc-provider/oidc.eks.*"),
      ),
      allow("PassLoglakeRoles", ["iam:PassRole"], [iam(`role/${prefix}*`), iam(`role/serverlessrepo-${prefix}*`)], {
        StringEquals: { "iam:PassedToService": [...passedToServices] },
      }),
      allow("SelfCreatedServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], iam("role/aws-service-role/*"), {
        StringEquals: { "iam:AWSServiceName": [...selfCreatedServiceLinkedRoles] },
      }),
      allow("CreateKeys", ["kms:CreateKey"], "*"),
      allow(
        "Keys",
        [
          "kms:CreateAlias",
          "kms:DeleteAlias",
          "kms:UpdateAlias",
          "kms:PutKeyPolicy",
          "kms:EnableKeyRotation",
          "kms:DisableKeyRotation",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
          "kms:UpdateKeyDescription",
          "kms:TagResource",
          "kms:UntagResource",
          // Services that encrypt with a key (RDS, EKS, MSK, Lambda, Secrets Manager) do so with
          // the caller's permissions while they are created.
          "kms:CreateGrant",
          "kms:RetireGrant",
          "kms:RevokeGrant",
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
        ],
        [regional("kms", "key/*"), regional("kms", `alias/${prefix}*`)],
      ),
      allow("PulumiStateBucket", ["s3:ListBucket"], scope.stateBucketArn),
      allow("PulumiState", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], `${scope.stateBucketArn}/*`),
      allow(
        "PulumiStateKeys",
        ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        [scope.stateKeyArn, scope.secretsKeyArn],
      ),
      allow("IdentityRead", ["iam", "kms"].flatMap(read), "*"),
      {
        Sid: "KeepTheBootstrap",
        Effect: "Deny",
        Action: [
          "s3:DeleteBucket",
          "s3:PutBucketPolicy",
          "s3:DeleteBucketPolicy",
          "s3:PutBucketVersioning",
          "s3:PutLifecycleConfiguration",
          "s3:PutEncryptionConfiguration",
          "s3:PutBucketPublicAccessBlock",
          "s3:PutBucketOwnershipControls",
          "kms:PutKeyPolicy",
          "kms:ScheduleKeyDeletion",
          "kms:DisableKey",
          "kms:CreateGrant",
          "iam:Create*",
          "iam:Update*",
          "iam:Put*",
          "iam:Attach*",
          "iam:Detach*",
          "iam:Delete*",
          "iam:Tag*",
          "iam:Untag*",
          "iam:Add*",
          "iam:Remove*",
          "iam:PassRole",
        ],
        Resource: [scope.stateBucketArn, scope.stateKeyArn, scope.secretsKeyArn, ...scope.protectedIamArns],
      },
    ),
  };
}

/**
 * The preview role's single document: read-only access to every service loglake uses (what
 * `pulumi preview --refresh` reads), the state (read, plus the lock object the S3 backend writes
 * even for a preview) and decryption with the state and secrets keys. Secret values and objects
 * are readable only where the stacks' refresh needs them: loglake-named secrets (the secret
 * versions loglake manages) and loglake-named buckets (the Spark job files).
 */
export function previewPolicy(scope: CiScope): PolicyDocument {
  const { partition: p, accountId: acct, prefix } = scope;
  const noValues = managedServices.filter((s) => s !== "secretsmanager" && s !== "s3");
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Read", Effect: "Allow", Action: noValues.flatMap(read), Resource: "*" },
      {
        Sid: "ReadKafkaTopics",
        Effect: "Allow",
        // MSK's topic API authorizes with the Kafka data-plane actions, Connect included.
        Action: [
          "kafka-cluster:Connect",
          "kafka-cluster:DescribeTopic",
          "kafka-cluster:DescribeTopicDynamicConfiguration",
        ],
        Resource: kafkaTopicArns(scope),
      },
      {
        Sid: "ReadSecretsMetadata",
        Effect: "Allow",
        Action: [
          "secretsmanager:DescribeSecret",
          "secretsmanager:GetResourcePolicy",
          "secretsmanager:ListSecrets",
          "secretsmanager:ListSecretVersionIds",
        ],
        Resource: "*",
      },
      {
        Sid: "ReadLoglakeSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: `arn:${p}:secretsmanager:*:${acct}:secret:${prefix}*`,
      },
      // Budgets name their read View, not Describe, Get or List.
      {
        Sid: "ReadLoglakeBudgets",
        Effect: "Allow",
        Action: ["budgets:ViewBudget"],
        Resource: `arn:${p}:budgets::${acct}:budget/${prefix}*`,
      },
      { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets"], Resource: "*" },
      {
        Sid: "ReadLoglakeBuckets",
        Effect: "Allow",
        Action: ["s3:GetBucket*", "s3:Get*Configuration", "s3:ListBucket", "s3:GetObject", "s3:GetObjectTagging"],
        Resource: [
          `arn:${p}:s3:::${prefix}*`,
          `arn:${p}:s3:::${prefix}*/*`,
          scope.stateBucketArn,
          `${scope.stateBucketArn}/*`,
        ],
      },
      {
        Sid: "TakeTheStackLock",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: `${scope.stateBucketArn}/.pulumi/locks/*`,
      },
      {
        Sid: "DecryptStateAndSecrets",
        Effect: "Allow",
        // GenerateDataKey: the lock object is written SSE-KMS under the bucket's key.
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [scope.stateKeyArn, scope.secretsKeyArn],
      },
    ],
  };
}
