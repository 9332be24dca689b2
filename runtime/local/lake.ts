/**
 * `loglake local`: the whole data path on one machine, with the production code and real protocol
 * peers on loopback ports the OS picks. Ship → librdkafka's mock cluster → `loglake sink` (its own
 * process) → raw bucket in s3rver, whose own event notifications go to the raw bucket's queue in
 * fauxqs → the manifest builder's Lambda handler (tracking table in dynalite) → manifests and their
 * announcements → Spark `convert` per manifest, reading raw objects and writing the Iceberg
 * warehouse through S3A against the same s3rver, catalogued by a Hive metastore on PostgreSQL.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { ScheduledEvent, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { appendFile, chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { writeCorpus } from "../bench/corpus";
import { perSecond } from "../common/cli";
import { parseAnnouncement } from "../dispatch/job";
import { loadConfig } from "../manifest/config";
import { manifestBuilderDeployment, sourceQueueVisibilityTimeout } from "../manifest/deployment";
import { createBuilder, createHandler } from "../manifest/handler";
import { createTableInput } from "../manifest/schema";
import { defaultRawPrefix } from "../sink/deployment";
import { listKeys } from "../sink/inventory";
import { ship, type ShipStats } from "../ship/shipper";
import { startDynamo } from "./peers/dynamo";
import { startKafkaMock } from "./peers/kafka-mock";
import { s3rverEnvironment, startS3, type LocalS3 } from "./peers/s3";
import { startSqs } from "./peers/sqs";

/** The buckets of a deployed lake, by role (one of each; names are free in a local server). */
export const localBuckets = { raw: "raw", lake: "lake", manifests: "manifests", quarantine: "quarantine" } as const;
/** Where the Iceberg warehouse lives, as on EKS: in the lake bucket, through S3A. */
export const localWarehouse = `s3a://${localBuckets.lake}/warehouse`;
const repo = resolve(__dirname, "..", "..");

export interface LocalLakeOptions {
  /** Folder for everything the run keeps: objects, the metastore's PostgreSQL, logs, the sample. */
  dir: string;
  /** NDJSON files (plain or gzip) to ship; none: a generated sample of `sampleMegabytes`. */
  inputs: string[];
  sampleMegabytes: number;
  topic: string;
  /** SQL run on the tables at the end; `{table}` is the topic's table. */
  queries: string[];
  /** One progress line at a time. */
  progress: (line: string) => void;
  /** Aborting stops every process and peer the run started, then rejects. */
  signal?: AbortSignal;
}

export interface ConvertSummary {
  manifestId: string;
  table: string;
  status: string;
  rowsIn: number | null;
  rows: number | null;
  quarantined: number | null;
  bytes: number;
  seconds: number;
}

export interface QueryResult {
  sql: string;
  columns: string[];
  rows: unknown[][];
}

export interface LocalLakeSummary {
  shipped: ShipStats;
  sink: { records: number; objects: number };
  /** Raw objects the S3 server announced and the manifest builder recorded. */
  rawObjects: number;
  manifests: number;
  converted: ConvertSummary[];
  tables: { table: string; rows: number }[];
  /** Every data file of every table, as `s3a://` URIs. */
  dataFiles: string[];
  /** Keys under the warehouse prefix in the lake bucket of the local S3 server. */
  warehouseObjects: number;
  queries: QueryResult[];
  /** Lines shipped (blank lines aside) = rows + quarantined by convert + quarantined by ship. */
  balanced: boolean;
  seconds: number;
}

/**
 * Stops, newest first, what a run started; each stop is tried even if an earlier one fails. Once
 * stopped (Ctrl-C while a stage is still starting things), whatever is added is stopped at once.
 */
class Started {
  private readonly stops: (() => Promise<unknown>)[] = [];
  private stopped = false;
  add(stop: () => Promise<unknown>): void {
    if (this.stopped) void stop().catch(() => undefined);
    else this.stops.push(stop);
  }
  async stopAll(): Promise<void> {
    this.stopped = true;
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
  }
}

function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(new Error("stopped"));
    signal?.addEventListener("abort", () => reject(new Error("stopped")), { once: true });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function runLocalLake(options: LocalLakeOptions): Promise<LocalLakeSummary> {
  const started = new Started();
  try {
    return await Promise.race([run(options, started), aborted(options.signal)]);
  } finally {
    options.progress("stopping the peers");
    await started.stopAll();
  }
}

async function run(options: LocalLakeOptions, started: Started): Promise<LocalLakeSummary> {
  const begun = Date.now();
  const dir = await stateDir(options.dir);
  // A new mock cluster starts at offset 0, so a second run would rewrite the first run's raw keys,
  // its manifests would have the same ids, and convert would rightly commit nothing.
  if (existsSync(join(dir, "s3"))) {
    throw new Error(
      `${dir} already holds a local lake: query it with \`local query --dir ${options.dir}\`, or remove it`,
    );
  }
  const { progress } = options;
  const inputs = options.inputs.length > 0 ? options.inputs : [await writeSample(dir, options.sampleMegabytes)];

  progress("starting the peers: Kafka mock cluster, S3, DynamoDB, SQS");
  const [kafka, s3, dynamo, sqs] = await Promise.all([
    startKafkaMock(),
    startS3({ directory: join(dir, "s3") }),
    startDynamo(),
    startSqs(),
  ]);
  started.add(() => kafka.stop());
  started.add(() => s3.stop());
  started.add(() => dynamo.stop());
  started.add(() => sqs.stop());
  progress(
    `peers: Kafka ${kafka.bootstrapServers}, S3 ${s3.endpoint}, DynamoDB ${dynamo.endpoint}, SQS ${sqs.endpoint}`,
  );

  const { queues, config } = await createLake(s3, dynamo, sqs);
  const notified = forwardNotifications(s3, sqs.client, queues.rawEvents);

  progress(`shipping ${inputs.join(", ")} to topic ${options.topic}`);
  const shipped = await ship({
    connection: { kind: "local", bootstrapServers: kafka.bootstrapServers },
    topic: options.topic,
    inputs,
    keyField: "host",
    quarantine: { kind: "file", path: join(dir, "ship-quarantine.ndjson") },
  });
  if (shipped.failed > 0)
    throw new Error(`ship: ${shipped.failed} records not delivered: ${JSON.stringify(shipped.errors)}`);
  progress(`shipped ${shipped.delivered} records (${shipped.quarantined} quarantined by ship); sinking to s3://raw`);

  const sink = await sinkUntil(kafka.bootstrapServers, s3.endpoint, options.topic, shipped.delivered, dir, started);
  await notified.settled();
  progress(`sink wrote ${sink.records} records in ${sink.objects} objects; building manifests`);

  const handler = createHandler(createBuilder(config, { dynamo: dynamo.client, s3: s3.client(), sqs: sqs.client }), {
    concurrency: config.concurrency,
    log: () => undefined,
  });
  const rawObjects = await drain(sqs.client, queues.rawEvents, async (records) => {
    const { batchItemFailures } = (await handler({ Records: records } satisfies SQSEvent)) as SQSBatchResponse;
    if (batchItemFailures.length > 0) throw new Error(`manifest builder: ${batchItemFailures.length} messages failed`);
  });
  // The last, partial manifests are written by the builder's hourly flush, once their files have
  // waited FLUSH_AFTER_SECONDS: the same schedule event the deployed function gets.
  await sleep(config.flushAfterSeconds * 1000 + 100);
  await handler(scheduledEvent());
  const manifestUris: string[] = [];
  await drain(sqs.client, queues.manifests, async (records) => {
    for (const record of records) manifestUris.push(parseAnnouncement(record.body).manifestUri.replace(/^s3:/, "s3a:"));
  });
  progress(`${rawObjects} raw objects recorded, ${manifestUris.length} manifests; converting with Spark (S3A)`);

  let convertedCount = 0;
  const spark = await runSpark(
    ["convert", "--topic", options.topic, ...manifestUris.flatMap((uri) => ["--manifest", uri]), ...queryArgs(options)],
    s3.endpoint,
    dir,
    started,
    (summary) =>
      progress(
        `converted manifest ${++convertedCount}/${manifestUris.length} (${summary.manifestId}): ${summary.rows} rows ` +
          `in ${summary.seconds.toFixed(1)} s = ${Math.round(perSecond(summary.rows ?? 0, summary.seconds * 1000))} rows/s, ` +
          `${summary.quarantined} quarantined`,
      ),
  );
  const warehouseObjects = (await listKeys(s3.client(), localBuckets.lake, "warehouse/")).length;
  const converted = spark.summaries;
  const out = converted.reduce((sum, c) => sum + (c.rows ?? 0) + (c.quarantined ?? 0), 0);
  return {
    shipped,
    sink,
    rawObjects: notified.count(),
    manifests: manifestUris.length,
    converted,
    tables: spark.tables,
    dataFiles: spark.dataFiles,
    warehouseObjects,
    queries: spark.queries,
    balanced: shipped.linesRead - shipped.blankLines === out + shipped.quarantined,
    seconds: (Date.now() - begun) / 1000,
  };
}

/** `loglake local query`: restarts S3 on the kept objects and the catalog on the kept PostgreSQL. */
export async function queryLocalLake(
  options: Pick<LocalLakeOptions, "dir" | "topic" | "queries" | "progress" | "signal">,
): Promise<QueryResult[]> {
  // Checked before anything starts: a fresh S3 server and metastore would only answer "table not found".
  if (!existsSync(join(resolve(options.dir), "s3"))) {
    throw new Error(
      `${options.dir} holds no local lake: make one with \`local up --dir ${options.dir}\`, then query it`,
    );
  }
  const started = new Started();
  try {
    const query = async () => {
      const dir = await stateDir(options.dir);
      const s3 = await startS3({ directory: join(dir, "s3") });
      started.add(() => s3.stop());
      options.progress("starting the metastore and Spark");
      return (await runSpark(["query", "--topic", options.topic, ...queryArgs(options)], s3.endpoint, dir, started))
        .queries;
    };
    return await Promise.race([query(), aborted(options.signal)]);
  } finally {
    await started.stopAll();
  }
}

/**
 * Spark `convert` of manifests already in `s3`'s manifests bucket, reading raw objects and writing the
 * warehouse through S3A with a Hive metastore under `dir`, as `local up` converts (the bench's S3A stage).
 */
export async function convertOnLocalS3(
  s3: LocalS3,
  dir: string,
  topic: string,
  manifestUris: string[],
): Promise<ConvertSummary[]> {
  const started = new Started();
  try {
    const args = ["convert", "--topic", topic, ...manifestUris.flatMap((uri) => ["--manifest", uri])];
    return (await runSpark(args, s3.endpoint, await stateDir(dir), started)).summaries;
  } finally {
    await started.stopAll();
  }
}

const queryArgs = (options: Pick<LocalLakeOptions, "queries">) => options.queries.flatMap((sql) => ["--query", sql]);

/** PostgreSQL runs as the `postgres` user when loglake runs as root: it must reach its folder. */
async function stateDir(dir: string): Promise<string> {
  const absolute = resolve(dir);
  await mkdir(join(absolute, "metastore"), { recursive: true });
  await chmod(absolute, 0o755);
  return absolute;
}

/** The generated corpus plus one line of each kind the lake must quarantine. */
async function writeSample(dir: string, megabytes: number): Promise<string> {
  const path = join(dir, "sample.ndjson");
  await writeCorpus(path, megabytes * 1e6);
  await appendFile(path, 'not json at all\n{"level":"info","msg":"no timestamp"}\n');
  return path;
}

interface LakeQueues {
  rawEvents: string;
  rawEventsDeadLetter: string;
  manifests: string;
}

/** Buckets, queues and the tracking table with the settings the deployed stack gives them. */
async function createLake(
  s3: LocalS3,
  dynamo: Awaited<ReturnType<typeof startDynamo>>,
  sqs: Awaited<ReturnType<typeof startSqs>>,
) {
  const { deadLetterQueue, sourceQueue, functionTimeoutSeconds } = manifestBuilderDeployment;
  for (const bucket of Object.values(localBuckets)) await s3.createBucket(bucket);
  const tableName = "loglake-tracking";
  await dynamo.createTable(createTableInput(tableName));
  const dlq = await sqs.createQueue("raw-events-dlq", {
    MessageRetentionPeriod: String(deadLetterQueue.messageRetentionSeconds),
  });
  const raw = await sqs.createQueue("raw-events", {
    VisibilityTimeout: String(sourceQueueVisibilityTimeout(functionTimeoutSeconds)),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: sourceQueue.maxReceiveCount }),
  });
  const manifests = await sqs.createQueue("manifests");
  const queues: LakeQueues = { rawEvents: raw.url, rawEventsDeadLetter: dlq.url, manifests: manifests.url };
  const config = loadConfig({
    TRACKING_TABLE: tableName,
    MANIFEST_BUCKET: localBuckets.manifests,
    MANIFEST_QUEUE_URL: manifests.url,
    QUARANTINE_BUCKET: localBuckets.quarantine,
    RAW_BUCKETS: `${localBuckets.raw}/${defaultRawPrefix}`,
    // A local run has no hour to wait: partial manifests are flushed a second after their last file.
    FLUSH_AFTER_SECONDS: "1",
  });
  return { queues, config };
}

/**
 * What the raw bucket's notification configuration does in the stack (`s3:ObjectCreated:*` to the
 * source queue): s3rver's own event documents, for the raw bucket, sent to the queue as S3 sends them.
 */
function forwardNotifications(s3: LocalS3, sqs: Awaited<ReturnType<typeof startSqs>>["client"], queueUrl: string) {
  const sends: Promise<unknown>[] = [];
  let count = 0;
  s3.onNotification!((notification) => {
    const records = (notification as { Records: { eventName: string; s3: { bucket: { name: string } } }[] }).Records;
    if (!records.some((r) => r.eventName.startsWith("ObjectCreated:") && r.s3.bucket.name === localBuckets.raw)) return;
    count++;
    sends.push(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(notification) })));
  });
  return { settled: () => Promise.all(sends), count: () => count };
}

/** Hands a queue's messages to `handle` in batches as the event source mapping does; deletes them after. */
async function drain(
  sqs: Awaited<ReturnType<typeof startSqs>>["client"],
  queueUrl: string,
  handle: (records: SQSRecord[]) => Promise<void>,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) return handled;
    await handle(
      Messages.map((message) => sqsRecord(message.MessageId!, message.ReceiptHandle!, message.Body!, queueUrl)),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
      }),
    );
    handled += Messages.length;
  }
}

function sqsRecord(messageId: string, receiptHandle: string, body: string, queueUrl: string): SQSRecord {
  return {
    messageId,
    receiptHandle,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "local",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: queueUrl,
    awsRegion: s3rverEnvironment.AWS_REGION,
  };
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: "0",
    id: "loglake-local-flush",
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: new Date().toISOString(),
    region: s3rverEnvironment.AWS_REGION,
    resources: [],
    detail: {},
  };
}

/** Runs `loglake sink` as its own process until it has committed `records`, then stops it (SIGTERM). */
async function sinkUntil(
  brokers: string,
  endpoint: string,
  topic: string,
  records: number,
  dir: string,
  started: Started,
): Promise<{ records: number; objects: number }> {
  const args = ["--import", "tsx", join(repo, "runtime", "cli.ts"), "sink", "--brokers", brokers, "--topic", topic];
  args.push("--bucket", localBuckets.raw, "--s3-endpoint", endpoint, "--flush-seconds", "1", "--verbose");
  const sink = spawn(process.execPath, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...s3rverEnvironment },
  });
  const exited = once(sink, "exit");
  started.add(async () => {
    if (sink.exitCode === null && sink.signalCode === null) sink.kill("SIGTERM");
    await exited;
  });
  const log = join(dir, "sink.log");
  const committed = { records: 0, objects: 0 };
  createInterface({ input: sink.stderr! }).on("line", (line) => {
    void appendFile(log, line + "\n");
    if (!line.startsWith("{")) return;
    const event = JSON.parse(line) as { event: string; records?: number; objects?: number };
    if (event.event !== "batch-committed") return;
    committed.records += event.records ?? 0;
    committed.objects += event.objects ?? 0;
  });
  let last = { at: Date.now(), records: 0 };
  while (committed.records < records) {
    if (sink.exitCode !== null) throw new Error(`loglake sink exited with ${sink.exitCode}; see ${log}`);
    if (committed.records !== last.records) last = { at: Date.now(), records: committed.records };
    if (Date.now() - last.at > 60_000) throw new Error(`loglake sink made no progress for 60 s; see ${log}`);
    await sleep(100);
  }
  sink.kill("SIGTERM");
  const [code] = await exited;
  if (code !== 0) throw new Error(`loglake sink exited with ${code} when stopped; see ${log}`);
  return committed;
}

/** loglake_spark.local.lake's exit status when Spark refuses a query; its stdout says why. */
const queryRefused = 2;

interface SparkResult {
  summaries: ConvertSummary[];
  tables: { table: string; rows: number }[];
  dataFiles: string[];
  queries: QueryResult[];
}

/** `python -m loglake_spark.local.lake …` in the Spark venv; its stderr goes to `<dir>/spark.log`. */
async function runSpark(
  args: string[],
  endpoint: string,
  dir: string,
  started: Started,
  onConverted?: (summary: ConvertSummary) => void,
): Promise<SparkResult> {
  const venv = process.env.LOGLAKE_SPARK_VENV ?? join(repo, ".venv-spark");
  const python = spawn(
    join(venv, "bin", "python"),
    ["-m", "loglake_spark.local.lake", ...args, "--state", join(dir, "metastore")],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...s3rverEnvironment,
        PYTHONPATH: join(repo, "runtime", "spark"),
        LOGLAKE_WAREHOUSE: localWarehouse,
        LOGLAKE_S3_ENDPOINT: endpoint,
        LOGLAKE_S3_PATH_STYLE: "true",
      },
    },
  );
  const exited = once(python, "exit");
  started.add(async () => {
    // SIGTERM: the Python side stops the metastore and PostgreSQL before it exits.
    if (python.exitCode === null && python.signalCode === null) python.kill("SIGTERM");
    await exited;
  });
  const log = join(dir, "spark.log");
  createInterface({ input: python.stderr! }).on("line", (line) => {
    void appendFile(log, line + "\n");
    if (line.startsWith('{"converted"')) onConverted?.((JSON.parse(line) as { converted: ConvertSummary }).converted);
  });
  let stdout = "";
  python.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = await exited;
  if (code === queryRefused) {
    throw new Error(
      `Spark refused the query: ${(JSON.parse(stdout.trim().split("\n").pop()!) as { error: string }).error}`,
    );
  }
  if (code !== 0) throw new Error(`Spark (loglake_spark.local.lake ${args[0]}) exited with ${code}; see ${log}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as SparkResult;
}
