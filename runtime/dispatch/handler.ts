/**
 * Lambda entry point of the Spark dispatcher. Two triggers:
 *
 * - the manifest queue (SQS event source mapping with `ReportBatchItemFailures`): starts one EMR on EKS
 *   `convert` run per manifest while fewer than MAX_CONCURRENT_RUNS runs are active, and reports the
 *   rest as failed so SQS hands them back after the visibility timeout; a message that is no
 *   announcement, or whose run cannot be started, reaches the manifest DLQ after its receive count;
 * - a daily EventBridge Scheduler schedule (`{"job":"maintain"}`): one `maintain` run per table.
 */
import {
  EMRContainersClient,
  paginateListJobRuns,
  StartJobRunCommand,
  type StartJobRunCommandInput,
} from "@aws-sdk/client-emr-containers";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { z } from "zod";
import { RunLedger } from "../jobstate/ledger";
import type { ManifestAnnouncement } from "../manifest/queue";
import { convertJobRun, type JobSettings, maintainJobRun, parseAnnouncement } from "./job";

const environment = z.object({
  VIRTUAL_CLUSTER_ID: z.string().min(1),
  EXECUTION_ROLE_ARN: z.string().startsWith("arn:"),
  RELEASE_LABEL: z.string().regex(/^emr-\d+\.\d+\.\d+(-latest|-\d+)?$/),
  ENTRY_POINT: z.string().startsWith("s3://"),
  PY_FILES: z.string().startsWith("s3://"),
  DRIVER_POD_TEMPLATE: z.string().startsWith("s3://"),
  EXECUTOR_POD_TEMPLATE: z.string().startsWith("s3://"),
  METASTORE_URI: z.string().startsWith("thrift://"),
  WAREHOUSE: z.string().startsWith("s3a://"),
  LOG_GROUP: z.string().min(1),
  EXECUTOR_INSTANCES: z.coerce.number().int().min(1).default(4),
  MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Runs active at once across the virtual cluster (design documents: 50 in prod). */
  MAX_CONCURRENT_RUNS: z.coerce.number().int().min(1).default(50),
  /** Tables `maintain` runs over, comma separated `<database>.<table>`. */
  TABLES: z.string().default(""),
  /** The tracking table, where each conversion's manifest is recorded before its run starts. */
  TRACKING_TABLE: z.string().min(1),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(35),
});

export interface DispatcherConfig {
  job: JobSettings;
  maxConcurrentRuns: number;
  tables: string[];
  trackingTable: string;
  retentionDays: number;
}

/** Validates the environment; the error lists every bad variable with the value it had. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DispatcherConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name} (${env[name] === undefined ? "unset" : JSON.stringify(env[name])}): ${issue.message}`;
    });
    throw new Error(`dispatcher configuration is invalid:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  return {
    job: {
      virtualClusterId: e.VIRTUAL_CLUSTER_ID,
      executionRoleArn: e.EXECUTION_ROLE_ARN,
      releaseLabel: e.RELEASE_LABEL,
      entryPoint: e.ENTRY_POINT,
      pyFiles: e.PY_FILES,
      driverPodTemplate: e.DRIVER_POD_TEMPLATE,
      executorPodTemplate: e.EXECUTOR_POD_TEMPLATE,
      metastoreUri: e.METASTORE_URI,
      warehouse: e.WAREHOUSE,
      logGroupName: e.LOG_GROUP,
      executorInstances: e.EXECUTOR_INSTANCES,
      maxAttempts: e.MAX_ATTEMPTS,
    },
    maxConcurrentRuns: e.MAX_CONCURRENT_RUNS,
    tables: e.TABLES.split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    trackingTable: e.TRACKING_TABLE,
    retentionDays: e.RETENTION_DAYS,
  };
}

/** What the dispatcher needs of EMR on EKS; `emrJobRuns` is the real one. */
export interface JobRuns {
  /** Runs that hold or wait for executors, counted up to `enough`. */
  active(virtualClusterId: string, enough: number): Promise<number>;
  /** Starts a run and returns its id. */
  start(request: StartJobRunCommandInput): Promise<string | undefined>;
}

/** Runs that hold or wait for executors. */
export const activeStates = ["PENDING", "SUBMITTED", "RUNNING"] as const;

export function emrJobRuns(emr: EMRContainersClient): JobRuns {
  return {
    async active(virtualClusterId, enough) {
      let count = 0;
      const pages = paginateListJobRuns({ client: emr }, { virtualClusterId, states: [...activeStates] });
      for await (const page of pages) {
        count += page.jobRuns?.length ?? 0;
        if (count >= enough) break;
      }
      return count;
    },
    async start(request) {
      return (await emr.send(new StartJobRunCommand(request))).id;
    },
  };
}

/**
 * Where the dispatcher records the manifest a run converts, before starting it, so the job-state
 * function can send that manifest to the DLQ when the run fails; `RunLedger` is the real one.
 */
export interface DispatchRecords {
  dispatched(runName: string, announcement: ManifestAnnouncement): Promise<void>;
}

export type DispatcherEvent = SQSEvent | { job: "maintain"; time?: string };

export function createHandler(
  config: DispatcherConfig,
  runs: JobRuns,
  records: DispatchRecords,
  log: (entry: Record<string, unknown>) => void = (entry) => console.log(JSON.stringify(entry)),
) {
  async function onManifests(event: SQSEvent): Promise<SQSBatchResponse> {
    let active = await runs.active(config.job.virtualClusterId, config.maxConcurrentRuns);
    const failures: string[] = [];
    let started = 0;
    let deferred = 0;
    for (const record of event.Records) {
      if (active >= config.maxConcurrentRuns) {
        deferred++;
        failures.push(record.messageId);
        continue;
      }
      try {
        const announcement = parseAnnouncement(record.body);
        const request = convertJobRun(announcement, config.job);
        await records.dispatched(request.name!, announcement);
        const jobRunId = await runs.start(request);
        log({ level: "info", msg: "convert started", messageId: record.messageId, jobRunId });
        active++;
        started++;
      } catch (error) {
        failures.push(record.messageId);
        log({ level: "error", msg: "convert not started", messageId: record.messageId, error: String(error) });
      }
    }
    log({ level: "info", msg: "batch done", messages: event.Records.length, started, deferred, active });
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  }

  async function onMaintain(time: Date): Promise<{ started: number }> {
    const day = time.toISOString().slice(0, 10);
    for (const table of config.tables) {
      await runs.start(maintainJobRun(table, day, config.job));
    }
    log({ level: "info", msg: "maintenance started", tables: config.tables.length, day });
    return { started: config.tables.length };
  }

  return async function handle(event: DispatcherEvent) {
    if ("Records" in event) return onManifests(event);
    return onMaintain(event.time ? new Date(event.time) : new Date());
  };
}

let deployed: ReturnType<typeof createHandler> | undefined;

export async function handler(event: DispatcherEvent) {
  if (!deployed) {
    const config = loadConfig();
    const records = new RunLedger(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
      tableName: config.trackingTable,
      retentionSeconds: config.retentionDays * 86_400,
    });
    deployed = createHandler(config, emrJobRuns(new EMRContainersClient({})), records);
  }
  return deployed(event);
}
