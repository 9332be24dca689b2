import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a component's resources land: the account, partition and region of its AWS provider. */
export interface AwsAccount {
  accountId: string;
  /** ARN of the identity deploying (the provider's credentials). */
  callerArn: string;
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
      callerArn: identity.arn,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
      reverseDnsPrefix: partition.reverseDnsPrefix,
      region: region.region,
    }));
}

/** The account's root principal: a key policy that names it lets IAM policies in the account grant access. */
export const accountRoot = (account: Pick<AwsAccount, "partition" | "accountId">): string =>
  `arn:${account.partition}:iam::${account.accountId}:root`;

/** Args of every component whose policies or names carry the account, partition or region. */
export interface AccountArgs {
  /**
   * Where the component's resources land, as `awsAccount` returns it; a program looks it up once
   * and passes it to every component. Default: looked up through this component's provider.
   */
  account?: pulumi.Input<AwsAccount>;
}

/** The account a component was given, or the one its own provider resolves to. */
export function componentAccount(args: AccountArgs, component: pulumi.Resource): pulumi.Output<AwsAccount> {
  return pulumi.output(args.account ?? awsAccount({ parent: component }));
}

/**
 * Use of `keyArn` only through S3 in the account's region: enough to read and write SSE-KMS objects,
 * and nothing else the key could decrypt.
 */
export function keyThroughS3Statement(keyArn: string, account: AwsAccount) {
  return {
    Sid: "LakeKeyThroughS3",
    Effect: "Allow" as const,
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `s3.${account.region}.${account.dnsSuffix}` } },
  };
}
