import { policyCases } from "../../support";
import { compliant, encryption, without } from "../support";

policyCases("s3-bucket-kms-encryption", {
  compliant: {
    "a bucket with SSE-KMS under a customer-managed key": compliant("logs"),
    "two buckets joined with their own encryption resources by the bucket input": [
      ...compliant("raw"),
      ...compliant("lake"),
    ],
    "a server access log target with SSE-S3 (S3 supports nothing else there)": [
      ...compliant("access-logs", ["sse"]),
      encryption("access-logs", "AES256", null),
      ...compliant("raw"),
      {
        type: "aws:s3/bucketLogging:BucketLogging",
        name: "raw-logging",
        props: { bucket: "raw", targetBucket: "access-logs", targetPrefix: "raw/" },
        dependsOn: ["raw", "access-logs"],
      },
    ],
    "an encryption key not known until the key is created (preview)": without("sse", {
      ...encryption("logs"),
      props: {
        bucket: "logs",
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "[unknown]" } }],
      },
    }),
  },
  violations: {
    "a bucket without an encryption configuration": {
      resources: without("sse"),
      offender: "logs",
      says: /no server-side encryption/,
    },
    "SSE-S3 (AES256) on a bucket that is not an access log target": {
      resources: without("sse", encryption("logs", "AES256", null)),
      offender: "logs",
    },
    "SSE-KMS with the AWS-managed aws/s3 key": {
      resources: without("sse", encryption("logs", "aws:kms", "alias/aws/s3")),
      offender: "logs",
    },
    "SSE-KMS without a key (the AWS-managed key)": {
      resources: without("sse", encryption("logs", "aws:kms", null)),
      offender: "logs",
    },
    "an encryption resource that belongs to another bucket": {
      resources: [...compliant("raw"), ...compliant("lake", ["sse"])],
      offender: "lake",
    },
  },
});
