/**
 * Lambda entry point of the manifest builder. Two triggers:
 *
 * - the raw bucket's notification queue (SQS event source mapping with `ReportBatchItemFailures`):
 *   records each reported object, then builds the manifests that are due in the groups it touched,
 *   and answers with `batchItemFailures` so only failed messages are retried and, after the queue's
 *   `maxReceiveCount`, moved to its dead-letter queue;
 * - an hourly EventBridge schedule: flushes groups whose files have waited past the flush interval.
 *
 * Infrastructure settings this relies on (values in deployment.ts, reasons in README.md):
 * - event source mapping: `FunctionResponseTypes: ["ReportBatchItemFailures"]`;
 * - source queue: standard (S3 cannot notify FIFO queues), `VisibilityTimeout` at least six times the
 *   function timeout plus the batching window, a `RedrivePolicy` with `maxReceiveCount` 5 to a DLQ
 *   whose retention (14 days) exceeds the source queue's;
 * - function timeout at most `LEASE_SECONDS`.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ScheduledEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { ManifestBuilder, type GroupOutcome } from "./builder";
import { settleWithLimit } from "./concurrency";
import { loadConfig, type ManifestBuilderConfig } from "./config";
import { NotificationError, parseNotification } from "./events";
import { LakeObjects } from "./objects";
import { groupId, type ManifestGroup } from "./planner";
import { ManifestQueue } from "./queue";
import { isRawObject } from "./sources";
import { TrackingStore } from "./store";

export interface Clients {
  dynamo: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

export function createBuilder(config: ManifestBuilderConfig, clients: Clients, now?: () => Date): ManifestBuilder {
  const doc = DynamoDBDocumentClient.from(clients.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return new ManifestBuilder({
    config,
    now,
    store: new TrackingStore(doc, {
      tableName: config.tableName,
      retentionSeconds: config.retentionDays * 86_400,
      concurrency: config.concurrency,
      now,
    }),
    objects: new LakeObjects(clients.s3, {
      quarantineBucket: config.quarantineBucket,
      manifestBucket: config.manifestBucket,
    }),
    queue: new ManifestQueue(clients.sqs, config.manifestQueueUrl),
  });
}

export type ManifestEvent = SQSEvent | ScheduledEvent;

export interface HandlerOptions {
  /** Messages processed at once. */
  concurrency: number;
  log?: (entry: Record<string, unknown>) => void;
}

const jsonLog = (entry: Record<string, unknown>) => console.log(JSON.stringify(entry));

export function createHandler(builder: ManifestBuilder, options: HandlerOptions) {
  const log = options.log ?? jsonLog;

  async function onMessages(event: SQSEvent): Promise<SQSBatchResponse> {
    const failed = new Set<string>();
    const messagesByGroup = new Map<string, { group: ManifestGroup; messageIds: string[] }>();
    const counts = {
      recorded: 0,
      duplicate: 0,
      quarantined: 0,
      testEvents: 0,
      otherEvents: 0,
      foreignObjects: 0,
      invalidRecords: 0,
    };

    const recorded = await settleWithLimit(event.Records, options.concurrency, async (message) => {
      const notification = parseNotification(message.body);
      if (notification.kind === "test") {
        counts.testEvents++;
        return;
      }
      counts.otherEvents += notification.otherEvents;
      for (const object of notification.created) {
        if (!isRawObject(builder.config, object)) {
          // Not ours (another bucket, the builder's own output): acknowledged, never touched.
          counts.foreignObjects++;
          continue;
        }
        const outcome = await builder.recordObject(object);
        counts[outcome.status === "duplicate-quarantined" ? "duplicate" : outcome.status]++;
        if ("group" in outcome) {
          const id = groupId(outcome.group);
          const entry = messagesByGroup.get(id) ?? { group: outcome.group, messageIds: [] };
          entry.messageIds.push(message.messageId);
          messagesByGroup.set(id, entry);
        }
      }
      if (notification.invalid.length > 0) {
        // The message's good records are recorded above; failing it keeps the bad ones in the
        // dead-letter queue for a person to look at (retries only re-find the good ones as duplicates).
        counts.invalidRecords += notification.invalid.length;
        throw new NotificationError(notification.invalid.join("; "));
      }
    });
    recorded.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      const { messageId } = event.Records[i];
      failed.add(messageId);
      log({ level: "error", msg: "message not recorded", messageId, error: String(result.reason) });
    });

    // A group whose build fails gets its messages retried: the re-delivery is a duplicate for the
    // tracking table, but it triggers the build again.
    const groups = [...messagesByGroup.values()];
    const built = await settleWithLimit(groups, 4, ({ group }) => builder.buildGroup(group));
    built.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      for (const messageId of groups[i].messageIds) failed.add(messageId);
      log({
        level: "error",
        msg: "manifest build failed",
        group: groupId(groups[i].group),
        error: String(result.reason),
      });
    });

    log({
      level: "info",
      msg: "batch done",
      messages: event.Records.length,
      failed: failed.size,
      ...counts,
      ...summarise(built),
    });
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  }

  async function onSchedule(): Promise<ReturnType<typeof summarise>> {
    const outcomes = await builder.flush();
    const summary = summarise(outcomes.map((value) => ({ status: "fulfilled", value })));
    log({ level: "info", msg: "flush done", ...summary });
    return summary;
  }

  return async function handle(event: ManifestEvent) {
    return "Records" in event ? onMessages(event) : onSchedule();
  };
}

function summarise(results: PromiseSettledResult<GroupOutcome>[]) {
  const outcomes = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  return {
    groups: results.length,
    groupsBusy: outcomes.filter((outcome) => outcome.leaseBusy).length,
    manifests: outcomes.reduce((sum, outcome) => sum + outcome.published.length, 0),
    abandoned: outcomes.reduce((sum, outcome) => sum + outcome.abandoned, 0),
  };
}

let deployed: ReturnType<typeof createHandler> | undefined;

/** The function's handler: configuration is read on the first event, so a bad setting fails loudly. */
export async function handler(event: ManifestEvent) {
  if (!deployed) {
    const config = loadConfig();
    deployed = createHandler(
      createBuilder(config, { dynamo: new DynamoDBClient({}), s3: new S3Client({}), sqs: new SQSClient({}) }),
      {
        concurrency: config.concurrency,
      },
    );
  }
  return deployed(event);
}
