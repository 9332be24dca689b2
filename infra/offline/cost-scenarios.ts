import type { BucketLifecycle } from "../../components/storage/lifecycle";
import { lakeDefaults } from "../settings/lake";
import { bucketLines, CostLine, DAYS_PER_MONTH, fmtUsd, HOURS_PER_MONTH, mskLines, sparkLines } from "./cost-model";
import { Prices, pricesFor } from "./cost-prices";

/**
 * The design documents' cost claims (../shared/seeds/), each re-priced with loglake's price table
 * and lifecycle model, beside the document's own figure. The documents price us-east-1, so the
 * scenarios do too. test/infra/offline/cost-scenarios.test.ts holds the numbers, so a price or
 * lifecycle change that moves one is visible in review.
 */

export interface Scenario {
  id: string;
  document: string;
  claim: string;
  /** The document's figure, USD per month. */
  documentUsd: number;
  estimateUsd: number;
  /** Why the two differ, required when they differ by more than 20%. */
  explanation: string;
  lines: CostLine[];
  /** The price rows the estimate multiplies that no public page confirmed. */
  unverified: string[];
}

const TIB = 1024;
const sum = (lines: CostLine[], w: "month1" | "steady" = "steady") => lines.reduce((s, l) => s + l[w], 0);
const standardFor = (days: number): BucketLifecycle => ({
  transitions: [],
  expirationDays: days,
  noncurrentTransitions: [],
  noncurrentExpirationDays: 1,
});
/** Objects kept `days` with no noncurrent tail (the documents do not version). */
const unversioned = (l: BucketLifecycle): BucketLifecycle => ({ ...l, noncurrentExpirationDays: 0 });

export const differs = (s: Pick<Scenario, "documentUsd" | "estimateUsd">) =>
  Math.abs(s.estimateUsd - s.documentUsd) / s.documentUsd > 0.2;

export function scenarios(prices: Prices = pricesFor("us-east-1")): Scenario[] {
  const options = (retentionDays: number) => ({ retentionDays, queryWindowDays: 30 });
  const out: Omit<Scenario, "unverified">[] = [];

  // 004: MSK architecture, 3 × kafka.m5.large, 300 GB broker storage, 1 TB on S3.
  {
    const s3 = [
      {
        what: "1 TB in S3 Standard",
        month1: TIB * prices.usd("s3.STANDARD"),
        steady: TIB * prices.usd("s3.STANDARD"),
        prices: ["s3.STANDARD"],
      },
    ];
    const lines = [...mskLines("kafka.m5.large", 3, 100, "DEFAULT", prices), ...s3];
    out.push({
      id: "msk-architecture",
      document: "004_587b1a3c745da3e1.txt",
      claim: "MSK architecture: 3 × kafka.m5.large, 300 GB broker storage, 1 TB S3",
      documentUsd: 503,
      estimateUsd: sum(lines),
      explanation:
        "Within 20%: the document rounds 3 × $0.21 × 730 h ($460) down to ~$450 and 1 TB to $23 (1,000 GB rather than 1,024).",
      lines,
    });
  }

  // 002/003: NDJSON pipeline at 338,000 files of ~4 GB a day.
  const dailyGb = 338_000 * 4;
  {
    // 003's EMR cluster: 20 × r5.4xlarge for 12 h and 50 for 4 h a day = 440 node-hours a day.
    const nodeHours = (20 * 12 + 50 * 4) * DAYS_PER_MONTH;
    const lines = sparkLines("r5.4xlarge", "SPOT", 200, nodeHours, 1, prices);
    out.push({
      id: "ndjson-emr-compute",
      document: "003_5f096bafda4f0428.txt",
      claim: "NDJSON pipeline, EMR option: ~$13K/month compute (338,000 files × 4 GB a day)",
      documentUsd: 13_000,
      estimateUsd: sum(lines),
      explanation:
        "The same 440 r5.4xlarge node-hours a day cost less on loglake's Spark pool: the document prices spot r5.4xlarge at $1.008/h, which is its on-demand rate, while the table's spot discount for r5 is 65% ($0.35/h); loglake pays the EMR on EKS uplift ($0.30/h per node for 16 vCPU and 128 GiB) instead of EMR on EC2's, and needs no on-demand master (the system nodes of the stack run the drivers).",
      lines,
    });
  }
  {
    const raw = unversioned(lakeDefaults.prod.buckets.raw as BucketLifecycle);
    const lines = bucketLines(raw, { gbPerDay: dailyGb, objectBytes: 4 * 1024 ** 3 }, options(730), prices);
    const times = Math.round(sum(lines, "month1") / 35_000);
    const steady = fmtUsd(sum(lines));
    out.push({
      id: "ndjson-s3-storage",
      document: "002_c3365affe9fe05d9.txt",
      claim: "NDJSON pipeline: S3 storage $12K–35K/month at ~$0.023/GB (upper end: 1,520 TB a day)",
      documentUsd: 35_000,
      estimateUsd: sum(lines, "month1"),
      explanation: `The document prices one day's data (525–1,520 TB) for a month at $0.023/GB. Stored data accumulates: by the end of month 1 the raw bucket holds about 30 days of it (~40 PB), so loglake's month 1 (the average stock over the month, in Standard, then Standard-IA from day 30) is about ${times} times the document's upper figure, and its steady state under the prod raw lifecycle (IA at 30 days, Glacier IR at 90, Deep Archive at 180, expiry at 730) is ${steady}/month. Converting to Parquet and expiring raw data early is what makes this volume affordable, not the storage class.`,
      lines,
    });
  }

  // 000: a year of retention, 30 days hot, 150 warm, 180 cold, against all-Standard (per TB a day).
  {
    const tiered: BucketLifecycle = {
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 180, storageClass: "GLACIER_IR" },
      ],
      expirationDays: 365,
      noncurrentTransitions: [],
      noncurrentExpirationDays: 0,
    };
    const flow = { gbPerDay: 100 * TIB, objectBytes: 128 * 1024 ** 2 };
    const tieredLines = bucketLines(tiered, flow, options(365), prices).filter((l) => l.what.includes("storage"));
    const standardLines = bucketLines(unversioned(standardFor(365)), flow, options(365), prices);
    const ratio = sum(tieredLines) / sum(standardLines);
    const deep: BucketLifecycle = {
      ...tiered,
      transitions: [tiered.transitions[0], { days: 180, storageClass: "DEEP_ARCHIVE" }],
    };
    const deepRatio =
      sum(bucketLines(deep, flow, options(365), prices).filter((l) => l.what.includes("storage"))) / sum(standardLines);
    const saves = (r: number) => `${Math.round((1 - r) * 100)}%`;
    // The document: $82,500 all-Standard → $22,000 tiered. Scale its ratio onto loglake's all-Standard figure.
    out.push({
      id: "tiered-storage",
      document: "000_98d3da51c5d75291.txt",
      claim: `Tiered storage (30 d Standard, 150 d Standard-IA, 180 d Glacier IR) against all-Standard for a year: the document's tiered cost is 27% of all-Standard ($22,000 vs $82,500); loglake's is ${Math.round(ratio * 100)}% (100 TB a day)`,
      documentUsd: 22_000,
      estimateUsd: 82_500 * ratio,
      explanation: `Compared as the share of the all-Standard cost (the document's absolute figures cannot be S3 for 100 TB a day kept a year: that is 36 PB, ${fmtUsd(sum(standardLines))}/month in Standard). The document's tiered figure also cuts OpenSearch retention, which is not storage in S3; S3 alone saves ${saves(ratio)} with these tiers, and ${saves(deepRatio)} with Deep Archive as the cold tier, as loglake's raw lifecycle uses after 180 days. The document's 73% saving is not reachable in S3 with a 30-day hot tier.`,
      lines: [...tieredLines, ...standardLines.map((l) => ({ ...l, what: `all-Standard: ${l.what}` }))],
    });
  }

  // 000: Matano 10x, 10 TB a day with 90 days of hot storage: ~$4,150/month for 180 TB on S3.
  {
    const lakeGbPerDay = 10 * TIB * 0.2; // the document's 180 TB for 900 TB ingested: 20%
    const flow = { gbPerDay: lakeGbPerDay, objectBytes: 128 * 1024 ** 2 };
    const standard = bucketLines(unversioned(standardFor(90)), flow, options(90), prices);
    const lake = bucketLines(
      unversioned({ ...(lakeDefaults.prod.buckets.lake as BucketLifecycle), expirationDays: 90 }),
      flow,
      options(90),
      prices,
    );
    out.push({
      id: "matano-10x-storage",
      document: "000_98d3da51c5d75291.txt",
      claim: "Matano 10x: 10 TB a day, 90 days hot: ~$4,150/month storage (180 TB on S3)",
      documentUsd: 4_150,
      estimateUsd: sum(standard),
      explanation: `Within 20% in S3 Standard (the document's 180 TB is 20% of 900 TB ingested). On loglake's lake lifecycle (Intelligent-Tiering, queries reading the last 30 days) the same data costs ${fmtUsd(sum(lake))}/month.`,
      lines: [...standard, ...lake.map((l) => ({ ...l, what: `lake lifecycle: ${l.what}` }))],
    });
  }
  return out.map((s) => ({ ...s, unverified: prices.unverified(s.lines.flatMap((l) => l.prices)) }));
}

export function renderScenarios(list: Scenario[], markdown = false): string {
  const pct = (s: Scenario) =>
    `${s.estimateUsd >= s.documentUsd ? "+" : ""}${Math.round(((s.estimateUsd - s.documentUsd) / s.documentUsd) * 100)}%`;
  const unverified = (s: Scenario) => (s.unverified.length > 0 ? s.unverified.join(", ") : "none");
  if (markdown) {
    return [
      "| Scenario | Document | Document's figure | loglake's estimate | Difference | Why | Unverified prices used |",
      "| :--- | :--- | ---: | ---: | ---: | :--- | :--- |",
      ...list.map(
        (s) =>
          `| ${s.claim} | \`${s.document}\` | ${fmtUsd(s.documentUsd)} | ${fmtUsd(s.estimateUsd)} | ${pct(s)} | ${s.explanation} | ${unverified(s)} |`,
      ),
    ].join("\n");
  }
  return list
    .map(
      (s) =>
        `${s.claim}\n  document ${fmtUsd(s.documentUsd)}  loglake ${fmtUsd(s.estimateUsd)}  (${pct(s)})\n  ${s.explanation}\n  unverified prices used: ${unverified(s)}`,
    )
    .join("\n\n");
}

export { HOURS_PER_MONTH };
