import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Default encryption of one bucket and the only one uploads may ask for. */
export type Encryption = { sseAlgorithm: "aws:kms"; kmsKeyArn: pulumi.Input<string> } | { sseAlgorithm: "AES256" };

export interface SecureBucketArgs {
  /** The bucket's global name. */
  bucket: pulumi.Input<string>;
  /** Default encryption, with S3 Bucket Keys for SSE-KMS. */
  encryption: Encryption;
  /** Let `pulumi destroy` delete the bucket while it still holds objects. */
  forceDestroy: boolean;
  /** protect and retainOnDelete on the bucket. Default: false (stacks apply theirs with a stack transform). */
  protect?: boolean;
}

export interface SecureBucket {
  bucket: aws.s3.Bucket;
  versioning: aws.s3.BucketVersioning;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  encryption: Encryption;
}

/**
 * One bucket with the guards every loglake bucket has (the lake's and the Pulumi state bucket):
 * default encryption, versioning, every public-access block, ACLs disabled. Its policy and
 * lifecycle are the owner's, since they differ per bucket. Every child is named `name` and
 * parented to `parent`.
 */
export function secureBucket(parent: pulumi.Resource, name: string, args: SecureBucketArgs): SecureBucket {
  const opts = { parent };
  const { encryption } = args;
  const bucket = new aws.s3.Bucket(
    name,
    { bucket: args.bucket, forceDestroy: args.forceDestroy },
    args.protect ? { parent, protect: true, retainOnDelete: true } : opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    name,
    {
      bucket: bucket.id,
      rules: [
        encryption.sseAlgorithm === "aws:kms"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn },
              // One KMS data key per bucket and period instead of one per object: far fewer KMS calls.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    name,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new aws.s3.BucketOwnershipControls(
    name,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  return { bucket, versioning, publicAccessBlock, encryption };
}

/**
 * Denies what no client of a loglake bucket should do: plain HTTP, and uploads that ask for another
 * encryption or another KMS key. Uploads that name no encryption get the bucket default, so
 * ordinary SDK clients (and the Pulumi S3 backend) keep working. Only s3:PutObject (which also
 * governs multipart uploads and copies) is constrained: S3 replication writes replicas with
 * s3:ReplicateObject, so replica buckets still accept them.
 */
export function guardStatements(bucketArn: pulumi.Output<string>, encryption: Encryption): object[] {
  const objects = pulumi.interpolate`${bucketArn}/*`;
  const header = "s3:x-amz-server-side-encryption";
  const keyHeader = "s3:x-amz-server-side-encryption-aws-kms-key-id";
  const statements: object[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, objects],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOtherEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { Null: { [header]: "false" }, StringNotEquals: { [header]: encryption.sseAlgorithm } },
    },
  ];
  if (encryption.sseAlgorithm === "aws:kms") {
    // The header is compared as sent: clients that name a key must name the bucket's key by its ARN.
    statements.push({
      Sid: "DenyOtherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { Null: { [keyHeader]: "false" }, StringNotEquals: { [keyHeader]: encryption.kmsKeyArn } },
    });
  }
  return statements;
}
