/**
 * Services such as MSK (broker logs) deliver to S3 as vended logs: the log delivery service writes
 * objects under `<prefix>AWSLogs/<account>/...`. When the bucket policy is managed as code, it must
 * carry the two statements AWS documents for vended logs ("Enabling logging from AWS services",
 * logs sent to Amazon S3); otherwise AWS adds them behind the program's back when the delivery is
 * created and the next update removes them again, silently stopping delivery.
 */

export interface VendedLogDestination {
  bucketArn: string;
  /** Key prefix the service delivers under ("" or ending in "/"). */
  prefix: string;
  /** Account and region whose clusters may deliver (no other account can use the grant). */
  accountId: string;
  region: string;
  partition: string;
}

/** Bucket policy statements that let this account's log deliveries write under one prefix. */
export function vendedLogDeliveryStatements(destination: VendedLogDestination): object[] {
  const { bucketArn, prefix, accountId, region, partition } = destination;
  const thisAccountsDeliveries = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` },
  };
  return [
    {
      Sid: `AWSLogDeliveryWrite${sidSuffix(prefix)}`,
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${prefix}AWSLogs/${accountId}/*`,
      Condition: {
        ...thisAccountsDeliveries,
        StringEquals: { ...thisAccountsDeliveries.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
    {
      Sid: `AWSLogDeliveryAclCheck${sidSuffix(prefix)}`,
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: thisAccountsDeliveries,
    },
  ];
}

/** Statement ids must be unique in a policy and alphanumeric: one pair of statements per prefix. */
function sidSuffix(prefix: string): string {
  return prefix
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())
    .replace(/^./, (c) => c.toUpperCase());
}
