/**
 * Manifest builder benchmark (standalone: `npx tsx runtime/bench/manifest.bench.ts`).
 *
 * 1. Planning: one day of the design's file count (338,000 objects) over 4 topics × 24 hours, planned
 *    into manifests with the default limits (100 files, 500 GB, hourly flush). Pure CPU.
 * 2. Tracking writes against dynalite on loopback (in its own process, so client and emulator do not
 *    share an event loop): a bounded sample of conditional puts (recording files) and conditional
 *    updates (claiming and marking them for manifests), at fixed concurrency. dynalite is a
 *    single-threaded emulator, so these numbers describe the code path and the emulator, not
 *    DynamoDB's capacity.
 */
import { availableParallelism, totalmem } from "node:os";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { allWithLimit } from "../manifest/concurrency";
import {
  groupId,
  manifestFor,
  planManifests,
  type ManifestGroup,
  type PendingFile,
  type PlannedManifest,
} from "../manifest/planner";
import { createTableInput } from "../manifest/schema";
import { TrackingStore } from "../manifest/store";
import { startDynamo } from "../local/peers/dynamo";

const FILES_PER_DAY = 338_000;
const TOPICS = ["app", "nginx", "audit", "k8s-events"];
const WRITE_SAMPLE = 20_000;
/** Files claimed and marked (two conditional updates each), in manifests of 100. */
const CLAIM_SAMPLE = 5_000;
const CONCURRENCY = 32;
const limits = { maxFiles: 100, maxBytes: 500e9, flushAfterMs: 3_600_000 };
const day = "2026-11-21";

function generateDay(): Map<string, { group: ManifestGroup; files: PendingFile[] }> {
  const groups = new Map<string, { group: ManifestGroup; files: PendingFile[] }>();
  for (let i = 0; i < FILES_PER_DAY; i++) {
    const topic = TOPICS[i % TOPICS.length];
    const hour = String(Math.floor((i / FILES_PER_DAY) * 24)).padStart(2, "0");
    const group: ManifestGroup = { bucket: "loglake-raw", dataset: `raw/${topic}`, dt: day, hour };
    const id = groupId(group);
    const entry = groups.get(id) ?? { group, files: [] };
    const partition = i % 12;
    entry.files.push({
      key: `raw/${topic}/dt=${day}/hour=${hour}/${topic}-${partition}-${String(i).padStart(12, "0")}.ndjson.gz`,
      // 64 MiB ± 10%, the lake writer's size flush with some spread.
      size: Math.round(64 * 1024 ** 2 * (0.9 + ((i * 7919) % 1000) / 5000)),
      createdAt: `${day}T${hour}:${String(i % 60).padStart(2, "0")}:00.000Z`,
    });
    groups.set(id, entry);
  }
  return groups;
}

function benchPlanning() {
  const groups = generateDay();
  const endOfDay = new Date(`${day}T23:59:59Z`);
  const afterDay = new Date(endOfDay.getTime() + limits.flushAfterMs + 1000);
  const run = (now: Date) => {
    const started = process.hrtime.bigint();
    const manifests = [...groups.values()].flatMap(({ group, files }) => planManifests(group, files, limits, now));
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, manifests };
  };
  run(afterDay); // warm-up: the first pass also pays for JIT compilation
  const duringDay = run(endOfDay);
  const flushed = run(afterDay);
  const byReason = (manifests: PlannedManifest[]) =>
    Object.fromEntries(
      ["file-count", "size-limit", "age-flush"].map((r) => [r, manifests.filter((m) => m.reason === r).length]),
    );
  return {
    files: FILES_PER_DAY,
    groups: groups.size,
    atEndOfDay: {
      wallMs: round(duringDay.ms),
      manifests: duringDay.manifests.length,
      byReason: byReason(duringDay.manifests),
    },
    afterFlushInterval: {
      wallMs: round(flushed.ms),
      manifests: flushed.manifests.length,
      byReason: byReason(flushed.manifests),
    },
    filesInManifests: flushed.manifests.reduce((sum, m) => sum + m.files.length, 0),
  };
}

async function benchTrackingWrites() {
  const dynamo = await startDynamo({ childProcess: true });
  try {
    await dynamo.createTable(createTableInput("bench-tracking"));
    const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    const store = new TrackingStore(doc, {
      tableName: "bench-tracking",
      retentionSeconds: 86_400,
      concurrency: CONCURRENCY,
    });
    const group: ManifestGroup = { bucket: "loglake-raw", dataset: "raw/app", dt: day, hour: "09" };
    const location = { dataset: group.dataset, topic: "app", dt: day, hour: "09", datePrefix: `dt=${day}/hour=09` };
    const files = Array.from({ length: WRITE_SAMPLE }, (_, i) => ({
      bucket: group.bucket,
      key: `raw/app/dt=${day}/hour=09/app-${i % 12}-${String(i).padStart(12, "0")}.ndjson.gz`,
      size: 64 * 1024 ** 2,
      createdAt: `${day}T09:15:00.000Z`,
    }));

    const recordStarted = performance.now();
    await allWithLimit(files, CONCURRENCY, (file) => store.recordFile(file, location, undefined));
    const recordMs = performance.now() - recordStarted;

    const redeliverStarted = performance.now();
    const redelivered = files.slice(0, 2000);
    const again = await allWithLimit(redelivered, CONCURRENCY, (file) => store.recordFile(file, location, undefined));
    const redeliverMs = performance.now() - redeliverStarted;
    if (again.some((result) => result.created)) throw new Error("a re-delivered file was recorded twice");

    const manifests: PlannedManifest[] = [];
    for (let i = 0; i < CLAIM_SAMPLE; i += limits.maxFiles)
      manifests.push(manifestFor(group, files.slice(i, i + limits.maxFiles), "file-count"));
    const claimStarted = performance.now();
    // Manifests one after another, files of one manifest concurrently: how the builder runs under a lease.
    for (const manifest of manifests) {
      if (!(await store.claim(manifest))) throw new Error(`claim refused for ${manifest.manifestId}`);
      await store.markManifested(manifest);
    }
    const claimMs = performance.now() - claimStarted;

    return {
      concurrency: CONCURRENCY,
      recordPuts: {
        items: files.length,
        seconds: round(recordMs / 1000),
        itemsPerSecond: Math.round(files.length / (recordMs / 1000)),
      },
      redeliveredDuplicates: {
        items: redelivered.length,
        seconds: round(redeliverMs / 1000),
        itemsPerSecond: Math.round(redelivered.length / (redeliverMs / 1000)),
      },
      claimAndMark: {
        manifests: manifests.length,
        updates: CLAIM_SAMPLE * 2,
        seconds: round(claimMs / 1000),
        updatesPerSecond: Math.round((CLAIM_SAMPLE * 2) / (claimMs / 1000)),
      },
    };
  } finally {
    await dynamo.stop();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

async function main() {
  const machine = {
    cpus: availableParallelism(),
    memoryGiB: round(totalmem() / 1024 ** 3),
    node: process.version,
  };
  console.log(`manifest builder benchmark — ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, node ${machine.node}`);
  const planning = benchPlanning();
  console.log(
    `planning ${planning.files} files in ${planning.groups} groups: ` +
      `${planning.atEndOfDay.wallMs} ms → ${planning.atEndOfDay.manifests} manifests before the last flush, ` +
      `${planning.afterFlushInterval.wallMs} ms → ${planning.afterFlushInterval.manifests} manifests after it ` +
      `(${JSON.stringify(planning.afterFlushInterval.byReason)}), ${planning.filesInManifests} files placed`,
  );
  const writes = await benchTrackingWrites();
  console.log(
    `dynalite tracking writes at concurrency ${writes.concurrency}: ` +
      `${writes.recordPuts.itemsPerSecond} conditional puts/s (${writes.recordPuts.items} in ${writes.recordPuts.seconds} s), ` +
      `${writes.redeliveredDuplicates.itemsPerSecond} re-deliveries/s refused, ` +
      `${writes.claimAndMark.updatesPerSecond} claim/mark updates/s (${writes.claimAndMark.manifests} manifests)`,
  );
  console.log(JSON.stringify({ benchmark: "manifest", machine, planning, writes }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
