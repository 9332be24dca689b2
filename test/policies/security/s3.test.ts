import { policyCases, TestResource } from "../support";

const BUCKET = "aws:s3/bucket:Bucket";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const tlsOnly = (bucket: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

const encryption = (name: string, algorithm = "aws:kms", key: string | null = KEY_ARN): TestResource => ({
  type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  name: `${name}-sse`,
  props: {
    bucket: name,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, ...(key ? { kmsMasterKeyId: key } : {}) },
        bucketKeyEnabled: true,
      },
    ],
  },
  dependsOn: [name],
});

const publicAccessBlock = (name: string, off: string[] = []): TestResource => ({
  type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  name: `${name}-pab`,
  props: Object.fromEntries(
    ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
      .map((k) => [k, !off.includes(k)])
      .concat([["bucket", name]]),
  ),
  dependsOn: [name],
});

const versioning = (name: string, status = "Enabled"): TestResource => ({
  type: "aws:s3/bucketVersioning:BucketVersioning",
  name: `${name}-versioning`,
  props: { bucket: name, versioningConfiguration: { status } },
  dependsOn: [name],
});

const bucketPolicy = (name: string, policy = tlsOnly(name)): TestResource => ({
  type: "aws:s3/bucketPolicy:BucketPolicy",
  name: `${name}-policy`,
  props: { bucket: name, policy },
  dependsOn: [name],
});

const lifecycle = (name: string, rule: Record<string, unknown> = {}): TestResource => ({
  type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  name: `${name}-lifecycle`,
  props: {
    bucket: name,
    rules: [
      {
        id: "retention",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        ...rule,
      },
    ],
  },
  dependsOn: [name],
});

const bucket = (name: string, props: Record<string, unknown> = {}): TestResource => ({
  type: BUCKET,
  name,
  props: { bucket: name, ...props },
});

/** A bucket with everything the pack asks for; cases drop or change one part. */
const compliant = (name: string, omit: string[] = []): TestResource[] =>
  [
    bucket(name),
    encryption(name),
    publicAccessBlock(name),
    versioning(name),
    bucketPolicy(name),
    lifecycle(name),
  ].filter((r) => !omit.some((suffix) => r.name === `${name}-${suffix}`));

const without = (suffix: string, ...extra: TestResource[]) => [...compliant("logs", [suffix]), ...extra];

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

policyCases("s3-bucket-public-access-block", {
  compliant: { "a bucket with all four blocks on": compliant("logs") },
  violations: {
    "a bucket without a public access block": {
      resources: without("pab"),
      offender: "logs",
      says: /no public access block/,
    },
    "a block with restrictPublicBuckets off": {
      resources: without("pab", publicAccessBlock("logs", ["restrictPublicBuckets"])),
      offender: "logs",
      says: /restrictPublicBuckets/,
    },
  },
});

policyCases("s3-bucket-versioning", {
  compliant: { "a versioned bucket": compliant("logs") },
  violations: {
    "a bucket without versioning": { resources: without("versioning"), offender: "logs" },
    "suspended versioning": { resources: without("versioning", versioning("logs", "Suspended")), offender: "logs" },
  },
});

policyCases("s3-bucket-tls-only", {
  compliant: {
    "a bucket policy denying aws:SecureTransport = false": compliant("logs"),
    "a bucket policy whose document is not known yet": without("policy", bucketPolicy("logs", "[unknown]")),
  },
  violations: {
    "a bucket without a bucket policy": { resources: without("policy"), offender: "logs", says: /no bucket policy/ },
    "a bucket policy without the TLS deny": {
      resources: without(
        "policy",
        bucketPolicy(
          "logs",
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::logs/*",
              },
            ],
          }),
        ),
      ),
      offender: "logs",
    },
    "a TLS deny for one principal only": {
      resources: without(
        "policy",
        bucketPolicy(
          "logs",
          tlsOnly("logs").replace('"Principal":"*"', '"Principal":{"AWS":"arn:aws:iam::123456789012:role/app"}'),
        ),
      ),
      offender: "logs",
    },
  },
});

policyCases("s3-no-public-acl", {
  compliant: {
    "a private bucket": [bucket("logs", { acl: "private" })],
    "a bucket ACL granting the owner only": [
      ...compliant("logs"),
      {
        type: "aws:s3/bucketAcl:BucketAcl",
        name: "logs-acl",
        props: {
          bucket: "logs",
          accessControlPolicy: {
            grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" }],
            owner: { id: "abc" },
          },
        },
      },
    ],
  },
  violations: {
    "a public-read bucket": {
      resources: [bucket("site", { acl: "public-read" })],
      offender: "site",
      says: /public-read/,
    },
    "a bucket ACL granting AllUsers": {
      resources: [
        {
          type: "aws:s3/bucketAcl:BucketAcl",
          name: "logs-acl",
          props: {
            bucket: "logs",
            accessControlPolicy: {
              grants: [
                {
                  grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
                  permission: "READ",
                },
              ],
              owner: { id: "abc" },
            },
          },
        },
      ],
      offender: "logs-acl",
    },
  },
});

policyCases("s3-bucket-lifecycle", {
  compliant: {
    "a versioned bucket aborting uploads and expiring noncurrent versions": compliant("logs"),
    "an unversioned bucket aborting uploads": [
      ...compliant("logs", ["versioning", "lifecycle"]),
      lifecycle("logs", { noncurrentVersionExpiration: undefined }),
    ],
  },
  violations: {
    "a bucket without a lifecycle": {
      resources: without("lifecycle"),
      offender: "logs",
      says: /no enabled lifecycle rule/,
    },
    "a disabled rule": {
      resources: without("lifecycle", lifecycle("logs", { status: "Disabled" })),
      offender: "logs",
      says: /no enabled lifecycle rule/,
    },
    "a versioned bucket that keeps noncurrent versions forever": {
      resources: without("lifecycle", lifecycle("logs", { noncurrentVersionExpiration: undefined })),
      offender: "logs",
      says: /expire noncurrent versions/,
    },
    "a rule that leaves incomplete multipart uploads": {
      resources: without("lifecycle", lifecycle("logs", { abortIncompleteMultipartUpload: undefined })),
      offender: "logs",
      says: /abort incomplete multipart uploads/,
    },
  },
});
