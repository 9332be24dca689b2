/** The job-state function against local DynamoDB (dynalite) and SQS (fauxqs). */
import assert from "node:assert/strict";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { createHandler, loadConfig } from "../../../runtime/jobstate/handler";
import { RunLedger, runPk } from "../../../runtime/jobstate/ledger";
import { createTableInput } from "../../../runtime/manifest/schema";
import { startDynamo, type DynamoPeer } from "../../../runtime/local/peers/dynamo";
import { startSqs, type SqsPeer } from "../../../runtime/local/peers/sqs";
import { announcement, stateChangeEvent, virtualClusterId } from "./fixtures";

describe("job-state function", () => {
  let dynamo: DynamoPeer;
  let sqs: SqsPeer;
  let dlqUrl: string;
  let handle: ReturnType<typeof createHandler>;
  let ledger: RunLedger;
  let doc: DynamoDBDocumentClient;
  const metrics: Record<string, unknown>[] = [];
  const restoreDns: (() => void)[] = [];

  before(async () => {
    [dynamo, sqs] = await Promise.all([startDynamo(), startSqs()]);
    await dynamo.createTable(createTableInput("tracking"));
    ({ url: dlqUrl } = await sqs.createQueue("manifests-dlq"));
    // The SDK sends to the queue URL's host, sqs.<region>.localhost, which fauxqs resolves in-process.
    const { interceptLocalhostDns } = await import("fauxqs");
    restoreDns.push(interceptLocalhostDns());
    const config = loadConfig({
      VIRTUAL_CLUSTER_ID: virtualClusterId,
      TRACKING_TABLE: "tracking",
      DEAD_LETTER_QUEUE_URL: dlqUrl,
      METRIC_NAMESPACE: "loglake/acme",
    });
    handle = createHandler(
      config,
      { dynamo: dynamo.client, sqs: sqs.client },
      () => undefined,
      (m) => metrics.push(m),
    );
    doc = DynamoDBDocumentClient.from(dynamo.client);
    ledger = new RunLedger(doc, { tableName: "tracking", retentionSeconds: 86_400 });
  });
  after(async () => {
    restoreDns.forEach((restore) => restore());
    await Promise.all([dynamo?.stop(), sqs?.stop()]);
  });
  beforeEach(() => {
    metrics.length = 0;
  });

  const record = async (runName: string) =>
    (await doc.send(new GetCommand({ TableName: "tracking", Key: { pk: runPk(runName) } }))).Item;
  const deadLetters = async () =>
    (await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];

  it("refuses a configuration naming each bad variable and its value", () => {
    assert.throws(
      () =>
        loadConfig({
          VIRTUAL_CLUSTER_ID: "vc",
          TRACKING_TABLE: "t",
          DEAD_LETTER_QUEUE_URL: "queue",
          METRIC_NAMESPACE: "AWS/Lambda",
        }),
      (error: Error) =>
        /DEAD_LETTER_QUEUE_URL \("queue"\)/.test(error.message) &&
        /METRIC_NAMESPACE \("AWS\/Lambda"\)/.test(error.message),
    );
  });

  it("records a conversion's states in order, ignoring a late RUNNING after COMPLETED", async () => {
    const name = "convert-raw-app-1111111111111111";
    await ledger.dispatched(name, announcement("1".repeat(32)));
    assert.deepEqual(await handle(stateChangeEvent({ name, state: "SUBMITTED" })), {
      recorded: true,
      deadLettered: false,
    });
    await handle(stateChangeEvent({ name, state: "COMPLETED" }, "2026-12-02T10:20:00Z"));
    assert.deepEqual(await handle(stateChangeEvent({ name, state: "RUNNING" })), {
      recorded: false,
      deadLettered: false,
    });
    const item = await record(name);
    assert.equal(item?.runState, "COMPLETED");
    assert.equal(item?.finishedAt, "2026-12-02T10:20:00Z");
    assert.equal(item?.manifestId, "1".repeat(32));
    assert.equal(item?.jobRunId, "000000035l0ad2upfnq");
    assert.deepEqual(
      metrics.map((m) => m.State),
      ["SUBMITTED", "COMPLETED", "RUNNING"],
      "every change is counted, a stale one too",
    );
    assert.equal((await deadLetters()).length, 0);
  });

  it("sends a conversion EMR failed for good to the manifest DLQ once, as a redrivable announcement", async () => {
    const name = "convert-raw-app-2222222222222222";
    await ledger.dispatched(name, announcement("2".repeat(32)));
    const failed = stateChangeEvent({
      name,
      state: "FAILED",
      failureReason: "USER_ERROR",
      stateDetails: "exit code 1",
    });
    assert.deepEqual(await handle(failed), { recorded: true, deadLettered: true });
    assert.deepEqual(await handle(failed), { recorded: false, deadLettered: false }, "a repeated event");
    const messages = await deadLetters();
    assert.equal(messages.length, 1);
    const body = JSON.parse(messages[0].Body!);
    assert.equal(body.manifestId, "2".repeat(32));
    assert.equal(body.manifestUri, announcement("2".repeat(32)).manifestUri);
    assert.equal(body.failureReason, "USER_ERROR");
    const item = await record(name);
    assert.deepEqual(
      [item?.runState, item?.failureReason, item?.stateDetails],
      ["FAILED", "USER_ERROR", "exit code 1"],
    );
  });

  it("keeps the dispatcher's record of a manifest whose run EMR reported first", async () => {
    const name = "convert-raw-app-3333333333333333";
    await handle(stateChangeEvent({ name, state: "RUNNING" }));
    await ledger.dispatched(name, announcement("3".repeat(32)));
    const item = await record(name);
    assert.deepEqual([item?.runState, item?.announcement?.manifestId], ["RUNNING", "3".repeat(32)]);
  });

  it("counts maintenance runs without recording them, and ignores other virtual clusters", async () => {
    const maintain = "maintain-logs.app-20261202";
    assert.deepEqual(await handle(stateChangeEvent({ name: maintain, state: "FAILED" })), {
      recorded: false,
      deadLettered: false,
    });
    assert.equal(await record(maintain), undefined);
    const other = stateChangeEvent({ name: "convert-x-4", state: "FAILED" });
    other.detail.virtualClusterId = "vcanotherstack";
    await handle(other);
    assert.deepEqual(
      metrics.map((m) => m.State),
      ["FAILED"],
      "only this cluster's runs are counted",
    );
    assert.equal((await deadLetters()).length, 0);
  });
});
