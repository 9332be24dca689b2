import * as assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  emrServiceAccountRoleSuffix,
  podTemplates,
  Processing,
  ProcessingArgs,
} from "../../../components/pipeline/processing";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { RunLedger, runPk } from "../../../runtime/jobstate/ledger";
import { createTableInput } from "../../../runtime/manifest/schema";
import { startDynamo, type DynamoPeer } from "../../../runtime/local/peers/dynamo";
import { startSqs, type SqsPeer } from "../../../runtime/local/peers/sqs";
import { policyOf, present, Registered, registered } from "../../support/offline";
import { announcement, stateChangeEvent } from "../../runtime/jobstate/fixtures";

const key = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;
const args = (kubernetesProvider: k8s.Provider): ProcessingArgs => ({
  clusterName: "acme-eks",
  oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC`,
  oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
  kubernetesProvider,
  lakeBucket: { name: "acme-lake", arn: "arn:aws:s3:::acme-lake" },
  rawBucketArn: "arn:aws:s3:::acme-raw",
  manifestsBucketArn: "arn:aws:s3:::acme-manifests",
  manifestPrefix: "manifests/",
  lakeKeyArn: key("lake"),
  manifestQueueArn: `arn:aws:sqs:eu-west-1:${MOCK_ACCOUNT_ID}:acme-manifests`,
  manifestDeadLetterQueue: {
    arn: `arn:aws:sqs:eu-west-1:${MOCK_ACCOUNT_ID}:acme-manifests-dlq`,
    url: `https://sqs.eu-west-1.amazonaws.com/${MOCK_ACCOUNT_ID}/acme-manifests-dlq`,
  },
  trackingTable: { name: "acme-tracking", arn: `arn:aws:dynamodb:eu-west-1:${MOCK_ACCOUNT_ID}:table/acme-tracking` },
  alarms: { topicArn: `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:acme-alarms` },
  pipelineKeyArn: key("pipeline"),
  logsKeyArn: key("logs"),
  vpcId: "vpc-0abc12345def67890",
  subnetIds: ["subnet-0aaa1111bbbb2222c"],
  tables: ["logs.app"],
});

describe("Processing", () => {
  let resources: Registered;
  let processing: Processing;
  before(async () => {
    ({ resources, result: processing } = await registered(
      () => new Processing("acme", args(new k8s.Provider("k8s", { kubeconfig: "{}" }))),
    ));
  });

  it("refuses args EMR, S3 or Kubernetes would refuse, naming each", () => {
    const provider = undefined as unknown as k8s.Provider;
    assert.throws(
      () => new Processing("acme", { ...args(provider), releaseLabel: "7.9", tables: ["App"], namespace: "Spark" }),
      (error: Error) =>
        /releaseLabel: an EMR release/.test(error.message) &&
        /tables\[0\]: "App": <database>\.<table>/.test(error.message) &&
        /namespace: a Kubernetes namespace name/.test(error.message),
    );
  });

  it("runs a virtual cluster on its own namespace of the EKS cluster", () => {
    const vc = resources.get("aws:emrcontainers/virtualCluster:VirtualCluster", "acme-spark");
    assert.deepEqual(vc.inputs.containerProvider, {
      id: "acme-eks",
      type: "EKS",
      info: { eksInfo: { namespace: "spark-jobs" } },
    });
    const ns = resources.get("kubernetes:core/v1:Namespace", "acme-spark-jobs");
    assert.ok(vc.options.dependsOn.includes(ns.urn), "the namespace exists first");
  });

  it("trusts the job role to the runs' service accounts of this role only, through the cluster's OIDC provider", () => {
    const trust = policyOf(resources.get("aws:iam/role:Role", "acme-spark-jobs"), "assumeRolePolicy");
    const [statement] = trust.Statement;
    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
    const suffix = emrServiceAccountRoleSuffix("acme-spark-jobs");
    assert.deepEqual(present(statement.Condition, "the trust's condition").StringLike, {
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": `system:serviceaccount:spark-jobs:emr-containers-sa-*-*-${MOCK_ACCOUNT_ID}-${suffix}`,
    });
    // "ab" is the bytes 0x61 0x62 = 24930, in base 36 "j8i".
    assert.equal(emrServiceAccountRoleSuffix("ab"), "j8i");
  });

  it("lets jobs read raw and manifests, write only the warehouse, and use the lake key only through S3", () => {
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-spark-jobs")).Statement;
    const writes = statements.filter((s) => [s.Action].flat().some((a) => /^s3:(Put|Delete)/.test(a)));
    assert.deepEqual(
      writes.map((s) => s.Resource),
      ["arn:aws:s3:::acme-lake/warehouse/*"],
    );
    assert.deepEqual(statements[0].Resource, [
      "arn:aws:s3:::acme-raw/*",
      "arn:aws:s3:::acme-manifests/manifests/*",
      "arn:aws:s3:::acme-lake/jobs/*",
    ]);
  });

  it("uploads the jobs under a content hash and puts drivers on on-demand nodes, executors on the spot group", () => {
    const objects = resources.ofType("aws:s3/bucketObjectv2:BucketObjectv2").map((o) => o.inputs.key);
    const prefix = `jobs/${processing.jobsHash}/`;
    assert.match(processing.jobsHash, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      objects.sort(),
      ["driver.json", "executor.json", "loglake_spark.zip", "main.py"].map((f) => prefix + f),
    );
    const { driver, executor } = podTemplates();
    assert.deepEqual(JSON.parse(driver).spec.nodeSelector, {
      "loglake.io/pool": "system",
      "eks.amazonaws.com/capacityType": "ON_DEMAND",
    });
    assert.deepEqual(JSON.parse(executor).spec.tolerations, [
      { key: "loglake.io/pool", operator: "Equal", value: "spark", effect: "NoSchedule" },
    ]);
  });

  it("dispatches from the manifest queue and maintains daily, starting runs only as the job role", () => {
    const mapping = resources.get("aws:lambda/eventSourceMapping:EventSourceMapping", "acme-manifests");
    assert.equal(mapping.inputs.eventSourceArn, args(undefined as unknown as k8s.Provider).manifestQueueArn);
    assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
    const schedule = resources.get("aws:scheduler/schedule:Schedule", "acme-maintain");
    assert.equal(schedule.inputs.scheduleExpression, "cron(0 3 * * ? *)");
    assert.equal(JSON.parse((schedule.inputs.target as { input: string }).input).job, "maintain");
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-dispatcher")).Statement;
    const start = present(
      statements.find((s) => s.Sid === "StartRunsAsTheJobRole"),
      "the StartJobRun statement",
    );
    assert.match(
      String(present(start.Condition, "its condition").ArnEquals["emr-containers:ExecutionRoleArn"]),
      /role\/acme-spark-jobs$/,
    );
    const fn = resources.get("aws:lambda/function:Function", "acme-dispatcher");
    assert.equal(fn.inputs.runtime, "nodejs24.x");
  });

  it("sends this virtual cluster's job-run state changes, and only those, to the job-state function", async () => {
    const rule = resources.get("aws:cloudwatch/eventRule:EventRule", "acme-job-state");
    const pattern = JSON.parse(rule.inputs.eventPattern as string);
    assert.deepEqual(pattern.source, ["aws.emr-containers"]);
    assert.deepEqual(pattern["detail-type"], ["EMR Job Run State Change"]);
    assert.deepEqual(pattern.detail.virtualClusterId, [await valueOf(processing.virtualClusterId)]);
    const permission = resources.get("aws:lambda/permission:Permission", "acme-job-state");
    assert.equal(permission.inputs.principal, "events.amazonaws.com");
    assert.match(String(permission.inputs.sourceArn), /acme-job-state/, "only this rule may invoke it");
    const invoke = resources.get("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "acme-job-state");
    assert.match(
      String((invoke.inputs.destinationConfig as { onFailure: { destination: string } }).onFailure.destination),
      /acme-dispatch-failures/,
    );
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-job-state")).Statement;
    assert.deepEqual(
      statements.map((st) => [st.Sid, st.Action]),
      [
        ["RecordRunStates", "dynamodb:UpdateItem"],
        ["DeadLetterFailedManifestsAndReportFailures", "sqs:SendMessage"],
        ["PipelineKey", ["kms:Decrypt", "kms:GenerateDataKey"]],
      ],
    );
  });

  it("alarms on job failures, the p95 upload-to-table latency and the dispatch failures queue, with the defaults", () => {
    const alarms = Object.fromEntries(
      resources.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name, a.inputs]),
    );
    const failures = alarms["acme-job-failures"];
    assert.deepEqual(
      [
        failures.namespace,
        failures.metricName,
        failures.dimensions,
        failures.statistic,
        failures.period,
        failures.threshold,
      ],
      ["loglake/acme", "JobRuns", { State: "FAILED" }, "Sum", 3600, 10],
    );
    const latency = alarms["acme-upload-to-commit-p95"];
    assert.deepEqual(
      [latency.metricName, latency.extendedStatistic, latency.threshold],
      ["UploadToCommitSeconds", "p95", 1800],
    );
    assert.equal(alarms["acme-dispatch-failures-not-empty"].threshold, 0);
    for (const alarm of Object.values(alarms)) {
      assert.deepEqual(alarm.alarmActions, [args(undefined as unknown as k8s.Provider).alarms.topicArn]);
    }
    const filter = resources.get("aws:cloudwatch/logMetricFilter:LogMetricFilter", "acme-upload-to-commit");
    assert.equal(filter.inputs.pattern, "{ $.oldestUploadToCommitSeconds >= 0 }");
    assert.deepEqual(filter.inputs.metricTransformation, {
      namespace: "loglake/acme",
      name: "UploadToCommitSeconds",
      value: "$.oldestUploadToCommitSeconds",
      unit: "Seconds",
    });
  });

  it("refuses alarm thresholds below 1, naming each", () => {
    assert.throws(
      () =>
        new Processing("acme", {
          ...args(new k8s.Provider("k8s-bad", { kubeconfig: "{}" })),
          alarms: {
            topicArn: "arn:aws:sns:eu-west-1:123456789012:a",
            jobFailuresPerHour: 0,
            uploadToCommitP95Seconds: 1.5,
          },
        }),
      (error: Error) =>
        /jobFailuresPerHour: a whole number of at least 1/.test(error.message) &&
        /uploadToCommitP95Seconds: a whole number of at least 1/.test(error.message),
    );
  });

  describe("the deployed job-state bundle, against local DynamoDB and SQS", () => {
    let dynamo: DynamoPeer;
    let sqs: SqsPeer;
    let directory: string;
    const saved = { ...process.env };

    before(async () => {
      [dynamo, sqs] = await Promise.all([startDynamo(), startSqs()]);
      directory = await mkdtemp(join(tmpdir(), "loglake-jobstate-"));
    });
    after(async () => {
      process.env = saved;
      await Promise.all([dynamo?.stop(), sqs?.stop()]);
      if (directory) await rm(directory, { recursive: true, force: true });
    });

    it("records a failed conversion and dead-letters its manifest", async () => {
      const asset = (await processing.jobStateCode.assets)["index.js"] as pulumi.asset.StringAsset;
      const bundlePath = join(directory, "index.js");
      await writeFile(bundlePath, (await asset.text)!);
      await dynamo.createTable(createTableInput("tracking"));
      const dlq = await sqs.createQueue("manifests-dlq");
      const runName = "convert-raw-app-5555555555555555";
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      await new RunLedger(doc, { tableName: "tracking", retentionSeconds: 3600 }).dispatched(
        runName,
        announcement("5".repeat(32)),
      );

      const environment = (await valueOf(
        pulumi.output(
          (resources.get("aws:lambda/function:Function", "acme-job-state").inputs.environment as { variables: object })
            .variables,
        ),
      )) as Record<string, string>;
      process.env = {
        ...saved,
        ...environment,
        TRACKING_TABLE: "tracking",
        DEAD_LETTER_QUEUE_URL: dlq.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      };
      const { handler } = createRequire(__filename)(bundlePath) as { handler: (event: unknown) => Promise<unknown> };
      const event = stateChangeEvent({ name: runName, state: "FAILED", failureReason: "USER_ERROR" });
      event.detail.virtualClusterId = environment.VIRTUAL_CLUSTER_ID;
      const { interceptLocalhostDns } = await import("fauxqs");
      const restoreDns = interceptLocalhostDns();
      const outcome = await handler(event).finally(restoreDns);
      assert.deepEqual(outcome, { recorded: true, deadLettered: true });

      const item = (await doc.send(new GetCommand({ TableName: "tracking", Key: { pk: runPk(runName) } }))).Item;
      assert.deepEqual([item?.runState, item?.failureReason], ["FAILED", "USER_ERROR"]);
      const { Messages } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: dlq.url }));
      assert.equal(JSON.parse(Messages![0].Body!).manifestId, "5".repeat(32));
    });
  });
});
