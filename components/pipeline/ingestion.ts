import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { manifestBuilderDeployment, sourceQueueVisibilityTimeout } from "../../runtime/manifest/deployment";
import { trackingTableSchema } from "../../runtime/manifest/schema";
import { AccountArgs, componentAccount, keyThroughS3Statement } from "../security/account";
import { logRetentionProblem, s3KeyPrefixPattern } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { manifestBuilderEntry } from "./bundle";
import { keepFailedInvocations, pipelineFunction, PipelineFunctionPlacement, scheduleFunction } from "./function";

/** A bucket as DataLake exports it. */
export interface BucketRef {
  name: pulumi.Input<string>;
  arn: pulumi.Input<string>;
}

export interface IngestionArgs extends AccountArgs, PipelineFunctionPlacement {
  /** The raw landing bucket whose new objects are tracked and grouped into manifests. */
  rawBucket: BucketRef;
  /** Where manifest documents are written, below `manifestPrefix`. */
  manifestsBucket: BucketRef;
  /** Where implausible objects are moved. */
  quarantineBucket: BucketRef;
  /** Key prefix of manifest documents, ending in `/`. Default: "manifests/". */
  manifestPrefix?: string;
  /** Size the lake writer aims for per object, bytes. Default: 64 MiB (the sink's default). */
  expectedFileBytes?: number;
  /** Files per manifest. Default: 100. */
  maxFilesPerManifest?: number;
  /** Days finished tracking items are kept before DynamoDB TTL removes them. Default: 35. */
  trackingRetentionDays?: number;
  /** Refuse deletion of the tracking table. Default: true. */
  deletionProtection?: boolean;
  /** Alarms (design documents, "Alarms Needed") to an encrypted SNS topic. */
  alarms: IngestionAlarmArgs;
}

export interface IngestionAlarmArgs {
  /** The SNS topic alarms and their recoveries are sent to. */
  topicArn: pulumi.Input<string>;
  /** Manifests waiting for the Spark dispatcher that alarm. Default: 500. */
  manifestQueueDepth?: number;
  /** Age of the oldest raw notification not yet processed that alarms, seconds. Default: 1800 (30 minutes). */
  oldestNotificationAgeSeconds?: number;
  /** Function errors per hour that alarm. Default: 100. */
  functionErrorsPerHour?: number;
}

/** The args with defaults applied. */
function withDefaults(args: IngestionArgs) {
  return {
    manifestPrefix: args.manifestPrefix ?? "manifests/",
    logRetentionDays: args.logRetentionDays ?? 365,
    expectedFileBytes: args.expectedFileBytes ?? 64 * 1024 * 1024,
    maxFilesPerManifest: args.maxFilesPerManifest ?? 100,
    trackingRetentionDays: args.trackingRetentionDays ?? 35,
    deletionProtection: args.deletionProtection ?? true,
    manifestQueueDepth: args.alarms.manifestQueueDepth ?? 500,
    oldestNotificationAgeSeconds: args.alarms.oldestNotificationAgeSeconds ?? 1800,
    functionErrorsPerHour: args.alarms.functionErrorsPerHour ?? 100,
  };
}
type Settings = ReturnType<typeof withDefaults>;

function argsProblems(s: Settings): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, message: string) => problems.push({ path: [key], message });
  if (!s3KeyPrefixPattern.test(s.manifestPrefix)) add("manifestPrefix", "an S3 key prefix ending in / (no leading /)");
  const retention = logRetentionProblem(s.logRetentionDays);
  if (retention) add("logRetentionDays", retention);
  for (const key of [
    "expectedFileBytes",
    "maxFilesPerManifest",
    "trackingRetentionDays",
    "manifestQueueDepth",
    "oldestNotificationAgeSeconds",
    "functionErrorsPerHour",
  ] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) add(key, "a whole number of at least 1");
  }
  return problems;
}

const { eventSourceMapping, sourceQueue, deadLetterQueue, flushSchedule, functionTimeoutSeconds } =
  manifestBuilderDeployment;

/**
 * The manifest builder, deployed: the raw bucket's ObjectCreated notifications reach an encrypted
 * SQS queue (with a dead-letter queue) that only S3, for that bucket and account, may send to; a
 * Lambda function in the private subnets, bundled from `runtime/manifest/handler.ts` at deploy time,
 * records each object in the DynamoDB tracking table, groups objects into manifests in the manifests
 * bucket and announces each on the manifest queue; an EventBridge Scheduler schedule flushes waiting
 * files every hour. Queue, mapping and schedule settings come from `runtime/manifest/deployment.ts`.
 */
export class Ingestion extends pulumi.ComponentResource {
  public readonly sourceQueueArn: pulumi.Output<string>;
  public readonly sourceDeadLetterQueueArn: pulumi.Output<string>;
  /** The queue the Spark dispatcher takes manifests from. */
  public readonly manifestQueueArn: pulumi.Output<string>;
  public readonly manifestQueueUrl: pulumi.Output<string>;
  public readonly manifestDeadLetterQueueArn: pulumi.Output<string>;
  public readonly manifestDeadLetterQueueUrl: pulumi.Output<string>;
  /** Physical queue names, as CloudWatch's QueueName dimension has them (alarms, dashboards). */
  public readonly queueNames: pulumi.Output<{
    rawCreated: string;
    rawCreatedDeadLetters: string;
    manifests: string;
    manifestDeadLetters: string;
    flushFailures: string;
  }>;
  /** Failed asynchronous invocations (the hourly flush) land here. */
  public readonly flushFailureQueueArn: pulumi.Output<string>;
  public readonly trackingTableName: pulumi.Output<string>;
  public readonly trackingTableArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly functionRoleArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Where manifests are written: `s3://<manifests bucket>/<prefix>`. */
  public readonly manifestPrefix: string;
  /** The function's code as deployed, so tests run exactly what `pulumi up` uploads. */
  public readonly functionCode: pulumi.asset.AssetArchive;

  constructor(name: string, args: IngestionArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = withDefaults(args);
    refuseProblems("Ingestion", name, argsProblems(s));
    super("loglake:pipeline:Ingestion", name, {}, opts);
    const account = componentAccount(args, this);
    const child = { parent: this };

    const queue = (part: string, queueArgs: aws.sqs.QueueArgs) =>
      new aws.sqs.Queue(
        `${name}-${part}`,
        { kmsMasterKeyId: args.pipelineKeyArn, kmsDataKeyReusePeriodSeconds: 300, ...queueArgs },
        child,
      );
    const deadLetters = (part: string) =>
      queue(part, { messageRetentionSeconds: deadLetterQueue.messageRetentionSeconds });
    const redriveTo = (dlq: aws.sqs.Queue) =>
      pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: sourceQueue.maxReceiveCount });

    const sourceDlq = deadLetters("raw-created-dlq");
    const source = queue("raw-created", {
      visibilityTimeoutSeconds: sourceQueueVisibilityTimeout(functionTimeoutSeconds),
      redrivePolicy: redriveTo(sourceDlq),
    });
    const manifestDlq = deadLetters("manifests-dlq");
    const manifests = queue("manifests", {
      // The dispatcher starts a job run per message; a run that fails to start is retried after this.
      visibilityTimeoutSeconds: 900,
      redrivePolicy: redriveTo(manifestDlq),
    });
    const flushFailures = deadLetters("flush-failures");
    for (const [part, q] of [
      ["raw-created-dlq", sourceDlq],
      ["manifests-dlq", manifestDlq],
      ["flush-failures", flushFailures],
      ["manifests", manifests],
    ] as const) {
      new aws.sqs.QueuePolicy(`${name}-${part}`, { queueUrl: q.url, policy: tlsOnlyQueuePolicy(q.arn) }, child);
    }
    const sourcePolicy = new aws.sqs.QueuePolicy(
      `${name}-raw-created`,
      {
        queueUrl: source.url,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            tlsOnlyStatement(source.arn),
            {
              Sid: "RawBucketNotifiesThisQueue",
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: source.arn,
              Condition: {
                ArnEquals: { "aws:SourceArn": args.rawBucket.arn },
                StringEquals: { "aws:SourceAccount": account.accountId },
              },
            },
          ],
        }),
      },
      child,
    );
    // S3 sends a test event when the configuration is saved, so the queue policy must come first.
    new aws.s3.BucketNotification(
      `${name}-raw-created`,
      { bucket: args.rawBucket.name, queues: [{ queueArn: source.arn, events: ["s3:ObjectCreated:*"] }] },
      { parent: this, dependsOn: [sourcePolicy] },
    );

    const table = new aws.dynamodb.Table(
      `${name}-tracking`,
      {
        billingMode: trackingTableSchema.billingMode,
        hashKey: trackingTableSchema.partitionKey,
        attributes: trackingTableSchema.attributes.map(({ name: attribute, type }) => ({ name: attribute, type })),
        globalSecondaryIndexes: [
          {
            name: trackingTableSchema.byDateIndex.name,
            keySchemas: [
              { attributeName: trackingTableSchema.byDateIndex.partitionKey, keyType: "HASH" },
              { attributeName: trackingTableSchema.byDateIndex.sortKey, keyType: "RANGE" },
            ],
            projectionType: trackingTableSchema.byDateIndex.projection,
          },
          {
            name: trackingTableSchema.waitingIndex.name,
            keySchemas: [{ attributeName: trackingTableSchema.waitingIndex.partitionKey, keyType: "HASH" }],
            projectionType: trackingTableSchema.waitingIndex.projection,
            nonKeyAttributes: [...trackingTableSchema.waitingIndex.projectedAttributes],
          },
        ],
        ttl: { attributeName: trackingTableSchema.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.pipelineKeyArn },
        deletionProtectionEnabled: s.deletionProtection,
      },
      child,
    );

    const functionName = `${name}-manifest-builder`;
    const environment: Record<string, pulumi.Input<string>> = {
      TRACKING_TABLE: table.name,
      // Only this stack's raw bucket: a notification for anything else is counted and dropped.
      RAW_BUCKETS: args.rawBucket.name,
      MANIFEST_BUCKET: args.manifestsBucket.name,
      MANIFEST_PREFIX: s.manifestPrefix.slice(0, -1),
      MANIFEST_QUEUE_URL: manifests.url,
      QUARANTINE_BUCKET: args.quarantineBucket.name,
      EXPECTED_FILE_BYTES: String(s.expectedFileBytes),
      MAX_FILES_PER_MANIFEST: String(s.maxFilesPerManifest),
      RETENTION_DAYS: String(s.trackingRetentionDays),
    };
    const { fn, role, securityGroup, code } = pipelineFunction(`${name}-builder`, this, {
      functionName,
      description: "loglake manifest builder: tracks raw objects and publishes manifests",
      entry: manifestBuilderEntry,
      timeoutSeconds: functionTimeoutSeconds,
      memoryMb: 512,
      // One more than the mapping's maximum concurrency, so the hourly flush is never throttled.
      reservedConcurrency: eventSourceMapping.maximumConcurrency + 1,
      environment,
      environmentKeyArn: args.pipelineKeyArn,
      logsKeyArn: args.logsKeyArn,
      logRetentionDays: s.logRetentionDays,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      account,
      statements: [
        {
          Sid: "TakeRawNotifications",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          Resource: source.arn,
        },
        {
          Sid: "AnnounceManifestsAndReportFlushFailures",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: [manifests.arn, flushFailures.arn],
        },
        {
          Sid: "Track",
          Effect: "Allow",
          Action: [
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query",
          ],
          Resource: [table.arn, pulumi.interpolate`${table.arn}/index/*`],
        },
        {
          Sid: "ReadAndQuarantineRaw",
          Effect: "Allow",
          // An object too large to copy is tagged in place instead of moved.
          Action: ["s3:GetObject", "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:DeleteObject"],
          Resource: pulumi.interpolate`${args.rawBucket.arn}/*`,
        },
        {
          Sid: "WriteQuarantine",
          Effect: "Allow",
          // Reading back tells a retried move that the copy already happened.
          Action: ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject"],
          Resource: pulumi.interpolate`${args.quarantineBucket.arn}/*`,
        },
        {
          Sid: "SeeMissingQuarantineObjects",
          Effect: "Allow",
          // Without it S3 answers HeadObject of a missing key with 403 instead of 404.
          Action: "s3:ListBucket",
          Resource: args.quarantineBucket.arn,
        },
        {
          Sid: "WriteManifests",
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: pulumi.interpolate`${args.manifestsBucket.arn}/${s.manifestPrefix}*`,
        },
        pulumi.all([args.lakeKeyArn, account]).apply(([key, acct]) => keyThroughS3Statement(key, acct)),
        {
          Sid: "PipelineKeyForQueuesTableAndEnvironment",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: args.pipelineKeyArn,
        },
      ],
    });
    this.functionCode = code;
    keepFailedInvocations(`${name}-builder`, this, fn, flushFailures.arn);

    new aws.lambda.EventSourceMapping(
      `${name}-raw-created`,
      {
        eventSourceArn: source.arn,
        functionName: fn.arn,
        functionResponseTypes: [...eventSourceMapping.functionResponseTypes],
        batchSize: eventSourceMapping.batchSize,
        maximumBatchingWindowInSeconds: eventSourceMapping.maximumBatchingWindowInSeconds,
        scalingConfig: { maximumConcurrency: eventSourceMapping.maximumConcurrency },
      },
      child,
    );

    scheduleFunction(`${name}-flush`, this, {
      description: "Hourly flush of manifests whose files have waited too long",
      scheduleExpression: flushSchedule,
      fn,
      input: { source: "loglake.flush" },
      deadLetterArn: flushFailures.arn,
      deadLetterKeyArn: args.pipelineKeyArn,
      account,
    });

    const alarm = (part: string, description: string, metric: AlarmMetric) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${part}`,
        {
          alarmDescription: description,
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: metric.dimensions,
          statistic: metric.statistic,
          period: metric.period ?? 300,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: metric.threshold,
          // No data means no traffic, which is not a failure.
          treatMissingData: "notBreaching",
          alarmActions: [args.alarms.topicArn],
          okActions: [args.alarms.topicArn],
        },
        child,
      );
    const sqsMetric = (queue: aws.sqs.Queue, metricName: string, statistic: string, threshold: number) => ({
      namespace: "AWS/SQS",
      metricName,
      dimensions: { QueueName: queue.name },
      statistic,
      threshold,
    });
    alarm(
      "raw-created-age",
      "Raw objects wait for the manifest builder: it is failing, throttled or too slow for the upload rate",
      sqsMetric(source, "ApproximateAgeOfOldestMessage", "Maximum", s.oldestNotificationAgeSeconds),
    );
    alarm(
      "manifests-depth",
      "Manifests pile up: Spark conversions start slower than manifests are published",
      sqsMetric(manifests, "ApproximateNumberOfMessagesVisible", "Maximum", s.manifestQueueDepth),
    );
    for (const [part, dlq, meaning] of [
      ["raw-created-dlq", sourceDlq, "raw notifications the builder failed 5 times"],
      ["manifests-dlq", manifestDlq, "manifests whose conversion kept failing"],
      ["flush-failures", flushFailures, "hourly flushes that failed"],
    ] as const) {
      alarm(`${part}-not-empty`, `Dead letters: ${meaning}; inspect and redrive`, {
        ...sqsMetric(dlq, "ApproximateNumberOfMessagesVisible", "Maximum", 0),
      });
    }
    const lambdaMetric = (metricName: string, threshold: number, period: number) => ({
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      threshold,
      period,
    });
    alarm(
      "builder-errors",
      "The manifest builder fails invocations",
      lambdaMetric("Errors", s.functionErrorsPerHour, 3600),
    );
    alarm(
      "builder-throttles",
      "The manifest builder is throttled: raise its reserved concurrency",
      lambdaMetric("Throttles", 0, 300),
    );
    for (const kind of ["Read", "Write"]) {
      alarm(`tracking-${kind.toLowerCase()}-throttles`, `The tracking table throttles ${kind.toLowerCase()}s`, {
        namespace: "AWS/DynamoDB",
        metricName: `${kind}ThrottleEvents`,
        dimensions: { TableName: table.name },
        statistic: "Sum",
        threshold: 0,
      });
    }

    this.sourceQueueArn = source.arn;
    this.sourceDeadLetterQueueArn = sourceDlq.arn;
    this.manifestQueueArn = manifests.arn;
    this.manifestQueueUrl = manifests.url;
    this.manifestDeadLetterQueueArn = manifestDlq.arn;
    this.manifestDeadLetterQueueUrl = manifestDlq.url;
    this.queueNames = pulumi.output({
      rawCreated: source.name,
      rawCreatedDeadLetters: sourceDlq.name,
      manifests: manifests.name,
      manifestDeadLetters: manifestDlq.name,
      flushFailures: flushFailures.name,
    });
    this.flushFailureQueueArn = flushFailures.arn;
    this.trackingTableName = table.name;
    this.trackingTableArn = table.arn;
    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.functionRoleArn = role.arn;
    this.securityGroupId = securityGroup.id;
    this.manifestPrefix = s.manifestPrefix;
    this.registerOutputs({
      sourceQueueArn: this.sourceQueueArn,
      sourceDeadLetterQueueArn: this.sourceDeadLetterQueueArn,
      manifestQueueArn: this.manifestQueueArn,
      manifestQueueUrl: this.manifestQueueUrl,
      manifestDeadLetterQueueArn: this.manifestDeadLetterQueueArn,
      manifestDeadLetterQueueUrl: this.manifestDeadLetterQueueUrl,
      queueNames: this.queueNames,
      flushFailureQueueArn: this.flushFailureQueueArn,
      trackingTableName: this.trackingTableName,
      trackingTableArn: this.trackingTableArn,
      functionName: this.functionName,
      functionArn: this.functionArn,
      functionRoleArn: this.functionRoleArn,
      securityGroupId: this.securityGroupId,
    });
  }
}

interface AlarmMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, pulumi.Input<string>>;
  statistic: string;
  threshold: number;
  /** Seconds. Default: 300. */
  period?: number;
}

/** Refuses every request to the queue that does not use TLS. */
function tlsOnlyStatement(queueArn: pulumi.Input<string>) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

const tlsOnlyQueuePolicy = (queueArn: pulumi.Input<string>) =>
  pulumi.jsonStringify({ Version: "2012-10-17", Statement: [tlsOnlyStatement(queueArn)] });
