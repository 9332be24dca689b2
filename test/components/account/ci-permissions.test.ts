import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  attachableManagedPolicies,
  CiScope,
  deployPolicies,
  deployPolicyGroups,
  passedToServices,
  PolicyDocument,
  previewPolicy,
  Statement,
  writesOnlyOnAnyResource,
} from "../../../components/account/ci-permissions";
import { kafkaClusterName } from "../../../infra/settings/kafka";
import { actionMatches, isReadOnlyAction } from "../../../policies/security/lib/iam";
import { ACTIONS_ONLY_ON_ANY_RESOURCE } from "../../../policies/security/policies/iam-no-wildcard-resource-writes";
import { testAccount } from "../../support/account";
import { plannedStack } from "../../support/plans";

const acct = testAccount.accountId;
const scope: CiScope = {
  partition: "aws",
  accountId: acct,
  prefix: "loglake",
  kafkaClusterNames: ["loglake", "loglake-dev", "loglake-dr"].map(kafkaClusterName),
  stateBucketArn: `arn:aws:s3:::loglake-pulumi-state-${acct}-eu-west-1`,
  stateKeyArn: `arn:aws:kms:eu-west-1:${acct}:key/state`,
  secretsKeyArn: `arn:aws:kms:eu-west-1:${acct}:key/secrets`,
  // As GitHubCiAccess fills it: both CI roles, the deploy role's five policies, the OIDC provider.
  protectedIamArns: [
    ...["preview", "deploy"].map((role) => `arn:aws:iam::${acct}:role/loglake-github-${role}`),
    ...deployPolicyGroups.map((group) => `arn:aws:iam::${acct}:policy/loglake-github-deploy-${group}`),
    `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com`,
  ],
};
const deploy: Statement[] = Object.values(deployPolicies(scope)).flatMap((d) => d.Statement);
const preview: Statement[] = previewPolicy(scope).Statement;

/** An ARN pattern of a policy (with * and ?) against an ARN, as IAM matches resources. */
const arnMatches = (pattern: string, arn: string) => actionMatches(pattern, arn);
const resourcesOf = (s: Statement) => [s.Resource].flat();

/** Whether the statements allow `action` (on `resource`, when given), conditions aside, and no Deny refuses it. */
function allows(statements: Statement[], action: string, resource?: string): boolean {
  const covers = (s: Statement) =>
    s.Action.some((a) => actionMatches(a, action)) &&
    (resource === undefined || resourcesOf(s).some((r) => arnMatches(r, resource)));
  const denied = statements.some((s) => s.Effect === "Deny" && resource !== undefined && covers(s));
  return !denied && statements.some((s) => s.Effect === "Allow" && covers(s));
}

/**
 * The IAM actions `pulumi up` needs for each resource type the stacks plan: create, change, delete
 * and the read that refresh does, and the role it passes. A new type fails the coverage test until
 * it is mapped here and granted in components/account/ci-permissions.ts.
 */
const requiredActions: Record<string, string[]> = {
  "aws:appautoscaling/policy:Policy": [
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:DescribeScalingPolicies",
  ],
  "aws:appautoscaling/target:Target": [
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:DescribeScalableTargets",
    "iam:CreateServiceLinkedRole",
  ],
  "aws:autoscaling/tag:Tag": ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:DescribeTags"],
  "aws:budgets/budget:Budget": ["budgets:ModifyBudget", "budgets:ViewBudget"],
  "aws:cloudwatch/dashboard:Dashboard": [
    "cloudwatch:PutDashboard",
    "cloudwatch:DeleteDashboards",
    "cloudwatch:GetDashboard",
  ],
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": [
    "logs:PutMetricFilter",
    "logs:DeleteMetricFilter",
    "logs:DescribeMetricFilters",
  ],
  "aws:eks/addon:Addon": ["eks:CreateAddon", "eks:UpdateAddon", "eks:DeleteAddon", "eks:DescribeAddon"],
  "aws:cloudwatch/eventRule:EventRule": ["events:PutRule", "events:DeleteRule", "events:DescribeRule"],
  "aws:cloudwatch/eventTarget:EventTarget": ["events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule"],
  "aws:cloudwatch/logGroup:LogGroup": [
    "logs:CreateLogGroup",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:AssociateKmsKey",
    "logs:DescribeLogGroups",
    "logs:TagResource",
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DescribeAlarms",
  ],
  "aws:dynamodb/table:Table": [
    "dynamodb:CreateTable",
    "dynamodb:UpdateTable",
    "dynamodb:DeleteTable",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:DescribeTable",
    "dynamodb:DescribeContinuousBackups",
  ],
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": [
    "ec2:RevokeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:DescribeSecurityGroups",
  ],
  "aws:ec2/flowLog:FlowLog": ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", "iam:PassRole"],
  "aws:ec2/launchTemplate:LaunchTemplate": [
    "ec2:CreateLaunchTemplate",
    "ec2:CreateLaunchTemplateVersion",
    "ec2:DeleteLaunchTemplate",
    "ec2:DescribeLaunchTemplates",
  ],
  "aws:ec2/securityGroup:SecurityGroup": [
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:DescribeSecurityGroups",
    "ec2:CreateTags",
  ],
  "aws:ec2/vpcEndpoint:VpcEndpoint": [
    "ec2:CreateVpcEndpoint",
    "ec2:ModifyVpcEndpoint",
    "ec2:DeleteVpcEndpoints",
    "ec2:DescribeVpcEndpoints",
  ],
  "aws:ecr/repository:Repository": ["ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories"],
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": ["ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy"],
  "awsx:ecr:Image": ["ecr:GetAuthorizationToken", "ecr:InitiateLayerUpload", "ecr:PutImage"],
  "aws:emrcontainers/virtualCluster:VirtualCluster": [
    "emr-containers:CreateVirtualCluster",
    "emr-containers:DeleteVirtualCluster",
    "emr-containers:DescribeVirtualCluster",
    "iam:CreateServiceLinkedRole",
  ],
  "aws:iam/policy:Policy": [
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeletePolicyVersion",
    "iam:DeletePolicy",
    "iam:GetPolicyVersion",
  ],
  "aws:iam/role:Role": ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:GetRole", "iam:TagRole"],
  "aws:iam/rolePolicy:RolePolicy": ["iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": [
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:ListAttachedRolePolicies",
  ],
  "aws:kms/alias:Alias": ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"],
  "aws:kms/grant:Grant": ["kms:CreateGrant", "kms:RetireGrant", "kms:ListGrants"],
  "aws:kms/key:Key": [
    "kms:CreateKey",
    "kms:PutKeyPolicy",
    "kms:EnableKeyRotation",
    "kms:ScheduleKeyDeletion",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:TagResource",
  ],
  "aws:lambda/eventSourceMapping:EventSourceMapping": [
    "lambda:CreateEventSourceMapping",
    "lambda:UpdateEventSourceMapping",
    "lambda:DeleteEventSourceMapping",
    "lambda:GetEventSourceMapping",
  ],
  "aws:lambda/permission:Permission": ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
  "aws:lambda/function:Function": [
    "lambda:CreateFunction",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:DeleteFunction",
    "lambda:GetFunction",
    "iam:PassRole",
  ],
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": [
    "lambda:PutFunctionEventInvokeConfig",
    "lambda:DeleteFunctionEventInvokeConfig",
    "lambda:GetFunctionEventInvokeConfig",
  ],
  "aws:msk/cluster:Cluster": [
    "kafka:CreateCluster",
    "kafka:UpdateBrokerStorage",
    "kafka:UpdateClusterConfiguration",
    "kafka:DeleteCluster",
    "kafka:DescribeCluster",
    "logs:CreateLogDelivery",
    "iam:CreateServiceLinkedRole",
  ],
  "aws:msk/configuration:Configuration": [
    "kafka:CreateConfiguration",
    "kafka:UpdateConfiguration",
    "kafka:DeleteConfiguration",
    "kafka:DescribeConfiguration",
  ],
  "aws:msk/topic:Topic": [
    "kafka-cluster:Connect",
    "kafka-cluster:CreateTopic",
    "kafka-cluster:AlterTopic",
    "kafka-cluster:DeleteTopic",
    "kafka-cluster:DescribeTopic",
  ],
  "aws:rds/instance:Instance": [
    "rds:CreateDBInstance",
    "rds:CreateDBInstanceReadReplica",
    "rds:ModifyDBInstance",
    "rds:DeleteDBInstance",
    "rds:DescribeDBInstances",
    "iam:PassRole",
    "iam:CreateServiceLinkedRole",
  ],
  "aws:rds/parameterGroup:ParameterGroup": [
    "rds:CreateDBParameterGroup",
    "rds:ModifyDBParameterGroup",
    "rds:DeleteDBParameterGroup",
    "rds:DescribeDBParameters",
  ],
  "aws:rds/subnetGroup:SubnetGroup": [
    "rds:CreateDBSubnetGroup",
    "rds:ModifyDBSubnetGroup",
    "rds:DeleteDBSubnetGroup",
    "rds:DescribeDBSubnetGroups",
  ],
  "aws:s3/bucket:Bucket": ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:PutBucketTagging"],
  "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration": [
    "s3:PutIntelligentTieringConfiguration",
    "s3:GetIntelligentTieringConfiguration",
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
    "s3:PutLifecycleConfiguration",
    "s3:GetLifecycleConfiguration",
  ],
  "aws:s3/bucketLogging:BucketLogging": ["s3:PutBucketLogging", "s3:GetBucketLogging"],
  "aws:s3/bucketNotification:BucketNotification": ["s3:PutBucketNotification", "s3:GetBucketNotification"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": [
    "s3:PutBucketOwnershipControls",
    "s3:GetBucketOwnershipControls",
  ],
  "aws:s3/bucketPolicy:BucketPolicy": ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketPolicy"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": [
    "s3:PutBucketPublicAccessBlock",
    "s3:GetBucketPublicAccessBlock",
  ],
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": [
    "s3:PutReplicationConfiguration",
    "s3:GetReplicationConfiguration",
    "iam:PassRole",
  ],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
    "s3:PutEncryptionConfiguration",
    "s3:GetEncryptionConfiguration",
  ],
  "aws:s3/bucketVersioning:BucketVersioning": ["s3:PutBucketVersioning", "s3:GetBucketVersioning"],
  "aws:scheduler/schedule:Schedule": [
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
    "iam:PassRole",
  ],
  "aws:secretsmanager/secret:Secret": [
    "secretsmanager:CreateSecret",
    "secretsmanager:UpdateSecret",
    "secretsmanager:DeleteSecret",
    "secretsmanager:DescribeSecret",
    "secretsmanager:TagResource",
  ],
  "aws:secretsmanager/secretRotation:SecretRotation": [
    "secretsmanager:RotateSecret",
    "secretsmanager:CancelRotateSecret",
    "secretsmanager:DescribeSecret",
  ],
  "aws:secretsmanager/secretVersion:SecretVersion": ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue"],
  "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": [
    "serverlessrepo:CreateCloudFormationChangeSet",
    "serverlessrepo:GetApplication",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:DescribeStacks",
    "cloudformation:DeleteStack",
    "iam:CreateRole",
    "lambda:CreateFunction",
  ],
  "aws:sns/topic:Topic": ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:GetTopicAttributes"],
  "aws:sns/topicPolicy:TopicPolicy": ["sns:SetTopicAttributes", "sns:GetTopicAttributes"],
  "aws:sqs/queue:Queue": ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:GetQueueAttributes"],
  "aws:sqs/queuePolicy:QueuePolicy": ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:DescribeSecurityGroupRules",
  ],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:DescribeSecurityGroupRules",
  ],
  "awsx:ec2:Vpc": [
    "ec2:CreateVpc",
    "ec2:CreateSubnet",
    "ec2:CreateRouteTable",
    "ec2:CreateRoute",
    "ec2:AssociateRouteTable",
    "ec2:CreateInternetGateway",
    "ec2:AttachInternetGateway",
    "ec2:AllocateAddress",
    "ec2:CreateNatGateway",
    "ec2:DeleteNatGateway",
    "ec2:ReleaseAddress",
    "ec2:DeleteVpc",
    "ec2:DescribeVpcs",
  ],
  "eks:index:Cluster": [
    "eks:CreateCluster",
    "eks:UpdateClusterConfig",
    "eks:DeleteCluster",
    "eks:DescribeCluster",
    "eks:CreateAccessEntry",
    "eks:AssociateAccessPolicy",
    "eks:CreateAddon",
    "iam:CreateRole",
    "iam:AttachRolePolicy",
    "iam:PassRole",
    "iam:CreateOpenIDConnectProvider",
    "iam:CreateServiceLinkedRole",
    "ec2:CreateSecurityGroup",
  ],
  "eks:index:ManagedNodeGroup": [
    "eks:CreateNodegroup",
    "eks:UpdateNodegroupConfig",
    "eks:UpdateNodegroupVersion",
    "eks:DeleteNodegroup",
    "eks:DescribeNodegroup",
    "iam:PassRole",
    "iam:CreateServiceLinkedRole",
  ],
};

/** Types that make no AWS call of their own: Pulumi's, loglake's components, local generators; Kubernetes objects go through the cluster's API. */
function actionsFor(type: string): string[] | undefined {
  if (type.startsWith("kubernetes:") || type === "pulumi:providers:kubernetes") return ["eks:DescribeCluster"];
  if (/^(pulumi:|loglake:|random:)/.test(type)) return [];
  return requiredActions[type];
}

const plannedTypes = async () => {
  const types = new Set<string>();
  for (const stack of ["dev", "prod", "dr"]) for (const r of (await plannedStack(stack)).resources) types.add(r.type);
  return [...types].sort();
};

describe("CI roles' permissions", function () {
  this.timeout(300_000);

  describe("the deploy role", () => {
    it("can manage every resource type the dev, prod and dr plans hold", async () => {
      const unmapped: string[] = [];
      const refused: string[] = [];
      for (const type of await plannedTypes()) {
        const actions = actionsFor(type);
        if (!actions) unmapped.push(type);
        else for (const action of actions) if (!allows(deploy, action)) refused.push(`${type}: ${action}`);
      }
      assert.deepEqual(unmapped, [], "types with no IAM mapping: add them to requiredActions and grant them");
      assert.deepEqual(refused, [], "actions the deploy role does not allow");
    });

    it("the coverage check refuses what the role does not grant (it is not a no-op)", () => {
      assert.equal(allows(deploy, "redshift:CreateCluster"), false);
      assert.equal(allows(deploy, "iam:CreateUser"), false);
      assert.equal(allows(deploy, "organizations:LeaveOrganization"), false);
    });

    it("manages IAM only on loglake-named roles and policies, never on *", () => {
      const iamWrites = deploy.filter(
        (s) => s.Effect === "Allow" && s.Action.some((a) => a.startsWith("iam:") && !isReadOnlyAction(a)),
      );
      for (const s of iamWrites) assert.ok(!resourcesOf(s).includes("*"), `${s.Sid} allows IAM writes on *`);
      assert.ok(allows(deploy, "iam:PutRolePolicy", `arn:aws:iam::${acct}:role/loglake-dev-spark-1a2b3c`));
      assert.ok(!allows(deploy, "iam:PutRolePolicy", `arn:aws:iam::${acct}:role/OrganizationAccountAccessRole`));
      assert.ok(!allows(deploy, "iam:CreatePolicyVersion", `arn:aws:iam::${acct}:policy/admin`));
    });

    it("passes loglake roles only to the services loglake hands roles to", () => {
      const pass = deploy.filter((s) => s.Effect === "Allow" && s.Action.includes("iam:PassRole"));
      assert.equal(pass.length, 1);
      assert.deepEqual(pass[0].Condition, { StringEquals: { "iam:PassedToService": [...passedToServices] } });
      for (const r of resourcesOf(pass[0])) assert.match(r, /:role\/(serverlessrepo-)?loglake\*$/);
    });

    it("attaches only loglake's policies and the AWS-managed ones the stacks attach", async () => {
      const attach = deploy.find((s) => s.Action.includes("iam:AttachRolePolicy"))!;
      const allowed = attach.Condition!.ArnLike["iam:PolicyARN"] as string[];
      for (const stack of ["dev", "prod", "dr"]) {
        for (const r of (await plannedStack(stack)).resources) {
          if (r.type !== "aws:iam/rolePolicyAttachment:RolePolicyAttachment") continue;
          const arn = String(r.inputs.policyArn);
          assert.ok(
            allowed.some((p) => arnMatches(p, arn)),
            `${stack}: ${arn} is not attachable by the deploy role`,
          );
        }
      }
      assert.ok(!allowed.some((p) => arnMatches(p, "arn:aws:iam::aws:policy/AdministratorAccess")));
      assert.equal(attachableManagedPolicies.length, new Set(attachableManagedPolicies).size);
    });

    it("trusts the services every planned role names as principal to receive it", async () => {
      for (const stack of ["dev", "prod", "dr"]) {
        for (const r of (await plannedStack(stack)).resources) {
          if (r.type !== "aws:iam/role:Role") continue;
          const trust = JSON.parse(String(r.inputs.assumeRolePolicy)) as {
            Statement: { Principal?: { Service?: string | string[] } }[];
          };
          for (const service of trust.Statement.flatMap((s) => [s.Principal?.Service ?? []].flat())) {
            assert.ok((passedToServices as readonly string[]).includes(service), `${stack} ${r.name}: ${service}`);
          }
          // The role name (or the logical name Pulumi derives it from) falls under the managed prefix.
          assert.match(String(r.inputs.name ?? r.name), /^loglake/, `${stack} ${r.name}`);
        }
      }
    });

    it("creates service-linked roles only for the services that create theirs on first use", () => {
      const slr = deploy.find((s) => s.Action.includes("iam:CreateServiceLinkedRole"))!;
      const services = slr.Condition!.StringEquals["iam:AWSServiceName"];
      assert.ok(!services.includes("autoscaling.amazonaws.com"), "the bootstrap owns Auto Scaling's");
      assert.ok(services.includes("eks-nodegroup.amazonaws.com") && services.includes("kafka.amazonaws.com"));
    });

    it("cannot undo the bootstrap: the state bucket's guards, the keys and the CI roles are denied", () => {
      const bucket = scope.stateBucketArn;
      assert.ok(allows(deploy, "s3:PutObject", `${bucket}/.pulumi/stacks/loglake/prod.json`), "writes state");
      for (const action of [
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
      ]) {
        assert.ok(!allows(deploy, action, bucket), action);
        assert.ok(
          allows(deploy, action, `arn:aws:s3:::loglake-dev-raw-${acct}-eu-west-1`),
          `${action} on a lake bucket`,
        );
      }
      assert.ok(!allows(deploy, "kms:ScheduleKeyDeletion", scope.secretsKeyArn));
      assert.ok(allows(deploy, "kms:ScheduleKeyDeletion", `arn:aws:kms:eu-west-1:${acct}:key/lake`));
      for (const arn of scope.protectedIamArns) {
        for (const action of [
          "iam:PutRolePolicy",
          "iam:AttachRolePolicy",
          "iam:UpdateAssumeRolePolicy",
          "iam:CreatePolicyVersion",
        ]) {
          assert.ok(!allows(deploy, action, arn), `${action} on ${arn}`);
        }
      }
    });

    it("each document fits a managed policy (6,144 characters)", () => {
      for (const [group, doc] of Object.entries(deployPolicies(scope))) {
        const size = JSON.stringify(doc).length;
        assert.ok(size <= 6144, `${group}: ${size} characters`);
      }
    });

    it("the bootstrap's pack config allows on * exactly the writes IAM accepts only there", () => {
      const config = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "../../../policies/security/config.bootstrap.json"), "utf8"),
      ) as Record<string, { allowedActions: string[] }>;
      assert.deepEqual(
        [...config["iam-no-wildcard-resource-writes"].allowedActions].sort(),
        [...new Set([...ACTIONS_ONLY_ON_ANY_RESOURCE, ...writesOnlyOnAnyResource])].sort(),
      );
      const onAny = deploy.filter((s) => s.Effect === "Allow" && resourcesOf(s).includes("*"));
      const writes = onAny.flatMap((s) => s.Action).filter((a) => !isReadOnlyAction(a));
      assert.deepEqual([...new Set(writes)].sort(), [...writesOnlyOnAnyResource].sort());
    });
  });

  describe("the preview role", () => {
    /** Not a read by its verb, but what `pulumi preview --refresh` needs: decrypting, the stack lock, MSK's topic API. */
    const exceptions: Record<string, (resources: string[]) => boolean> = {
      "kms:Decrypt": (r) => r.every((x) => x === scope.stateKeyArn || x === scope.secretsKeyArn),
      "kms:GenerateDataKey": (r) => r.every((x) => x === scope.stateKeyArn || x === scope.secretsKeyArn),
      "s3:PutObject": (r) => r.every((x) => x === `${scope.stateBucketArn}/.pulumi/locks/*`),
      "s3:DeleteObject": (r) => r.every((x) => x === `${scope.stateBucketArn}/.pulumi/locks/*`),
      "kafka-cluster:Connect": (r) =>
        r.every((x) => /^arn:aws:kafka:\*:\d+:(cluster|topic)\/loglake[\w-]*-kafka\/\*$/.test(x)),
    };

    it("is read-only: Describe, Get and List, plus decrypting the state and taking the stack lock", () => {
      for (const s of preview) {
        assert.equal(s.Effect, "Allow");
        for (const action of s.Action) {
          if (isReadOnlyAction(action)) continue;
          assert.ok(exceptions[action], `${s.Sid}: ${action} is not read-only`);
          assert.ok(exceptions[action](resourcesOf(s)), `${s.Sid}: ${action} on ${resourcesOf(s).join(", ")}`);
        }
      }
    });

    it("reads what refresh reads of every planned type", async () => {
      const refused: string[] = [];
      for (const type of await plannedTypes()) {
        const reads = (actionsFor(type) ?? []).filter(isReadOnlyAction);
        for (const action of reads) if (!allows(preview, action)) refused.push(`${type}: ${action}`);
      }
      assert.deepEqual(refused, []);
      assert.ok(allows(preview, "s3:GetObject", `${scope.stateBucketArn}/.pulumi/stacks/loglake/prod.json`));
    });

    it("reads no data: no table items, log events or secret values outside loglake's", () => {
      assert.ok(!allows(preview, "dynamodb:GetItem"));
      assert.ok(!allows(preview, "logs:GetLogEvents"));
      assert.ok(
        !allows(preview, "secretsmanager:GetSecretValue", `arn:aws:secretsmanager:eu-west-1:${acct}:secret:other-abc`),
      );
      assert.ok(
        allows(
          preview,
          "secretsmanager:GetSecretValue",
          `arn:aws:secretsmanager:eu-west-1:${acct}:secret:loglake-hive-abc`,
        ),
      );
      assert.ok(!allows(preview, "s3:GetObject", "arn:aws:s3:::someone-elses-bucket/x"));
    });

    it("writes nothing else: no create, put or delete outside the lock", () => {
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
        assert.ok(!allows(preview, action, `${scope.stateBucketArn}/.pulumi/stacks/loglake/prod.json`), action);
      }
      assert.ok(!allows(preview, "ec2:CreateVpc") && !allows(preview, "iam:PassRole"));
    });

    it("fits one inline policy (10,240 characters)", () => {
      const doc: PolicyDocument = previewPolicy(scope);
      assert.ok(JSON.stringify(doc).length <= 10240);
    });
  });
});
