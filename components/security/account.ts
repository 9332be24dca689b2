import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a component's resources land: the account, partition and region of its AWS provider. */
export interface AwsAccount {
  accountId: string;
  /** "aws", "aws-cn", "aws-us-gov". */
  partition: string;
  /** DNS suffix of service endpoints and regional service principals, e.g. "amazonaws.com". */
  dnsSuffix: string;
  /** Prefix of VPC endpoint service names, e.g. "com.amazonaws". */
  reverseDnsPrefix: string;
  region: string;
}

/**
 * Looks up the account, partition and region through the provider the options resolve to (a
 * component's `{ parent: this }`, or the program's `{ provider }`), so a component built with a
 * DR-region provider writes the DR region into its policies.
 */
export function awsAccount(opts: pulumi.InvokeOptions): pulumi.Output<AwsAccount> {
  return pulumi
    .all([aws.getCallerIdentityOutput({}, opts), aws.getPartitionOutput({}, opts), aws.getRegionOutput({}, opts)])
    .apply(([identity, partition, region]) => ({
      accountId: identity.accountId,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
      reverseDnsPrefix: partition.reverseDnsPrefix,
      region: region.region,
    }));
}

/** The account's root principal: a key policy that names it lets IAM policies in the account grant access. */
export const accountRoot = (account: AwsAccount): string => `arn:${account.partition}:iam::${account.accountId}:root`;
