/**
 * Limits that AWS enforces in more than one of loglake's components, written once so that a
 * component's own check and the config section's check cannot drift apart.
 */

/** CloudWatch Logs accepts only these retention periods (days): PutRetentionPolicy `retentionInDays`. */
export const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Why CloudWatch Logs would refuse `days` as a log group's retention; undefined when it accepts it. */
export function logRetentionProblem(days: number): string | undefined {
  return (logRetentionDays as readonly number[]).includes(days)
    ? undefined
    : `CloudWatch Logs accepts retention of ${logRetentionDays.join(", ")} days`;
}

/** An IAM role ARN in any partition, with a path: CreateRole's name and path characters. */
export const iamRoleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** A 12-digit AWS account id. */
export const accountIdPattern = /^\d{12}$/;

/**
 * An S3 key prefix that IAM resources and lifecycle filters can name: no leading /, no wildcards,
 * ending in /.
 */
export const s3KeyPrefixPattern = /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/;

/** Starts S3 reserves and refuses in general purpose bucket names ("General purpose bucket naming rules"). */
export const reservedBucketNamePrefixes = ["xn--", "sthree-", "amzn-s3-demo-"] as const;

/**
 * The prefix of every physical name a stack creates. Bucket names add the bucket, account and region
 * to it within S3's 63 characters, and EKS, MSK and RDS names start with it too, so it is short and
 * made of characters all of them accept.
 */
export const namePrefixPattern = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** Why `prefix` cannot start loglake's physical names; undefined when it can. */
export function namePrefixProblem(prefix: string): string | undefined {
  if (!namePrefixPattern.test(prefix)) return `3 to 20 characters of a-z, 0-9 and -, starting with a letter`;
  const reserved = reservedBucketNamePrefixes.find((start) => prefix.startsWith(start));
  return reserved ? `S3 refuses bucket names starting with "${reserved}"` : undefined;
}

/**
 * An RDS DB instance identifier (CreateDBInstance): 1 to 63 of a-z, 0-9 and hyphens, starting with a
 * letter, never two hyphens in a row, not ending with one.
 */
const rdsIdentifier = "[a-z](?:(?!.*--)[a-z0-9-]{0,61}[a-z0-9])?";
export const rdsInstanceIdentifierPattern = new RegExp(`^${rdsIdentifier}$`);

/** An RDS DB instance ARN in any partition. */
export const rdsInstanceArnPattern = new RegExp(`^arn:aws[a-z-]*:rds:[a-z0-9-]+:\\d{12}:db:${rdsIdentifier}$`);

/** Sizes EBS accepts for a gp3 volume, GiB. */
export const gp3VolumeGiB = { min: 1, max: 16384 } as const;
