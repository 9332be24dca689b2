import { z } from "zod";
import { Environment, section } from "./common";

/**
 * The `usage` section: what the stack is expected to carry. Nothing in the program reads it; only
 * `npm run cost` does (infra/offline/cost.ts), so a stack's estimate is reviewed like its settings.
 */

const nonNegative = z.number().min(0);
const share = z.number().min(0).max(1);

export const usageSchema = z.strictObject({
  gbIngestedPerDay: nonNegative.describe(
    "Raw NDJSON written to the raw bucket per day (GB), which Spark converts to Parquet in the lake.",
  ),
  replicatedInGbPerDay: nonNegative.describe(
    "Raw data per day (GB) that another stack replicates into this stack's buckets (the dr stack's share of prod).",
  ),
  recordBytes: z.number().int().min(1).describe("Average log record size in bytes (records per day in the estimate)."),
  parquetRatio: z
    .number()
    .gt(0)
    .max(1)
    .describe("Bytes of Parquet in the lake per byte of raw NDJSON (compression of the conversion)."),
  lakeObjectBytes: z.number().int().min(1).describe("Average size of a Parquet object Spark writes (bytes)."),
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .describe(
      "Days data is kept in buckets whose lifecycle never expires it (the lake); the steady state is reached after it.",
    ),
  queriesPerDay: nonNegative.describe("Queries per day against the lake."),
  objectsReadPerQuery: nonNegative.describe("Parquet objects one query reads (S3 GET requests per query)."),
  queryWindowDays: z
    .number()
    .int()
    .min(0)
    .describe("Age in days of the newest data queries read; older lake objects go unread (Intelligent-Tiering)."),
  sparkHoursPerTb: nonNegative.describe("Spark node-hours (spark pool instances) to convert one TB of raw data."),
  spotShare: share.describe("Share of Spark node-hours that run on spot capacity (0 to 1)."),
  natGbPerDay: nonNegative.describe("GB per day through the NAT gateways (images, package mirrors, outside APIs)."),
  logsGbPerDay: nonNegative.describe(
    "GB per day into each of the stack's CloudWatch log groups, on average (flow logs, control plane, brokers, database, functions).",
  ),
  endpointGbPerDay: nonNegative.describe(
    "GB per day through the VPC's interface endpoints together (STS, ECR, Secrets Manager, CloudWatch Logs, ...), shared equally.",
  ),
  imageGbPerRepository: nonNegative.describe(
    "GB of compressed image layers each ECR repository holds (its kept images, shared layers once).",
  ),
});
export type UsageSettings = z.infer<typeof usageSchema>;

const shared = {
  recordBytes: 1024,
  parquetRatio: 0.15,
  lakeObjectBytes: 128 * 1024 * 1024,
  queryWindowDays: 30,
  objectsReadPerQuery: 200,
  sparkHoursPerTb: 0.5,
  spotShare: 0.8,
  // A Node.js or JVM service image is a few hundred MB; 20 kept images share most of their layers.
  imageGbPerRepository: 2,
};

export const usageDefaults: Record<Environment, UsageSettings> = {
  dev: {
    ...shared,
    gbIngestedPerDay: 20,
    replicatedInGbPerDay: 0,
    retentionDays: 90,
    queriesPerDay: 50,
    natGbPerDay: 2,
    logsGbPerDay: 0.1,
    endpointGbPerDay: 1,
  },
  prod: {
    ...shared,
    gbIngestedPerDay: 2000,
    replicatedInGbPerDay: 0,
    retentionDays: 730,
    queriesPerDay: 2000,
    natGbPerDay: 20,
    logsGbPerDay: 2,
    endpointGbPerDay: 20,
  },
  // The standby ingests nothing; its raw and lake buckets receive prod's replicas.
  dr: {
    ...shared,
    gbIngestedPerDay: 0,
    replicatedInGbPerDay: 2000,
    retentionDays: 730,
    queriesPerDay: 0,
    natGbPerDay: 1,
    logsGbPerDay: 0.25,
    endpointGbPerDay: 1,
  },
};

export const usageSection = section({
  key: "usage",
  schema: usageSchema,
  defaults: (e: Environment) => usageDefaults[e],
});
