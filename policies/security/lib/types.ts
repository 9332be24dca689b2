/**
 * Type tokens of @pulumi/aws v7 (and its deprecated V2 aliases, which v7 still registers under
 * their own tokens) and of the remote components loglake uses.
 */
export const S3_BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const S3_ENCRYPTION = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const S3_VERSIONING = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
];
export const S3_PUBLIC_ACCESS_BLOCK = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
export const S3_POLICY = ["aws:s3/bucketPolicy:BucketPolicy"];
export const S3_LIFECYCLE = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];
export const S3_ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
export const RDS_CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup";

export const MSK_CLUSTER = "aws:msk/cluster:Cluster";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** pulumi-eks remote components: opaque under mocks, so their inputs are what can be checked offline. */
export const EKS_COMPONENT_CLUSTER = "eks:index:Cluster";
export const EKS_COMPONENT_MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";
export const AWSX_VPC = "awsx:ec2:Vpc";

export const EC2_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const EBS_VOLUME = "aws:ebs/volume:Volume";
export const EC2_SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const EC2_DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const EC2_SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EC2_SUBNET = "aws:ec2/subnet:Subnet";
export const EC2_NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";

export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const SQS_QUEUE = "aws:sqs/queue:Queue";
export const SNS_TOPIC = "aws:sns/topic:Topic";
export const BUDGET = "aws:budgets/budget:Budget";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const SECRET = "aws:secretsmanager/secret:Secret";
export const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const KMS_KEY = "aws:kms/key:Key";

export const IAM_POLICY = "aws:iam/policy:Policy";
export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_INLINE_POLICY = [
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
];
export const IAM_POLICY_ATTACHMENT = [
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
];

export const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
export const LAMBDA_FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
export const LAMBDA_EVENT_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";
export const SQS_QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
export const SCHEDULER_SCHEDULE = "aws:scheduler/schedule:Schedule";
