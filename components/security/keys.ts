import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountArgs, accountRoot, AwsAccount, componentAccount } from "./account";

/** The data domains that each get their own customer-managed key, so access to one does not open another. */
export const keyDomains = [
  "lake",
  "streaming",
  "metastore",
  "clusterSecrets",
  "nodeVolumes",
  "logs",
  "pipeline",
  "images",
] as const;
export type KeyDomain = (typeof keyDomains)[number];

const keyDescriptions: Record<KeyDomain, string> = {
  lake: "lake buckets (raw, lake, manifests, quarantine)",
  streaming: "Kafka (MSK) data at rest",
  metastore: "metastore database and its secrets",
  clusterSecrets: "Kubernetes secrets envelope encryption",
  // Apart from the secrets key: Auto Scaling holds a grant on this one to launch encrypted nodes.
  nodeVolumes: "EKS node root volumes (EBS)",
  logs: "CloudWatch Logs groups and vended log delivery (VPC flow logs)",
  pipeline: "manifest pipeline queues, tracking table and function environments",
  images: "container image repositories (ECR)",
};

export interface KeysArgs extends AccountArgs {
  /**
   * Name prefix of the key aliases: `alias/<prefix>-<domain>` (domain in kebab-case, e.g.
   * `alias/acme-cluster-secrets`). Letters, digits, `-` and `_`, starting with a letter or digit.
   */
  prefix: string;
  /**
   * Days a key scheduled for deletion can still be recovered before KMS destroys it and every
   * ciphertext under it becomes unreadable. KMS allows 7 to 30. Default: 30 (the longest).
   */
  deletionWindowDays?: number;
}

/** `clusterSecrets` → `cluster-secrets`, as alias names are conventionally written. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Customer-managed KMS keys, one per data domain (lake, streaming, metastore, cluster secrets, logs),
 * with yearly rotation, a recovery window and an alias each. Every key policy keeps the account root
 * as administrator, so IAM policies in the account decide who uses a key and the key can never be
 * locked out; only the logs key names AWS services (CloudWatch Logs, log delivery, and the alarm
 * publishers CloudWatch and EventBridge), because those services encrypt as themselves rather than
 * with the caller's permissions. Services such as MSK, RDS
 * and EKS create grants with their caller's IAM permissions and need no statement here.
 */
export class Keys extends pulumi.ComponentResource {
  /** Key ARN per domain. */
  public readonly keyArns: Readonly<Record<KeyDomain, pulumi.Output<string>>>;
  /** Alias name (`alias/<prefix>-<domain>`) per domain. */
  public readonly aliasNames: Readonly<Record<KeyDomain, pulumi.Output<string>>>;
  public readonly lakeKeyArn: pulumi.Output<string>;
  public readonly streamingKeyArn: pulumi.Output<string>;
  public readonly metastoreKeyArn: pulumi.Output<string>;
  public readonly clusterSecretsKeyArn: pulumi.Output<string>;
  public readonly logsKeyArn: pulumi.Output<string>;
  public readonly pipelineKeyArn: pulumi.Output<string>;
  public readonly nodeVolumesKeyArn: pulumi.Output<string>;
  public readonly imagesKeyArn: pulumi.Output<string>;

  constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("loglake:security:Keys", name, {}, opts);
    const deletionWindowDays = args.deletionWindowDays ?? 30;
    validate(args.prefix, deletionWindowDays);

    const account = componentAccount(args, this);
    const keyArns = {} as Record<KeyDomain, pulumi.Output<string>>;
    const aliasNames = {} as Record<KeyDomain, pulumi.Output<string>>;
    for (const domain of keyDomains) {
      const suffix = kebab(domain);
      const key = new aws.kms.Key(
        `${name}-${suffix}`,
        {
          description: `loglake ${args.prefix}: ${keyDescriptions[domain]}`,
          enableKeyRotation: true,
          deletionWindowInDays: deletionWindowDays,
          policy: account.apply((acct) => JSON.stringify(keyPolicy(domain, acct))),
        },
        { parent: this },
      );
      const alias = new aws.kms.Alias(
        `${name}-${suffix}`,
        { name: `alias/${args.prefix}-${suffix}`, targetKeyId: key.keyId },
        { parent: this },
      );
      keyArns[domain] = key.arn;
      aliasNames[domain] = alias.name;
    }

    this.keyArns = keyArns;
    this.aliasNames = aliasNames;
    this.lakeKeyArn = keyArns.lake;
    this.streamingKeyArn = keyArns.streaming;
    this.metastoreKeyArn = keyArns.metastore;
    this.clusterSecretsKeyArn = keyArns.clusterSecrets;
    this.logsKeyArn = keyArns.logs;
    this.pipelineKeyArn = keyArns.pipeline;
    this.nodeVolumesKeyArn = keyArns.nodeVolumes;
    this.imagesKeyArn = keyArns.images;
    this.registerOutputs({ keyArns, aliasNames });
  }
}

function validate(prefix: string, deletionWindowDays: number): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(prefix)) {
    throw new Error(
      `Keys: prefix "${prefix}" cannot name a KMS alias: use letters, digits, - and _, starting with a letter or digit`,
    );
  }
  if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
    throw new Error(`Keys: deletionWindowDays = ${deletionWindowDays}: KMS allows a whole number of days from 7 to 30`);
  }
}

type Statement = Record<string, unknown>;

/** The key policy of one domain's key. */
function keyPolicy(domain: KeyDomain, account: AwsAccount): { Version: string; Statement: Statement[] } {
  return {
    Version: "2012-10-17",
    Statement: [rootAdministers(account), ...(serviceStatements[domain]?.(account) ?? [])],
  };
}

/**
 * The key policy statement every loglake key starts with: the account root administers the key,
 * so IAM policies in the account decide who uses it and the key can never be locked out.
 */
export function rootAdministers(account: Pick<AwsAccount, "partition" | "accountId">): Statement {
  return {
    Sid: "AccountRootAdministers",
    Effect: "Allow",
    Principal: { AWS: accountRoot(account) },
    Action: "kms:*",
    Resource: "*",
  };
}

/**
 * S3 sends the raw bucket's event notifications to an SSE-KMS queue as its service principal, which
 * needs the key itself (not the sender's IAM permissions); SQS's encryption context names the queue,
 * which keeps the grant to this account's queues in the region.
 */
function s3NotificationStatements(account: AwsAccount): Statement[] {
  const { partition, region, accountId } = account;
  return [
    {
      Sid: "S3NotifiesThisAccountsEncryptedQueues",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:${partition}:sqs:${region}:${accountId}:*` },
      },
    },
  ];
}

/** The domains whose key names AWS services that encrypt as themselves. */
const serviceStatements: Partial<Record<KeyDomain, (account: AwsAccount) => Statement[]>> = {
  logs: logServiceStatements,
  pipeline: s3NotificationStatements,
};

/**
 * CloudWatch Logs encrypts a log group's data as its regional service principal, bound by the
 * encryption context to log groups of this account and region. Log delivery writes vended logs (flow
 * logs, MSK broker logs) to SSE-KMS buckets as delivery.logs.amazonaws.com, pinned to this account's
 * deliveries so another account cannot use the key through the service (confused deputy).
 */
function logServiceStatements(account: AwsAccount): Statement[] {
  const { partition, region, accountId, dnsSuffix } = account;
  const publishesToTopics = (Sid: string, service: string): Statement => ({
    Sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: {
      ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:${partition}:sns:${region}:${accountId}:*` },
    },
  });
  return [
    {
      Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.${dnsSuffix}` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
      },
    },
    {
      Sid: "LogDeliveryEncryptsThisAccountsLogs",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` },
      },
    },
    {
      // Alarm topics (MSK alarms, secret-rotation failures) are SNS topics encrypted with this key;
      // CloudWatch alarms publish to them as their service principal.
      Sid: "AlarmsPublishToThisAccountsEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
    // Budgets notifies the stack's cost budget through the same topics. Its KMS requests are not
    // documented to carry aws:SourceAccount, so the grant is kept to this account's topics by SNS's
    // encryption context; the topic policy adds the aws:SourceAccount and aws:SourceArn Budgets sends.
    publishesToTopics("BudgetsPublishToThisAccountsEncryptedTopics", "budgets.amazonaws.com"),
    // EventBridge rules publish to the same topics, but their KMS requests carry no aws:SourceAccount
    // or aws:SourceArn ("not supported for EventBridge-to-encrypted topics", Amazon SNS Developer
    // Guide, key management), so those conditions would drop every event. SNS's own encryption
    // context names the topic, which keeps the grant to this account's topics in the region.
    publishesToTopics("EventBridgePublishesToThisAccountsEncryptedTopics", "events.amazonaws.com"),
  ];
}
