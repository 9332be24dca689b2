/**
 * MSK delivers broker logs to S3 as a vended log: the log delivery service writes objects under
 * `<prefix>AWSLogs/<account>/KafkaBrokerLogs/...`. When the bucket policy is managed as code, it must
 * carry the two statements AWS documents for vended logs ("Enabling logging from AWS services",
 * logs sent to Amazon S3); otherwise AWS adds them behind the program's back at creation and the
 * next update removes them again, silently stopping delivery.
 */

/** Where KafkaCluster puts broker logs in the log bucket unless told otherwise. */
export const defaultBrokerLogPrefix = "msk-broker-logs/";

export interface BrokerLogDestination {
  bucketArn: string;
  /** Key prefix given to KafkaCluster's `brokerLogs.prefix` ("" or ending in "/"). */
  prefix: string;
  /** Account and region whose clusters may deliver (no other account can use the grant). */
  accountId: string;
  region: string;
  partition: string;
}

/** Bucket policy statements that let this account's log deliveries write MSK broker logs. */
export function brokerLogDeliveryStatements(destination: BrokerLogDestination): object[] {
  const { bucketArn, prefix, accountId, region, partition } = destination;
  const thisAccountsDeliveries = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` },
  };
  return [
    {
      Sid: "AWSLogDeliveryWrite",
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
      Sid: "AWSLogDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: thisAccountsDeliveries,
    },
  ];
}
