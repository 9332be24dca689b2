import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountArgs, componentAccount } from "../security/account";
import { rootAdministers } from "../security/keys";
import { namePrefixProblem } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { guardStatements, secureBucket } from "../storage/secure-bucket";

export interface StateBackendArgs extends AccountArgs {
  /**
   * Start of the names: bucket `<prefix>-pulumi-state-<account>-<region>`, key aliases
   * `alias/<prefix>-pulumi-state` and `alias/<prefix>-pulumi-secrets`. 3 to 20 of a-z, 0-9 and -.
   */
  prefix: string;
  /**
   * Days an overwritten or deleted state file is kept as a noncurrent version (every `pulumi up`
   * writes one): an older state can be brought back within that time. At least 1. Default: 90.
   */
  noncurrentVersionExpirationDays?: number;
  /**
   * Noncurrent versions of each state file kept whatever their age, so a stack deployed rarely
   * (the bootstrap's own) still has its last states. 1 to 100. Default: 10.
   */
  noncurrentVersionsKept?: number;
  /** Days a key scheduled for deletion can be recovered; KMS allows 7 to 30. Default: 30. */
  deletionWindowDays?: number;
  /**
   * protect and retainOnDelete on the bucket and both keys: losing either loses every stack's
   * state or its secrets. Default: true.
   */
  protect?: boolean;
}

function argsProblems(args: StateBackendArgs): Problem[] {
  const problems: Problem[] = [];
  const prefix = namePrefixProblem(args.prefix);
  if (prefix) problems.push({ path: ["prefix"], message: prefix });
  const days = args.noncurrentVersionExpirationDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1)) {
    problems.push({
      path: ["noncurrentVersionExpirationDays"],
      message: `${days}: S3 needs a whole number of days, at least 1`,
    });
  }
  const kept = args.noncurrentVersionsKept;
  if (kept !== undefined && !(Number.isInteger(kept) && kept >= 1 && kept <= 100)) {
    problems.push({
      path: ["noncurrentVersionsKept"],
      message: `${kept}: S3 keeps 1 to 100 newer noncurrent versions`,
    });
  }
  const window = args.deletionWindowDays;
  if (window !== undefined && !(Number.isInteger(window) && window >= 7 && window <= 30)) {
    problems.push({ path: ["deletionWindowDays"], message: `${window}: KMS allows 7 to 30 days` });
  }
  return problems;
}

/**
 * Where every loglake stack of an account keeps its Pulumi state and secrets: an S3 bucket for the
 * `s3://` backend (SSE-KMS under its own key, versioned, TLS only, no public access, ACLs
 * disabled, noncurrent versions expired) and the KMS key of the `awskms://` secrets provider.
 */
export class StateBackend extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** The key that encrypts the state bucket. */
  public readonly stateKeyArn: pulumi.Output<string>;
  /** The secrets provider's key. */
  public readonly secretsKeyArn: pulumi.Output<string>;
  /** `pulumi login` URL: `s3://<bucket>?region=<region>&awssdk=v2`. */
  public readonly backendUrl: pulumi.Output<string>;
  /** `--secrets-provider` value: `awskms://alias/<prefix>-pulumi-secrets?region=<region>`. */
  public readonly secretsProvider: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseProblems("StateBackend", name, argsProblems(args));
    super("loglake:account:StateBackend", name, {}, opts);
    const account = componentAccount(args, this);
    const keep = args.protect ?? true;
    const stateful = { parent: this, protect: keep, retainOnDelete: keep };

    const key = (part: string, description: string) => {
      const created = new aws.kms.Key(
        `${name}-${part}`,
        {
          description: `loglake ${args.prefix}: ${description}`,
          enableKeyRotation: true,
          deletionWindowInDays: args.deletionWindowDays ?? 30,
          policy: account.apply((a) => JSON.stringify({ Version: "2012-10-17", Statement: [rootAdministers(a)] })),
        },
        stateful,
      );
      const alias = new aws.kms.Alias(
        `${name}-${part}`,
        { name: `alias/${args.prefix}-${part}`, targetKeyId: created.keyId },
        { parent: this },
      );
      return { key: created, alias };
    };
    const state = key("pulumi-state", "Pulumi state bucket");
    const secrets = key("pulumi-secrets", "Pulumi stack secrets (awskms:// secrets provider)");

    const encryption = { sseAlgorithm: "aws:kms" as const, kmsKeyArn: state.key.arn };
    const { bucket, versioning, publicAccessBlock } = secureBucket(this, `${name}-pulumi-state`, {
      bucket: pulumi.interpolate`${args.prefix}-pulumi-state-${account.accountId}-${account.region}`,
      encryption,
      forceDestroy: false,
      protect: keep,
    });
    const policy = new aws.s3.BucketPolicy(
      `${name}-pulumi-state`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: guardStatements(bucket.arn, encryption) }),
      },
      { parent: this, dependsOn: [publicAccessBlock] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-pulumi-state`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "noncurrent-state",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            expiration: { expiredObjectDeleteMarker: true },
            noncurrentVersionExpiration: {
              noncurrentDays: args.noncurrentVersionExpirationDays ?? 90,
              newerNoncurrentVersions: args.noncurrentVersionsKept ?? 10,
            },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    // The name is handed out once the bucket's policy is in place: nothing writes state before.
    this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
    this.bucketArn = bucket.arn;
    this.stateKeyArn = state.key.arn;
    this.secretsKeyArn = secrets.key.arn;
    this.backendUrl = pulumi.interpolate`s3://${this.bucketName}?region=${account.region}&awssdk=v2`;
    this.secretsProvider = pulumi.interpolate`awskms://${secrets.alias.name}?region=${account.region}`;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      stateKeyArn: this.stateKeyArn,
      secretsKeyArn: this.secretsKeyArn,
      backendUrl: this.backendUrl,
      secretsProvider: this.secretsProvider,
    });
  }
}
