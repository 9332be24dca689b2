import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { poolLabel } from "../compute/compute-cluster";
import { AccountArgs, componentAccount, keyThroughS3Statement } from "../security/account";
import { logRetentionProblem, s3KeyPrefixPattern } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { keepFailedInvocations, pipelineFunction, PipelineFunctionPlacement, scheduleFunction } from "./function";
import { jobRunsMetric, jobStateEvent, metricNamespace, uploadToCommitMetric } from "../../runtime/jobstate/deployment";

/** The PySpark jobs package, uploaded as it is in the repository. */
export const sparkPackageDir = join(__dirname, "..", "..", "runtime", "spark", "loglake_spark");
const dispatcherEntry = join(__dirname, "..", "..", "runtime", "dispatch", "handler.ts");
const jobStateEntry = join(__dirname, "..", "..", "runtime", "jobstate", "handler.ts");

/** The namespace the job runs' pods run in unless told otherwise; the Hive metastore admits it. */
export const defaultJobsNamespace = "spark-jobs";
/** Where the Iceberg tables live in the lake bucket; the Hive metastore creates their directories there. */
export const defaultWarehousePrefix = "warehouse/";

export interface ProcessingArgs extends AccountArgs, PipelineFunctionPlacement {
  /** The EKS cluster the virtual cluster runs on, and its OIDC provider (IRSA for the job role). */
  clusterName: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** Provider of the cluster's Kubernetes API, for the jobs' namespace. */
  kubernetesProvider: k8s.Provider;
  /** Namespace the job runs' pods run in. Default: "spark-jobs". */
  namespace?: string;
  /** The lake bucket: Iceberg tables below `warehousePrefix`, the job code below `jobsPrefix`. */
  lakeBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** Default: "warehouse/". */
  warehousePrefix?: string;
  /** Default: "jobs/". */
  jobsPrefix?: string;
  /** Raw objects, read only. */
  rawBucketArn: pulumi.Input<string>;
  /** Manifest documents, read only, below `manifestPrefix`. */
  manifestsBucketArn: pulumi.Input<string>;
  manifestPrefix: string;
  /** The manifest queue the dispatcher takes manifests from (Ingestion's). */
  manifestQueueArn: pulumi.Input<string>;
  /** Where a manifest whose conversion EMR failed for good is sent (Ingestion's manifest DLQ). */
  manifestDeadLetterQueue: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  /** The tracking table (Ingestion's): each conversion's manifest and run state are recorded in it. */
  trackingTable: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** Days a conversion's record is kept before DynamoDB TTL removes it. Default: 35. */
  trackingRetentionDays?: number;
  /** Alarms on the job runs, to the stack's encrypted alarm topic. */
  alarms: ProcessingAlarmArgs;
  /** The Hive metastore service the jobs' catalog uses. Default: its in-cluster Service on 9083. */
  metastoreUri?: string;
  /**
   * EMR on EKS release: Spark 3.5 with Iceberg and the Hive client, and Python 3.11 (runtime/spark's
   * pyproject requires it; 7.13.0 is the first release where it is PySpark's default).
   * Default: "emr-7.13.0-latest" (Spark 3.5.6, Iceberg 1.10.0).
   */
  releaseLabel?: string;
  /** Job runs active at once (design documents: 50 in prod). Default: 50. */
  maxConcurrentRuns?: number;
  /** Executors per convert run. Default: 4. */
  executorInstances?: number;
  /** Tables `maintain` compacts and expires, `<database>.<table>`. Default: none. */
  tables?: string[];
  /** When `maintain` runs (EventBridge Scheduler expression). Default: daily at 03:00 UTC. */
  maintainSchedule?: string;
  /** Days the jobs' and the dispatcher's logs are kept. Default: 365. */
  logRetentionDays?: number;
}

export interface ProcessingAlarmArgs {
  /** The SNS topic alarms and their recoveries are sent to. */
  topicArn: pulumi.Input<string>;
  /** Failed job runs (convert and maintain) in an hour that alarm (design documents: 10). Default: 10. */
  jobFailuresPerHour?: number;
  /**
   * p95 over an hour of the time from a raw object's upload to its rows' Iceberg commit that alarms,
   * seconds (design documents: under 30 minutes). Default: 1800.
   */
  uploadToCommitP95Seconds?: number;
}

function withDefaults(args: ProcessingArgs) {
  return {
    namespace: args.namespace ?? defaultJobsNamespace,
    warehousePrefix: args.warehousePrefix ?? defaultWarehousePrefix,
    jobsPrefix: args.jobsPrefix ?? "jobs/",
    metastoreUri: args.metastoreUri ?? "thrift://hive-metastore.hive.svc.cluster.local:9083",
    releaseLabel: args.releaseLabel ?? "emr-7.13.0-latest",
    maxConcurrentRuns: args.maxConcurrentRuns ?? 50,
    executorInstances: args.executorInstances ?? 4,
    tables: args.tables ?? [],
    maintainSchedule: args.maintainSchedule ?? "cron(0 3 * * ? *)",
    logRetentionDays: args.logRetentionDays ?? 365,
    trackingRetentionDays: args.trackingRetentionDays ?? 35,
    jobFailuresPerHour: args.alarms.jobFailuresPerHour ?? 10,
    uploadToCommitP95Seconds: args.alarms.uploadToCommitP95Seconds ?? 1800,
  };
}
type Settings = ReturnType<typeof withDefaults>;

function argsProblems(s: Settings, args: ProcessingArgs): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  for (const key of ["warehousePrefix", "jobsPrefix"] as const) {
    if (!s3KeyPrefixPattern.test(s[key])) add([key], "an S3 key prefix ending in / (no leading /)");
  }
  if (!s3KeyPrefixPattern.test(args.manifestPrefix)) add(["manifestPrefix"], "an S3 key prefix ending in /");
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.namespace)) add(["namespace"], "a Kubernetes namespace name");
  if (!/^emr-\d+\.\d+\.\d+(-latest|-\d+)?$/.test(s.releaseLabel))
    add(["releaseLabel"], "an EMR release such as emr-7.13.0-latest");
  if (!/^thrift:\/\/[^/]+:\d+$/.test(s.metastoreUri)) add(["metastoreUri"], "thrift://<host>:<port>");
  for (const key of [
    "maxConcurrentRuns",
    "executorInstances",
    "trackingRetentionDays",
    "jobFailuresPerHour",
    "uploadToCommitP95Seconds",
  ] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) add([key], "a whole number of at least 1");
  }
  s.tables.forEach((table, i) => {
    if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(table)) add(["tables", i], `"${table}": <database>.<table>`);
  });
  const retention = logRetentionProblem(s.logRetentionDays);
  if (retention) add(["logRetentionDays"], retention);
  return problems;
}

/** Every file of a folder, by path relative to it, sorted: what the content hash covers. */
function filesOf(dir: string): [string, Buffer][] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? entry.name === "__pycache__"
          ? []
          : walk(join(folder, entry.name))
        : entry.name.endsWith(".py")
          ? [join(folder, entry.name)]
          : [],
    );
  return walk(dir)
    .sort()
    .map((file) => [relative(dir, file), readFileSync(file)]);
}

/**
 * EMR on EKS names each run's service accounts `emr-containers-sa-<…>-<…>-<account>-<role>`, the role
 * name in base 36 of its bytes; the job role's trust names that pattern and nothing else.
 */
export function emrServiceAccountRoleSuffix(roleName: string): string {
  return BigInt(`0x${Buffer.from(roleName, "utf8").toString("hex")}`).toString(36);
}

/** Pod templates: drivers on the on-demand system nodes, executors on the tainted Spot `spark` group. */
export function podTemplates(): { driver: string; executor: string } {
  const template = (spec: object) => JSON.stringify({ apiVersion: "v1", kind: "Pod", spec });
  return {
    driver: template({ nodeSelector: { [poolLabel]: "system", "eks.amazonaws.com/capacityType": "ON_DEMAND" } }),
    executor: template({
      nodeSelector: { [poolLabel]: "spark" },
      tolerations: [{ key: poolLabel, operator: "Equal", value: "spark", effect: "NoSchedule" }],
    }),
  };
}

/**
 * Spark on the EKS cluster through EMR on EKS: a virtual cluster on a namespace of its own, AWS's
 * Spark runtime images (Iceberg and the Hive client included, so no image is built), the PySpark
 * jobs uploaded under a content hash, a job role trusted only by the runs' service accounts, and a
 * dispatcher that starts one convert run per manifest and `maintain` runs on a schedule.
 */
export class Processing extends pulumi.ComponentResource {
  public readonly virtualClusterId: pulumi.Output<string>;
  public readonly jobRoleArn: pulumi.Output<string>;
  public readonly dispatcherFunctionArn: pulumi.Output<string>;
  /** `s3://<lake>/<jobs prefix><hash>/`: where this deployment's job code lives. */
  public readonly jobsUri: pulumi.Output<string>;
  public readonly jobsHash: string;
  public readonly dispatcherFunctionName: pulumi.Output<string>;
  public readonly jobStateFunctionName: pulumi.Output<string>;
  /** The job-state function's code as deployed, so tests run exactly what `pulumi up` uploads. */
  public readonly jobStateCode: pulumi.asset.AssetArchive;
  /** Failed dispatcher and job-state invocations land here. */
  public readonly dispatchFailureQueueName: pulumi.Output<string>;
  /** CloudWatch namespace of the stack's job-run and latency metrics. */
  public readonly metricNamespace: string;

  constructor(name: string, args: ProcessingArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = withDefaults(args);
    refuseProblems("Processing", name, argsProblems(s, args));
    super("loglake:pipeline:Processing", name, {}, opts);
    const account = componentAccount(args, this);
    const child = { parent: this };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-spark-jobs`,
      // EMR's Spark images run as a fixed non-root user but request capabilities restricted refuses.
      { metadata: { name: s.namespace, labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
      { parent: this, provider: args.kubernetesProvider },
    );
    const virtualCluster = new aws.emrcontainers.VirtualCluster(
      `${name}-spark`,
      {
        name: `${name}-spark`,
        containerProvider: {
          id: args.clusterName,
          type: "EKS",
          info: { eksInfo: { namespace: s.namespace } },
        },
      },
      { parent: this, dependsOn: [namespace] },
    );

    const jobLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-spark-jobs`,
      { name: `/loglake/${name}/spark-jobs`, retentionInDays: s.logRetentionDays, kmsKeyId: args.logsKeyArn },
      child,
    );

    const jobRoleName = `${name}-spark-jobs`;
    const jobRole = new aws.iam.Role(
      `${name}-spark-jobs`,
      {
        name: jobRoleName,
        description: "EMR on EKS job runs: raw and manifests read only, the warehouse read-write",
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcProviderUrl, account])
          .apply(([providerArn, url, acct]) => {
            const issuer = url.replace(/^https:\/\//, "");
            return JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: providerArn },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: {
                    StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" },
                    StringLike: {
                      [`${issuer}:sub`]: `system:serviceaccount:${s.namespace}:emr-containers-sa-*-*-${acct.accountId}-${emrServiceAccountRoleSuffix(jobRoleName)}`,
                    },
                  },
                },
              ],
            });
          }),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-spark-jobs`,
      {
        role: jobRole.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadRawManifestsAndJobs",
              Effect: "Allow",
              Action: "s3:GetObject",
              Resource: [
                pulumi.interpolate`${args.rawBucketArn}/*`,
                pulumi.interpolate`${args.manifestsBucketArn}/${args.manifestPrefix}*`,
                pulumi.interpolate`${args.lakeBucket.arn}/${s.jobsPrefix}*`,
              ],
            },
            {
              Sid: "ReadWriteWarehouse",
              Effect: "Allow",
              Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
              Resource: pulumi.interpolate`${args.lakeBucket.arn}/${s.warehousePrefix}*`,
            },
            {
              Sid: "ListWarehouse",
              Effect: "Allow",
              Action: "s3:ListBucket",
              Resource: args.lakeBucket.arn,
              Condition: { StringLike: { "s3:prefix": [`${s.warehousePrefix}*`, s.warehousePrefix.slice(0, -1)] } },
            },
            pulumi.all([args.lakeKeyArn, account]).apply(([key, acct]) => keyThroughS3Statement(key, acct)),
            {
              Sid: "WriteJobLogs",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [jobLogGroup.arn, pulumi.interpolate`${jobLogGroup.arn}:*`],
            },
          ],
        }),
      },
      child,
    );

    // A changed job is a new object under a new hash, so a running job is never changed underneath.
    const files = filesOf(sparkPackageDir);
    const templates = podTemplates();
    const entry = "import sys\n\nfrom loglake_spark.cli import main\n\nsys.exit(main())\n";
    const hash = createHash("sha256");
    for (const [path, content] of files) hash.update(path).update("\0").update(content).update("\0");
    hash.update(entry).update(templates.driver).update(templates.executor);
    this.jobsHash = hash.digest("hex").slice(0, 16);
    const jobsKey = `${s.jobsPrefix}${this.jobsHash}/`;
    const upload = (part: string, key: string, source: pulumi.asset.Asset | pulumi.asset.Archive) =>
      new aws.s3.BucketObjectv2(
        `${name}-${part}`,
        {
          bucket: args.lakeBucket.name,
          key: `${jobsKey}${key}`,
          source,
          serverSideEncryption: "aws:kms",
          kmsKeyId: args.lakeKeyArn,
        },
        child,
      );
    upload("job-entry", "main.py", new pulumi.asset.StringAsset(entry));
    upload(
      "job-package",
      "loglake_spark.zip",
      new pulumi.asset.AssetArchive(
        Object.fromEntries(
          files.map(([path]) => [`loglake_spark/${path}`, new pulumi.asset.FileAsset(join(sparkPackageDir, path))]),
        ),
      ),
    );
    upload("driver-template", "driver.json", new pulumi.asset.StringAsset(templates.driver));
    upload("executor-template", "executor.json", new pulumi.asset.StringAsset(templates.executor));
    const jobsUri = pulumi.interpolate`s3://${args.lakeBucket.name}/${jobsKey}`;

    const failures = new aws.sqs.Queue(
      `${name}-dispatch-failures`,
      { kmsMasterKeyId: args.pipelineKeyArn, messageRetentionSeconds: 1_209_600 },
      child,
    );
    const placement = {
      environmentKeyArn: args.pipelineKeyArn,
      logsKeyArn: args.logsKeyArn,
      logRetentionDays: s.logRetentionDays,
      vpcId: args.vpcId,
      subnetIds: args.subnetIds,
      account,
    };
    // Queues, the tracking table and the functions' environment are all encrypted with it.
    const pipelineKey = {
      Sid: "PipelineKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.pipelineKeyArn,
    };
    const functionName = `${name}-spark-dispatcher`;
    const dispatcher = pipelineFunction(`${name}-dispatcher`, this, {
      functionName,
      description: "loglake Spark dispatcher: one EMR on EKS run per manifest, maintenance on schedule",
      entry: dispatcherEntry,
      timeoutSeconds: 60,
      memoryMb: 256,
      reservedConcurrency: 3,
      environment: {
        VIRTUAL_CLUSTER_ID: virtualCluster.id,
        EXECUTION_ROLE_ARN: jobRole.arn,
        RELEASE_LABEL: s.releaseLabel,
        ENTRY_POINT: pulumi.interpolate`${jobsUri}main.py`,
        PY_FILES: pulumi.interpolate`${jobsUri}loglake_spark.zip`,
        DRIVER_POD_TEMPLATE: pulumi.interpolate`${jobsUri}driver.json`,
        EXECUTOR_POD_TEMPLATE: pulumi.interpolate`${jobsUri}executor.json`,
        METASTORE_URI: s.metastoreUri,
        WAREHOUSE: pulumi.interpolate`s3a://${args.lakeBucket.name}/${s.warehousePrefix.slice(0, -1)}`,
        LOG_GROUP: jobLogGroup.name,
        EXECUTOR_INSTANCES: String(s.executorInstances),
        MAX_CONCURRENT_RUNS: String(s.maxConcurrentRuns),
        TABLES: s.tables.join(","),
        TRACKING_TABLE: args.trackingTable.name,
        RETENTION_DAYS: String(s.trackingRetentionDays),
      },
      ...placement,
      statements: [
        {
          Sid: "StartRunsAsTheJobRole",
          Effect: "Allow",
          Action: "emr-containers:StartJobRun",
          Resource: virtualCluster.arn,
          Condition: { ArnEquals: { "emr-containers:ExecutionRoleArn": jobRole.arn } },
        },
        { Sid: "CountRuns", Effect: "Allow", Action: "emr-containers:ListJobRuns", Resource: virtualCluster.arn },
        {
          Sid: "TakeManifests",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          Resource: args.manifestQueueArn,
        },
        { Sid: "ReportFailures", Effect: "Allow", Action: "sqs:SendMessage", Resource: failures.arn },
        { Sid: "RecordManifests", Effect: "Allow", Action: "dynamodb:UpdateItem", Resource: args.trackingTable.arn },
        pipelineKey,
      ],
    });
    new aws.lambda.EventSourceMapping(
      `${name}-manifests`,
      {
        eventSourceArn: args.manifestQueueArn,
        functionName: dispatcher.fn.arn,
        functionResponseTypes: ["ReportBatchItemFailures"],
        batchSize: 10,
        // Two at most (SQS's minimum), so the count of active runs is rarely raced past the cap.
        scalingConfig: { maximumConcurrency: 2 },
      },
      child,
    );
    keepFailedInvocations(`${name}-dispatcher`, this, dispatcher.fn, failures.arn);
    scheduleFunction(`${name}-maintain`, this, {
      description: "Daily Iceberg maintenance: compaction, snapshot expiry, orphan removal",
      scheduleExpression: s.maintainSchedule,
      fn: dispatcher.fn,
      input: { job: "maintain" },
      deadLetterArn: failures.arn,
      deadLetterKeyArn: args.pipelineKeyArn,
      account,
    });

    // Job state: EMR's state changes of this virtual cluster's runs, recorded and counted.
    const metricsNamespace = metricNamespace(name);
    const jobState = pipelineFunction(`${name}-job-state`, this, {
      functionName: `${name}-spark-job-state`,
      description: "loglake Spark job state: records each conversion's run state, dead-letters failed manifests",
      entry: jobStateEntry,
      timeoutSeconds: 30,
      memoryMb: 256,
      // Events come one per state change; a few at once keep up with 50 concurrent runs.
      reservedConcurrency: 5,
      environment: {
        VIRTUAL_CLUSTER_ID: virtualCluster.id,
        TRACKING_TABLE: args.trackingTable.name,
        DEAD_LETTER_QUEUE_URL: args.manifestDeadLetterQueue.url,
        METRIC_NAMESPACE: metricsNamespace,
        RETENTION_DAYS: String(s.trackingRetentionDays),
      },
      ...placement,
      statements: [
        { Sid: "RecordRunStates", Effect: "Allow", Action: "dynamodb:UpdateItem", Resource: args.trackingTable.arn },
        {
          Sid: "DeadLetterFailedManifestsAndReportFailures",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: [args.manifestDeadLetterQueue.arn, failures.arn],
        },
        pipelineKey,
      ],
    });
    // EventBridge invokes asynchronously: an event the function keeps failing on is kept, not dropped.
    keepFailedInvocations(`${name}-job-state`, this, jobState.fn, failures.arn);
    const rule = new aws.cloudwatch.EventRule(
      `${name}-job-state`,
      {
        description: "EMR on EKS job run state changes of this stack's virtual cluster",
        eventPattern: pulumi.jsonStringify({
          source: [jobStateEvent.source],
          "detail-type": [jobStateEvent.detailType],
          detail: { virtualClusterId: [virtualCluster.id] },
        }),
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-job-state`,
      {
        function: jobState.fn.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      child,
    );
    new aws.cloudwatch.EventTarget(`${name}-job-state`, { rule: rule.name, arn: jobState.fn.arn }, child);

    // The convert job prints one JSON summary line on the driver's stdout, which reaches this log group.
    new aws.cloudwatch.LogMetricFilter(
      `${name}-upload-to-commit`,
      {
        logGroupName: jobLogGroup.name,
        pattern: `{ $.${uploadToCommitMetric.summaryField} >= 0 }`,
        metricTransformation: {
          namespace: metricsNamespace,
          name: uploadToCommitMetric.name,
          value: `$.${uploadToCommitMetric.summaryField}`,
          unit: "Seconds",
        },
      },
      child,
    );

    const alarm = (
      part: string,
      description: string,
      metric: Omit<aws.cloudwatch.MetricAlarmArgs, "comparisonOperator" | "evaluationPeriods">,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${part}`,
        {
          alarmDescription: description,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          // No data means no runs, which is not a failure.
          treatMissingData: "notBreaching",
          alarmActions: [args.alarms.topicArn],
          okActions: [args.alarms.topicArn],
          ...metric,
        },
        child,
      );
    alarm(
      "job-failures",
      `More than ${s.jobFailuresPerHour} Spark job runs failed in an hour; read the runs' failureReason in the tracking table and the driver logs`,
      {
        namespace: metricsNamespace,
        metricName: jobRunsMetric.name,
        dimensions: { [jobRunsMetric.stateDimension]: "FAILED" },
        statistic: "Sum",
        period: 3600,
        threshold: s.jobFailuresPerHour,
      },
    );
    alarm(
      "upload-to-commit-p95",
      `p95 upload-to-table latency above ${s.uploadToCommitP95Seconds} s over an hour: conversions start or run too slowly`,
      {
        namespace: metricsNamespace,
        metricName: uploadToCommitMetric.name,
        extendedStatistic: "p95",
        period: 3600,
        threshold: s.uploadToCommitP95Seconds,
      },
    );
    alarm(
      "dispatch-failures-not-empty",
      "Dead letters: dispatcher or job-state invocations that failed 3 times; inspect and redrive",
      {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: failures.name },
        statistic: "Maximum",
        period: 300,
        threshold: 0,
      },
    );

    this.virtualClusterId = virtualCluster.id;
    this.jobRoleArn = jobRole.arn;
    this.dispatcherFunctionArn = dispatcher.fn.arn;
    this.jobsUri = jobsUri;
    this.dispatcherFunctionName = dispatcher.fn.name;
    this.jobStateFunctionName = jobState.fn.name;
    this.jobStateCode = jobState.code;
    this.dispatchFailureQueueName = failures.name;
    this.metricNamespace = metricsNamespace;
    this.registerOutputs({
      dispatcherFunctionName: this.dispatcherFunctionName,
      jobStateFunctionName: this.jobStateFunctionName,
      dispatchFailureQueueName: this.dispatchFailureQueueName,
      virtualClusterId: this.virtualClusterId,
      jobRoleArn: this.jobRoleArn,
      dispatcherFunctionArn: this.dispatcherFunctionArn,
      jobsUri: this.jobsUri,
    });
  }
}
