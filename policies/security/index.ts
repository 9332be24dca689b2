import { PolicyPack } from "@pulumi/policy";
import { dynamodbPointInTimeRecovery } from "./policies/dynamodb-point-in-time-recovery";
import { budgetsCostBudgetInProd } from "./policies/budgets-cost-budget-in-prod";
import { lambdaAsyncFailureDestination } from "./policies/lambda-async-failure-destination";
import { lambdaInVpc } from "./policies/lambda-in-vpc";
import { lambdaNoPublicAccess } from "./policies/lambda-no-public-access";
import { lambdaSupportedRuntime } from "./policies/lambda-supported-runtime";
import { schedulerTargetRoleAndDlq } from "./policies/scheduler-target-role-and-dlq";
import { sqsQueuePolicyNotPublic } from "./policies/sqs-queue-policy-not-public";
import { cloudwatchLogGroupKms } from "./policies/cloudwatch-log-group-kms";
import { cloudwatchLogGroupRetention } from "./policies/cloudwatch-log-group-retention";
import { dynamodbTableKms } from "./policies/dynamodb-table-kms";
import { ebsEncrypted } from "./policies/ebs-encrypted";
import { ec2LaunchTemplateImdsv2 } from "./policies/ec2-launch-template-imdsv2";
import { ec2NoPublicIngress } from "./policies/ec2-no-public-ingress";
import { ec2SubnetNoPublicIp } from "./policies/ec2-subnet-no-public-ip";
import { eksEndpointRestricted } from "./policies/eks-endpoint-restricted";
import { eksSecretsEncryption } from "./policies/eks-secrets-encryption";
import { iamNoAdminPolicyAttachment } from "./policies/iam-no-admin-policy-attachment";
import { iamNoNotActionAllow } from "./policies/iam-no-not-action-allow";
import { iamNoPassroleWildcard } from "./policies/iam-no-passrole-wildcard";
import { iamNoWildcardActions } from "./policies/iam-no-wildcard-actions";
import { iamNoWildcardResourceWrites } from "./policies/iam-no-wildcard-resource-writes";
import { iamTrustNoPublicPrincipal } from "./policies/iam-trust-no-public-principal";
import { iamWebIdentityTrustPinned } from "./policies/iam-web-identity-trust-pinned";
import { kmsKeyRotation } from "./policies/kms-key-rotation";
import { kubernetesImagePinned } from "./policies/kubernetes-image-pinned";
import { kubernetesNoClusterAdminBinding } from "./policies/kubernetes-no-cluster-admin-binding";
import { kubernetesNoHostAccess } from "./policies/kubernetes-no-host-access";
import { kubernetesNoPrivilegedContainers } from "./policies/kubernetes-no-privileged-containers";
import { kubernetesNoPublicLoadBalancer } from "./policies/kubernetes-no-public-load-balancer";
import { kubernetesNonRootNoEscalation } from "./policies/kubernetes-non-root-no-escalation";
import { kubernetesResourcesSet } from "./policies/kubernetes-resources-set";
import { lambdaEnvironmentKms } from "./policies/lambda-environment-kms";
import { mskClientPolicyScoped } from "./policies/msk-client-policy-scoped";
import { mskEncryptionAtRest } from "./policies/msk-encryption-at-rest";
import { mskMultiAz } from "./policies/msk-multi-az";
import { mskPublicAccessDisabled } from "./policies/msk-public-access-disabled";
import { mskTlsInTransit } from "./policies/msk-tls-in-transit";
import { mskUnauthenticatedAccessDisabled } from "./policies/msk-unauthenticated-access-disabled";
import { rdsBackupRetention } from "./policies/rds-backup-retention";
import { rdsDeletionProtection } from "./policies/rds-deletion-protection";
import { rdsForceSsl } from "./policies/rds-force-ssl";
import { rdsMultiAz } from "./policies/rds-multi-az";
import { rdsNotPublic } from "./policies/rds-not-public";
import { rdsPerformanceInsightsEncrypted } from "./policies/rds-performance-insights-encrypted";
import { rdsStorageEncrypted } from "./policies/rds-storage-encrypted";
import { s3BucketKmsEncryption } from "./policies/s3-bucket-kms-encryption";
import { s3BucketLifecycle } from "./policies/s3-bucket-lifecycle";
import { s3BucketPublicAccessBlock } from "./policies/s3-bucket-public-access-block";
import { s3BucketTlsOnly } from "./policies/s3-bucket-tls-only";
import { s3BucketVersioning } from "./policies/s3-bucket-versioning";
import { s3NoPublicAcl } from "./policies/s3-no-public-acl";
import { secretsmanagerSecretKms } from "./policies/secretsmanager-secret-kms";
import { secretsmanagerSecretRotationInterval } from "./policies/secretsmanager-secret-rotation-interval";
import { snsTopicKms } from "./policies/sns-topic-kms";
import { sqsQueueKms } from "./policies/sqs-queue-kms";
import { tagsRequired } from "./policies/tags-required";

/**
 * loglake's security baseline. Run by the Pulumi CLI (`pulumi preview --policy-pack
 * policies/security`) and by the offline gate (`npm run verify`), which starts this same program
 * as an analyzer plugin.
 */
new PolicyPack("loglake-security", {
  description:
    "Encryption at rest and in transit, least privilege, network exposure and resilience for loglake stacks.",
  enforcementLevel: "mandatory",
  policies: [
    cloudwatchLogGroupKms,
    cloudwatchLogGroupRetention,
    dynamodbTableKms,
    ebsEncrypted,
    ec2LaunchTemplateImdsv2,
    ec2NoPublicIngress,
    ec2SubnetNoPublicIp,
    eksEndpointRestricted,
    eksSecretsEncryption,
    iamNoAdminPolicyAttachment,
    iamNoNotActionAllow,
    iamNoPassroleWildcard,
    iamNoWildcardActions,
    iamNoWildcardResourceWrites,
    iamTrustNoPublicPrincipal,
    iamWebIdentityTrustPinned,
    kmsKeyRotation,
    kubernetesImagePinned,
    kubernetesNoClusterAdminBinding,
    kubernetesNoHostAccess,
    kubernetesNoPrivilegedContainers,
    kubernetesNoPublicLoadBalancer,
    kubernetesNonRootNoEscalation,
    kubernetesResourcesSet,
    lambdaEnvironmentKms,
    mskClientPolicyScoped,
    mskEncryptionAtRest,
    mskMultiAz,
    mskPublicAccessDisabled,
    mskTlsInTransit,
    mskUnauthenticatedAccessDisabled,
    rdsBackupRetention,
    rdsDeletionProtection,
    rdsForceSsl,
    rdsMultiAz,
    rdsNotPublic,
    rdsPerformanceInsightsEncrypted,
    rdsStorageEncrypted,
    s3BucketKmsEncryption,
    s3BucketLifecycle,
    s3BucketPublicAccessBlock,
    s3BucketTlsOnly,
    s3BucketVersioning,
    s3NoPublicAcl,
    secretsmanagerSecretKms,
    secretsmanagerSecretRotationInterval,
    snsTopicKms,
    sqsQueueKms,
    tagsRequired,
    lambdaInVpc,
    lambdaSupportedRuntime,
    lambdaNoPublicAccess,
    lambdaAsyncFailureDestination,
    sqsQueuePolicyNotPublic,
    dynamodbPointInTimeRecovery,
    schedulerTargetRoleAndDlq,
    budgetsCostBudgetInProd,
  ],
});
