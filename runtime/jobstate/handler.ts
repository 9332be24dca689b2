/**
 * Lambda entry point of the job-state function, invoked by an EventBridge rule on this stack's
 * virtual cluster's "EMR Job Run State Change" events. For each change it
 *
 * - records the conversion's state, run id and failure reason in the tracking table (RunLedger);
 * - counts the change as an embedded-metric-format document (metric JobRuns, dimension State);
 * - sends a conversion that EMR failed or cancelled for good (after the retry policy's attempts) to
 *   the manifest DLQ, so no manifest is lost by its job's state.
 *
 * A throw makes Lambda retry the asynchronous invocation, then send it to the on-failure destination.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { RunLedger } from "./ledger";
import { deadLetterBody, isConversion, jobRunMetricDocument, parseStateChange } from "./state";

const environment = z.object({
  VIRTUAL_CLUSTER_ID: z.string().min(1),
  TRACKING_TABLE: z.string().min(1),
  DEAD_LETTER_QUEUE_URL: z.string().url(),
  METRIC_NAMESPACE: z.string().regex(/^(?!AWS\/)[^:]{1,255}$/),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(35),
});
export type JobStateConfig = z.infer<typeof environment>;

/** Validates the environment; the error lists every bad variable with the value it had. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): JobStateConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name} (${env[name] === undefined ? "unset" : JSON.stringify(env[name])}): ${issue.message}`;
    });
    throw new Error(`job-state configuration is invalid:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

export interface JobStateOutcome {
  recorded: boolean;
  deadLettered: boolean;
}

/**
 * With the JSON log format Lambda wraps whatever console.log prints into its own record, which
 * CloudWatch would no longer read as EMF; a line written to stdout itself stays as it is.
 */
const writeMetric = (document: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(document)}\n`);

export function createHandler(
  config: JobStateConfig,
  clients: { dynamo: DynamoDBClient; sqs: SQSClient },
  log: (entry: Record<string, unknown>) => void = (entry) => console.log(JSON.stringify(entry)),
  metric: (document: Record<string, unknown>) => void = writeMetric,
) {
  const ledger = new RunLedger(DynamoDBDocumentClient.from(clients.dynamo), {
    tableName: config.TRACKING_TABLE,
    retentionSeconds: config.RETENTION_DAYS * 86_400,
  });
  return async function handle(event: unknown): Promise<JobStateOutcome> {
    const change = parseStateChange(event);
    if (change.virtualClusterId !== config.VIRTUAL_CLUSTER_ID) {
      log({ level: "warn", msg: "another virtual cluster's run", virtualClusterId: change.virtualClusterId });
      return { recorded: false, deadLettered: false };
    }
    metric(jobRunMetricDocument(change, config.METRIC_NAMESPACE));
    if (!isConversion(change.runName)) return { recorded: false, deadLettered: false };

    const record = await ledger.transition(change);
    if (!record) {
      log({ level: "info", msg: "stale state change", runName: change.runName, state: change.state });
      return { recorded: false, deadLettered: false };
    }
    const failed = change.state === "FAILED" || change.state === "CANCELLED";
    if (!failed) return { recorded: true, deadLettered: false };
    if (!record.announcement) {
      // Only a run the dispatcher did not record (started by hand) lands here: kept, but not redrivable.
      log({ level: "error", msg: "failed run without its manifest", runName: change.runName });
    }
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: config.DEAD_LETTER_QUEUE_URL,
        MessageBody: deadLetterBody(change, record.announcement),
      }),
    );
    log({
      level: "error",
      msg: "conversion failed; manifest dead-lettered",
      runName: change.runName,
      jobRunId: change.jobRunId,
      failureReason: change.failureReason,
    });
    return { recorded: true, deadLettered: true };
  };
}

let deployed: ReturnType<typeof createHandler> | undefined;

export async function handler(event: unknown): Promise<JobStateOutcome> {
  deployed ??= createHandler(loadConfig(), { dynamo: new DynamoDBClient({}), sqs: new SQSClient({}) });
  return deployed(event);
}
