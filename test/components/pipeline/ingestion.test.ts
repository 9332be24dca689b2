import * as assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { Ingestion, IngestionArgs } from "../../../components/pipeline/ingestion";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { manifestBuilderDeployment } from "../../../runtime/manifest/deployment";
import { createTableInput } from "../../../runtime/manifest/schema";
import { startDynamo, type DynamoPeer } from "../../../runtime/local/peers/dynamo";
import { s3rverEnvironment, startS3, type LocalS3 } from "../../../runtime/local/peers/s3";
import { startSqs, type SqsPeer } from "../../../runtime/local/peers/sqs";
import { policyOf, Registered, registered } from "../../support/offline";
import { s3Notification, sqsRecord } from "../../runtime/manifest/fixtures";

const key = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;
const bucket = (name: string) => ({ name, arn: `arn:aws:s3:::${name}` });
const baseArgs: IngestionArgs = {
  rawBucket: bucket("acme-raw"),
  manifestsBucket: bucket("acme-manifests"),
  quarantineBucket: bucket("acme-quarantine"),
  lakeKeyArn: key("lake"),
  pipelineKeyArn: key("pipeline"),
  logsKeyArn: key("logs"),
  vpcId: "vpc-0abc12345def67890",
  subnetIds: ["subnet-0aaa1111bbbb2222c", "subnet-0bbb1111bbbb2222c"],
  alarms: { topicArn: `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:acme-alarms` },
};

const QUEUE = "aws:sqs/queue:Queue";
const FUNCTION = "aws:lambda/function:Function";

describe("Ingestion", () => {
  let resources: Registered;
  let ingestion: Ingestion;
  before(async () => {
    ({ resources, result: ingestion } = await registered(() => new Ingestion("acme", baseArgs)));
  });

  it("refuses args AWS would refuse, naming each", () => {
    assert.throws(
      () => new Ingestion("acme", { ...baseArgs, manifestPrefix: "/manifests", logRetentionDays: 10 }),
      (error: Error) => {
        assert.match(error.message, /^Ingestion acme: invalid args:/);
        assert.match(error.message, /manifestPrefix: an S3 key prefix ending in \//);
        assert.match(error.message, /logRetentionDays: CloudWatch Logs accepts retention of 1, 3, 5/);
        return true;
      },
    );
  });

  it("encrypts every queue with the pipeline key and dead-letters after deployment.ts's receive count", () => {
    const queues = resources.ofType(QUEUE);
    assert.deepEqual(queues.map((q) => q.name).sort(), [
      "acme-flush-failures",
      "acme-manifests",
      "acme-manifests-dlq",
      "acme-raw-created",
      "acme-raw-created-dlq",
    ]);
    for (const q of queues) assert.equal(q.inputs.kmsMasterKeyId, key("pipeline"), q.name);
    const source = resources.get(QUEUE, "acme-raw-created");
    // 6 × the 300 s function timeout + the 5 s batching window.
    assert.equal(source.inputs.visibilityTimeoutSeconds, 1805);
    const redrive = JSON.parse(source.inputs.redrivePolicy as string);
    assert.equal(redrive.maxReceiveCount, manifestBuilderDeployment.sourceQueue.maxReceiveCount);
    assert.match(redrive.deadLetterTargetArn, /:acme-raw-created-dlq$/);
    assert.equal(resources.get(QUEUE, "acme-raw-created-dlq").inputs.messageRetentionSeconds, 1_209_600);
  });

  it("admits only S3, for the raw bucket and this account, to the source queue, and refuses plain HTTP", () => {
    const policy = policyOf(resources.get("aws:sqs/queuePolicy:QueuePolicy", "acme-raw-created"));
    const [deny, allow] = policy.Statement;
    assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(allow.Principal, { Service: "s3.amazonaws.com" });
    assert.equal(allow.Action, "sqs:SendMessage");
    assert.deepEqual(allow.Condition, {
      ArnEquals: { "aws:SourceArn": "arn:aws:s3:::acme-raw" },
      StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
    });
    for (const q of resources.ofType("aws:sqs/queuePolicy:QueuePolicy")) {
      assert.equal(policyOf(q).Statement[0].Sid, "DenyInsecureTransport", q.name);
    }
  });

  it("notifies the source queue of every new raw object, after the queue policy admits S3", () => {
    const notification = resources.get("aws:s3/bucketNotification:BucketNotification", "acme-raw-created");
    assert.equal(notification.inputs.bucket, "acme-raw");
    assert.deepEqual((notification.inputs.queues as { events: string[] }[])[0].events, ["s3:ObjectCreated:*"]);
    assert.ok(notification.options.dependsOn.some((urn) => urn.endsWith("QueuePolicy::acme-raw-created")));
  });

  it("creates the tracking table from schema.ts: on demand, PITR, the pipeline key, TTL, deletion protection", () => {
    const table = resources.get("aws:dynamodb/table:Table", "acme-tracking");
    const expected = createTableInput("unused");
    assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
    assert.equal(table.inputs.hashKey, "pk");
    assert.deepEqual(
      (table.inputs.globalSecondaryIndexes as { name: string }[]).map((i) => i.name),
      expected.GlobalSecondaryIndexes!.map((i) => i.IndexName),
    );
    assert.deepEqual(table.inputs.ttl, { attributeName: "expiresAt", enabled: true });
    assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true });
    assert.deepEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: key("pipeline") });
    assert.equal(table.inputs.deletionProtectionEnabled, true);
  });

  it("runs the function on a current Node.js in the private subnets, traced, its environment and logs encrypted", () => {
    const fn = resources.get(FUNCTION, "acme-builder");
    assert.equal(fn.inputs.runtime, "nodejs24.x");
    const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    assert.equal(variables.RAW_BUCKETS, "acme-raw", "the builder takes only this stack's raw bucket");
    assert.equal(fn.inputs.kmsKeyArn, key("pipeline"));
    assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" });
    assert.deepEqual((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds, baseArgs.subnetIds);
    assert.equal(fn.inputs.timeout, manifestBuilderDeployment.functionTimeoutSeconds);
    assert.equal(
      fn.inputs.reservedConcurrentExecutions,
      manifestBuilderDeployment.eventSourceMapping.maximumConcurrency + 1,
    );
    const logGroup = resources.get("aws:cloudwatch/logGroup:LogGroup", "acme-builder");
    assert.equal(logGroup.inputs.name, "/aws/lambda/acme-manifest-builder");
    assert.equal(logGroup.inputs.kmsKeyId, key("logs"));
    assert.equal(logGroup.inputs.retentionInDays, 365);
    assert.ok(fn.options.dependsOn.includes(logGroup.urn), "the log group exists before the function");
    const sg = resources.get("aws:ec2/securityGroup:SecurityGroup", "acme-builder");
    assert.equal(sg.inputs.ingress, undefined, "nothing may connect to the function");
  });

  it("maps the source queue with deployment.ts's settings and flushes hourly through a role of its own", () => {
    const mapping = resources.get("aws:lambda/eventSourceMapping:EventSourceMapping", "acme-raw-created");
    const { eventSourceMapping } = manifestBuilderDeployment;
    assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
    assert.equal(mapping.inputs.batchSize, eventSourceMapping.batchSize);
    assert.equal(mapping.inputs.maximumBatchingWindowInSeconds, eventSourceMapping.maximumBatchingWindowInSeconds);
    assert.deepEqual(mapping.inputs.scalingConfig, { maximumConcurrency: eventSourceMapping.maximumConcurrency });
    const schedule = resources.get("aws:scheduler/schedule:Schedule", "acme-flush");
    assert.equal(schedule.inputs.scheduleExpression, "rate(1 hour)");
    const target = schedule.inputs.target as { roleArn: string; deadLetterConfig: { arn: string } };
    assert.match(target.roleArn, /role\/acme-flush$/);
    assert.match(target.deadLetterConfig.arn, /:acme-flush-failures$/);
    const invokeConfig = resources.get(
      "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
      "acme-builder",
    );
    assert.match(
      (invokeConfig.inputs.destinationConfig as { onFailure: { destination: string } }).onFailure.destination,
      /:acme-flush-failures$/,
    );
  });

  it("lets the function write manifests only below its prefix and use the lake key only through S3", () => {
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-builder")).Statement as {
      Sid: string;
      Resource: unknown;
      Condition?: unknown;
    }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    assert.equal(bySid.WriteManifests.Resource, "arn:aws:s3:::acme-manifests/manifests/*");
    assert.deepEqual(bySid.LakeKeyThroughS3.Condition, {
      StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
    });
    for (const statement of statements) {
      assert.ok(![statement.Resource].flat().includes("*"), `${statement.Sid} names every resource`);
    }
  });

  it("alarms to the topic on a stuck or deep queue, any dead letter, errors, throttles, with the documented thresholds", () => {
    const alarms = Object.fromEntries(
      resources.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name.replace(/^acme-/, ""), a.inputs]),
    );
    const summary = (name: string) => {
      const a = alarms[name];
      assert.ok(a, `no alarm ${name}; there are ${Object.keys(alarms).join(", ")}`);
      assert.deepEqual(a.alarmActions, [baseArgs.alarms.topicArn], name);
      return `${a.namespace} ${a.metricName} ${a.statistic}/${a.period}s > ${a.threshold}`;
    };
    assert.deepEqual(
      Object.keys(alarms)
        .sort()
        .map((name) => `${name}: ${summary(name)}`),
      [
        "builder-errors: AWS/Lambda Errors Sum/3600s > 100",
        "builder-throttles: AWS/Lambda Throttles Sum/300s > 0",
        "flush-failures-not-empty: AWS/SQS ApproximateNumberOfMessagesVisible Maximum/300s > 0",
        "manifests-depth: AWS/SQS ApproximateNumberOfMessagesVisible Maximum/300s > 500",
        "manifests-dlq-not-empty: AWS/SQS ApproximateNumberOfMessagesVisible Maximum/300s > 0",
        "raw-created-age: AWS/SQS ApproximateAgeOfOldestMessage Maximum/300s > 1800",
        "raw-created-dlq-not-empty: AWS/SQS ApproximateNumberOfMessagesVisible Maximum/300s > 0",
        "tracking-read-throttles: AWS/DynamoDB ReadThrottleEvents Sum/300s > 0",
        "tracking-write-throttles: AWS/DynamoDB WriteThrottleEvents Sum/300s > 0",
      ],
    );
  });

  describe("the deployed bundle, against local DynamoDB, S3 and SQS", () => {
    let dynamo: DynamoPeer;
    let s3: LocalS3;
    let sqs: SqsPeer;
    let directory: string;
    const saved = { ...process.env };

    before(async () => {
      [dynamo, s3, sqs] = await Promise.all([startDynamo(), startS3(), startSqs()]);
      directory = await mkdtemp(join(tmpdir(), "loglake-bundle-"));
    });
    after(async () => {
      process.env = saved;
      await Promise.all([dynamo?.stop(), s3?.stop(), sqs?.stop()]);
      if (directory) await rm(directory, { recursive: true, force: true });
    });

    it("records a raw object, publishes its manifest and announces it", async () => {
      const archive = await ingestion.functionCode.assets;
      const asset = archive["index.js"] as pulumi.asset.StringAsset;
      const bundlePath = join(directory, "index.js");
      await writeFile(bundlePath, (await asset.text)!);

      const manifestQueue = await sqs.createQueue("manifests");
      await dynamo.createTable(createTableInput("tracking"));
      for (const name of ["raw", "manifests", "quarantine"]) await s3.createBucket(name);
      const objectKey = "logs/app/dt=2026-11-21/hour=09/app-0-000000000000000000-000000000000000099.ndjson.gz";
      const client = s3.client();
      await client.send(new PutObjectCommand({ Bucket: "raw", Key: objectKey, Body: Buffer.alloc(1000, 1) }));

      // What the component sets, pointed at the peers; the SDK inside the bundle reads the endpoints.
      const environment = await valueOf(
        pulumi.output((resources.get(FUNCTION, "acme-builder").inputs.environment as { variables: object }).variables),
      );
      process.env = {
        ...saved,
        ...(environment as Record<string, string>),
        TRACKING_TABLE: "tracking",
        RAW_BUCKETS: "raw",
        MANIFEST_BUCKET: "manifests",
        QUARANTINE_BUCKET: "quarantine",
        MANIFEST_QUEUE_URL: manifestQueue.url,
        EXPECTED_FILE_BYTES: "1000",
        MAX_FILES_PER_MANIFEST: "1",
        ...s3rverEnvironment,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      };
      // The bundle is built by the test itself, so it is loaded by path at run time, as Lambda loads it.
      const { handler } = createRequire(__filename)(bundlePath) as { handler: (event: unknown) => Promise<unknown> };
      // The SDK sends to the queue URL's host, sqs.<region>.localhost, which fauxqs resolves in-process.
      const { interceptLocalhostDns } = await import("fauxqs");
      const restoreDns = interceptLocalhostDns();
      const response = await handler({
        Records: [sqsRecord("m1", s3Notification([{ bucket: "raw", key: objectKey, size: 1000 }]))],
      }).finally(restoreDns);
      assert.deepEqual(response, { batchItemFailures: [] });

      const listed = await client.send(new ListObjectsV2Command({ Bucket: "manifests", Prefix: "manifests/" }));
      assert.equal(listed.KeyCount, 1, "one manifest under the component's prefix");
      const manifest = JSON.parse(
        await (
          await client.send(new GetObjectCommand({ Bucket: "manifests", Key: listed.Contents![0].Key! }))
        ).Body!.transformToString(),
      );
      assert.deepEqual(
        manifest.files.map((f: { key: string }) => f.key),
        [objectKey],
      );
      const announced = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: manifestQueue.url }));
      assert.equal(announced.Messages?.length, 1);
    });
  });
});
