import { isRedacted, known, listOf, stackPolicy } from "../lib/define";
import { bucketsWith, isAccessLogTarget } from "../lib/s3";
import { S3_ENCRYPTION } from "../lib/types";

/**
 * Whether default-encryption rules use SSE-KMS with a customer-managed key, or, where S3 allows
 * nothing else, SSE-S3: server access logs can only be delivered to an SSE-S3 bucket.
 */
interface EncryptionRule {
  applyServerSideEncryptionByDefault?: unknown;
}
interface EncryptionByDefault {
  sseAlgorithm?: string;
  kmsMasterKeyId?: unknown;
}

function acceptableRule(rules: unknown, accessLogTarget: boolean): boolean {
  return listOf<EncryptionRule>(rules).some((rule) => {
    const byDefault = listOf<EncryptionByDefault>(rule.applyServerSideEncryptionByDefault)[0];
    if (accessLogTarget && byDefault?.sseAlgorithm === "AES256") return true;
    if (!byDefault || !["aws:kms", "aws:kms:dsse"].includes(byDefault.sseAlgorithm ?? "")) return false;
    const key = byDefault.kmsMasterKeyId;
    // The AWS-managed key (alias/aws/s3) cannot be restricted by a key policy or shared with the DR account.
    return typeof key === "string" && key !== "" && (isRedacted(key) || !/alias\/aws\/s3$/.test(key));
  });
}

export const s3BucketKmsEncryption = stackPolicy({
  name: "s3-bucket-kms-encryption",
  description:
    "Every S3 bucket encrypts objects by default with SSE-KMS under a customer-managed KMS key (server access log target buckets, which S3 only supports with SSE-S3, with SSE-S3).",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const { bucket, companions } of bucketsWith(resources, S3_ENCRYPTION)) {
      // Values not known yet (preview) count as compliant: the finding would be a guess.
      const logTarget = isAccessLogTarget(bucket, resources);
      const split = companions.some((c) => known(() => acceptableRule(c.props["rules"], logTarget)) ?? true);
      const inline =
        known(() => acceptableRule(bucket.props["serverSideEncryptionConfiguration"]?.rule, logTarget)) ?? true;
      if (split || inline) continue;
      report(
        bucket,
        companions.length === 0
          ? "has no server-side encryption configuration."
          : "is encrypted without a customer-managed KMS key (SSE-S3 or the AWS-managed aws/s3 key).",
        'add an aws.s3.BucketServerSideEncryptionConfiguration for this bucket with sseAlgorithm "aws:kms" and kmsMasterKeyId set to a customer-managed key ARN (and bucketKeyEnabled: true).',
      );
    }
  },
});
