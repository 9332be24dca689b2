// Ship + sink end to end against librdkafka's mock cluster and s3rver, with `kcat -P` on the same
// corpus as the native reference. Prints MB/s and records/s per stage and the records lost and
// duplicated in the lake (both must be 0). Results go into BENCHMARKS.md by hand.
import { librdkafkaVersion } from "@confluentinc/kafka-javascript";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, freemem, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { startKafkaMock } from "../local/peers/kafka-mock";
import { s3rverEnvironment, startS3 } from "../local/peers/s3";
import { ship, type ShipStats } from "../ship/shipper";
import { writeCorpus } from "./corpus";
import { listKeys, readObjectLines } from "../sink/inventory";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

const corpusMegabytes = Number(process.env.LOGLAKE_BENCH_MB ?? 200);
const sinkGzipLevel = process.env.LOGLAKE_BENCH_GZIP_LEVEL ?? "6";
/** A directory for a V8 CPU profile of every sink process (`node --cpu-prof`), to see where its time goes. */
const sinkProfileDir = process.env.LOGLAKE_BENCH_SINK_PROFILE_DIR;
const topic = "bench-logs";
const sinkFlushMb = 4;
const maxLagRecords = 200_000;
/**
 * Over 4 partitions, below what a partition of the mock keeps of this corpus (measured: one of
 * 54,492 records had dropped its oldest 3,734).
 */
const prefilledRecords = 150_000;
const rounds = Number(process.env.LOGLAKE_BENCH_ROUNDS ?? 3);
/** Only kcat and the shipper alone (no sink, no S3): for iterating on the shipper. */
const shipOnly = process.env.LOGLAKE_BENCH_SHIP_ONLY === "1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rate(amount: number, ms: number): number {
  return (amount * 1000) / ms;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "loglake-bench-"));
  const corpus = join(dir, "corpus.ndjson");
  const generated = await writeCorpus(corpus, corpusMegabytes * 1e6);
  const megabytes = generated.bytes / 1e6;
  // s3rver in its own process, as S3 is remote in production.
  const [mock, s3] = await Promise.all([startKafkaMock(), startS3({ ownProcess: true })]);
  await s3.createBucket("lake");
  try {
    // Native reference and shipper alone, interleaved over a few rounds so that both see the same
    // machine load (the machine is shared): the ratio is of the medians.
    const loadBefore = loadavg();
    const kcatRuns: number[] = [];
    const aloneRuns: number[] = [];
    /** CPU milliseconds (user + system, all threads) per run: unlike wall time, barely moved by other load. */
    const kcatCpu: number[] = [];
    const aloneCpu: number[] = [];
    const aloneThreads: ThreadCpu[] = [];
    let alone: ShipStats | undefined;
    for (let round = 0; round < rounds; round++) {
      const kcatStart = Date.now();
      // Through bash's `time`, for kcat's CPU seconds (user + system) beside its wall time.
      const kcatTimes = spawnSync("bash", [
        "-c",
        'TIMEFORMAT="%U %S"; time kcat "$@" >/dev/null',
        "kcat",
        "-b",
        mock.bootstrapServers,
        "-P",
        "-l",
        "-t",
        `kcat-reference-${round}`,
        "-z",
        "lz4",
        "-X",
        "acks=all",
        "-X",
        "enable.idempotence=true",
        "-X",
        "linger.ms=20",
        corpus,
      ]);
      kcatRuns.push(Date.now() - kcatStart);
      if (kcatTimes.status !== 0) throw new Error(`kcat failed: ${kcatTimes.stderr}`);
      const [user, system] = kcatTimes.stderr.toString().trim().split("\n").pop()!.split(" ").map(Number);
      kcatCpu.push((user + system) * 1000);

      const aloneStart = Date.now();
      const cpuBefore = process.cpuUsage();
      const threads = sampleThreadCpu();
      alone = await ship({
        connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
        topic: `${topic}-alone-${round}`,
        inputs: [corpus],
        keyField: "host",
        quarantine: { kind: "file", path: join(dir, "quarantine.ndjson") },
      });
      aloneRuns.push(Date.now() - aloneStart);
      const cpu = process.cpuUsage(cpuBefore);
      aloneCpu.push((cpu.user + cpu.system) / 1000);
      aloneThreads.push(threads.stop());
      if (alone.delivered !== generated.records) throw new Error(`ship alone delivered ${alone.delivered}`);
    }
    const kcatMs = median(kcatRuns);
    const aloneMs = median(aloneRuns);
    const shipStages = () => {
      console.log(
        `ship / kcat throughput ratio: ${(kcatMs / aloneMs).toFixed(3)} (medians of ${rounds} interleaved rounds; ` +
          `per round ${kcatRuns.map((ms, i) => (ms / aloneRuns[i]).toFixed(2)).join(", ")}; ` +
          `kcat ${kcatRuns.join("/")} ms, ship ${aloneRuns.join("/")} ms)`,
      );
      console.log(
        `CPU seconds per run (median): kcat ${(median(kcatCpu) / 1000).toFixed(2)}, ship ${(median(aloneCpu) / 1000).toFixed(2)} ` +
          `(ship process, every thread); CPU-efficiency ratio kcat / ship ${(median(kcatCpu) / median(aloneCpu)).toFixed(3)}`,
      );
      const split = (part: keyof ThreadCpu) => (median(aloneThreads.map((run) => run[part])) / 1000).toFixed(2);
      console.log(
        `ship CPU seconds by thread (median): main ${split("main")}, line classifier ${split("classifier")}, ` +
          `librdkafka ${split("librdkafka")}, other (libuv pool, V8) ${split("other")}`,
      );
    };
    if (shipOnly) {
      shipStages();
      console.log(
        `load average (1 min) ${loadBefore[0].toFixed(2)} before the ship stages, ${loadavg()[0].toFixed(2)} after`,
      );
      return;
    }

    // End to end with one sink and with two in one consumer group (as the Deployment's replicas),
    // back to back in the same run: whether the writer scales over processes and cores.
    const peers = { bootstrapServers: mock.bootstrapServers, s3Endpoint: s3.endpoint, s3: s3.client() };
    const concurrent = await endToEnd(peers, corpus, dir, generated.records, {
      name: "concurrent",
    });
    const twoSinks = await endToEnd(peers, corpus, dir, generated.records, {
      name: "two-sinks",
      sinks: 2,
    });
    // The sink alone on a topic filled beforehand (no more than the mock keeps per partition).
    const prefill = join(dir, "prefill.ndjson");
    const prefillRecords = writeFirstLines(corpus, prefill, prefilledRecords);
    const prefilled = await endToEnd(peers, prefill, dir, prefillRecords, {
      name: "prefilled",
      prefilled: true,
    });
    // The same topic read by kcat: what the mock serves to a native consumer on this machine.
    const kcatReadStart = Date.now();
    const kcatRead = spawnSync("bash", [
      "-c",
      'kcat -C -b "$1" -t "$2" -o beginning -e -q | wc -c',
      "kcat",
      mock.bootstrapServers,
      `${topic}-prefilled`,
    ]);
    const kcatReadMs = Date.now() - kcatReadStart;
    const puts = await s3rverPuts(peers.s3, corpus);

    const prefilledMb = statSync(prefill).size / 1e6;
    const rows = [
      ["kcat -P (native reference, median)", kcatMs, generated.records],
      ["loglake ship, alone (median)", aloneMs, alone!.delivered],
      ["ship → sink → S3, 1 sink", concurrent.ms, concurrent.committedRecords],
      ["ship → sink → S3, 2 sinks in one group", twoSinks.ms, twoSinks.committedRecords],
    ] as const;
    const stages = [
      ["1 sink", concurrent, megabytes],
      ["2 sinks", twoSinks, megabytes],
      ["pre-filled", prefilled, prefilledMb],
    ] as const;
    const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} GiB free)`;
    console.log(
      `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), ${memory}, node ${process.version}, librdkafka ${librdkafkaVersion} (client) / kcat's ${
        execFileSync("kcat", ["-V"])
          .toString()
          .match(/librdkafka ([\d.]+)/)?.[1] ?? "?"
      }`,
    );
    console.log(
      `corpus: ${generated.records} records, ${megabytes.toFixed(1)} MB NDJSON; lz4, acks=all, idempotent producer; sink flush ${sinkFlushMb} MB / 5 s, gzip ${sinkGzipLevel}, lag bound ${maxLagRecords} records`,
    );
    console.log("\n| stage | seconds | MB/s | records/s |\n|---|---:|---:|---:|");
    for (const [stage, ms, records] of rows) {
      console.log(
        `| ${stage} | ${(ms / 1000).toFixed(1)} | ${rate(megabytes, ms).toFixed(1)} | ${Math.round(rate(records, ms))} |`,
      );
    }
    console.log("");
    shipStages();
    console.log(
      `end to end / ship alone throughput ratio: ${(aloneMs / concurrent.ms).toFixed(3)} ` +
        `(2 sinks in one group: ${(aloneMs / twoSinks.ms).toFixed(3)})`,
    );
    console.log(
      `load average (1 min) ${loadBefore[0].toFixed(2)} before the ship stages, ${loadavg()[0].toFixed(2)} after the end-to-end stage`,
    );
    console.log(
      `sink alone on a pre-filled topic (${prefillRecords} records, ${prefilledMb.toFixed(1)} MB): ` +
        `${(prefilled.ms / 1000).toFixed(1)} s, ${rate(prefilledMb, prefilled.ms).toFixed(1)} MB/s; ` +
        `before each partition's last batch (${prefilled.body.records} records, waiting out the 5 s flush age after): ` +
        `${(prefilled.body.ms / 1000).toFixed(1)} s, ${rate((prefilledMb * prefilled.body.records) / prefillRecords, prefilled.body.ms).toFixed(1)} MB/s`,
    );
    console.log(
      `kcat -C of the pre-filled topic: ${(Number(kcatRead.stdout.toString().trim()) / 1e6).toFixed(1)} MB in ${(kcatReadMs / 1000).toFixed(1)} s, ` +
        `${rate(Number(kcatRead.stdout.toString().trim()) / 1e6, kcatReadMs).toFixed(1)} MB/s`,
    );
    for (const [name, run, stageMb] of stages) {
      const perMb = (cpuS: number) => `${cpuS.toFixed(1)} s (${((1000 * cpuS) / stageMb).toFixed(1)} ms/MB)`;
      console.log(
        `CPU (${name}, ${(run.ms / 1000).toFixed(1)} s wall): sink ${perMb(run.cpu.sinks)} = ${((100 * run.cpu.sinks * 1000) / run.ms).toFixed(0)} % of one core; ` +
          `mock cluster ${perMb(run.cpu.mock)}; s3rver ${perMb(run.cpu.s3rver)}; shipper and bench ${perMb(run.cpu.bench)}`,
      );
    }
    console.log(
      `s3rver alone, PUT of ${puts.objects} gzip objects of ${sinkFlushMb} MB NDJSON each (${(puts.gzipBytes / puts.objects / 1e6).toFixed(2)} MB): ` +
        puts.runs
          .map(
            ({ concurrency, ms }) =>
              `concurrency ${concurrency}: ${(ms / puts.objects).toFixed(0)} ms per object, ${rate(puts.objects * sinkFlushMb, ms).toFixed(1)} MB/s of NDJSON`,
          )
          .join("; "),
    );
    for (const [name, run] of stages) {
      console.log(
        `lake (${name}): ${run.objects} objects, ${run.lakeRecords} records; lost ${run.lost}, duplicated ${run.duplicated}; ` +
          `shipped ${run.shipped.delivered}, failed ${run.shipped.failed}, quarantined ${run.shipped.quarantined}; sink exit ${run.sinkCode}`,
      );
      if (run.lost > 0 || run.duplicated > 0 || run.shipped.failed > 0 || run.sinkCode !== 0) process.exitCode = 1;
    }
    if (alone!.failed > 0) process.exitCode = 1;
  } finally {
    await Promise.all([mock.stop(), s3.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

interface EndToEnd {
  ms: number;
  committedRecords: number;
  objects: number;
  lakeRecords: number;
  lost: number;
  duplicated: number;
  shipped: ShipStats;
  /** The first non-zero exit code of the sinks, else 0. */
  sinkCode: number | null;
  /** CPU seconds (user + system, every thread) from the start of the stage to the last commit. */
  cpu: { sinks: number; mock: number; s3rver: number; bench: number };
  /** Up to the commit of each partition's last batch but one (see the tail above). */
  body: { ms: number; records: number };
}

/**
 * Ship → sink → S3 on a fresh topic and prefix. The writer runs as its own process, as deployed,
 * consuming while the shipper produces. The mock cluster keeps only the newest ~100,000 records of
 * a partition, so the corpus is fed to the shipper through a pipe that waits while the writer is
 * more than `maxLagRecords` behind: the result is the pipeline's sustained rate with no record dropped.
 */
async function endToEnd(
  peers: { bootstrapServers: string; s3Endpoint: string; s3: S3Client },
  corpus: string,
  dir: string,
  records: number,
  run: { name: string; prefilled?: boolean; sinks?: number },
): Promise<EndToEnd> {
  const runTopic = `${topic}-${run.name}`;
  // Pre-filled: the topic is full before the sink starts, so the sink runs without the shipper
  // competing for the cores, and the time runs from its assignment.
  const prefilled =
    run.prefilled &&
    (await ship({
      connection: { kind: "local", bootstrapServers: peers.bootstrapServers },
      topic: runTopic,
      inputs: [corpus],
      keyField: "host",
      quarantine: { kind: "file", path: join(dir, "quarantine.ndjson") },
    }));
  const sinks = Array.from({ length: run.sinks ?? 1 }, () =>
    spawn(
      process.execPath,
      [
        ...(sinkProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${sinkProfileDir}`] : []),
        "--import",
        "tsx",
        join(__dirname, "..", "cli.ts"),
        "sink",
        "--brokers",
        peers.bootstrapServers,
        "--topic",
        runTopic,
        "--group",
        `bench-${run.name}`,
        "--bucket",
        "lake",
        "--prefix",
        run.name,
        "--s3-endpoint",
        peers.s3Endpoint,
        "--flush-mb",
        String(sinkFlushMb),
        "--flush-seconds",
        "5",
        "--gzip-level",
        sinkGzipLevel,
        "--metrics-port",
        "0",
        "--verbose",
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, ...s3rverEnvironment },
      },
    ),
  );
  let committedRecords = 0;
  let assignedAt = 0;
  let lastCommitAt = 0;
  /** Commit times and record counts of each partition's batches, in commit order. */
  const commits = new Map<string, { at: number; records: number }[]>();
  const assigned = new Set<number>();
  let sinkStderr = "";
  for (const [index, sink] of sinks.entries()) {
    let pendingLine = "";
    sink.stderr!.on("data", (chunk: Buffer) => {
      sinkStderr = (sinkStderr + chunk.toString()).slice(-4000);
      const lines = (pendingLine + chunk.toString()).split("\n");
      pendingLine = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const event = JSON.parse(line);
        // The clock starts once every sink holds partitions (with several, after their first rebalance).
        if (event.event === "assigned" && event.partitions.length > 0 && !assigned.has(index)) {
          assigned.add(index);
          if (assigned.size === sinks.length) assignedAt = Date.now();
        }
        if (event.event === "batch-committed") {
          committedRecords += event.records;
          lastCommitAt = Date.now();
          commits.set(event.partition, [
            ...(commits.get(event.partition) ?? []),
            { at: lastCommitAt, records: event.records },
          ]);
        }
      }
    });
  }
  const sinksExited = Promise.all(sinks.map((sink) => once(sink, "exit")));
  while (assigned.size < sinks.length) {
    const exited = sinks.find((sink) => sink.exitCode !== null);
    if (exited) throw new Error(`a sink exited (${exited.exitCode}) before joining its group:\n${sinkStderr}`);
    await sleep(100);
  }

  const shipStart = Date.now();
  const cpuBefore = processTreeCpu();
  const benchCpuBefore = process.cpuUsage();
  const shipped = prefilled || (await shipPaced());
  let lastProgress = { at: Date.now(), committed: committedRecords };
  while (
    committedRecords < shipped.delivered &&
    sinks.every((sink) => sink.exitCode === null) &&
    Date.now() - lastProgress.at < 30_000
  ) {
    await sleep(100);
    if (committedRecords !== lastProgress.committed) lastProgress = { at: Date.now(), committed: committedRecords };
  }
  const startedAt = prefilled ? assignedAt : shipStart;
  const endToEndMs = lastCommitAt - startedAt;
  const cpuAfter = processTreeCpu();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const sinkPids = new Set(sinks.map((sink) => sink.pid!));
  const cpu = { sinks: 0, mock: 0, s3rver: 0, bench: (benchCpu.user + benchCpu.system) / 1e6 };
  for (const [pid, after] of cpuAfter) {
    const used = after.cpuS - (cpuBefore.get(pid)?.cpuS ?? 0);
    if (sinkPids.has(pid)) cpu.sinks += used;
    else if (after.command === "kcat") cpu.mock += used;
    else if (after.command === "node") cpu.s3rver += used;
  }
  // Each partition's last batch is cut by the flush age, not by size, unless the records end on a
  // batch boundary: the body is everything before those, the tail the rest.
  let bodyEndAt = startedAt;
  let tailRecords = 0;
  for (const batches of commits.values()) {
    tailRecords += batches.at(-1)!.records;
    if (batches.length > 1) bodyEndAt = Math.max(bodyEndAt, batches.at(-2)!.at);
  }
  for (const sink of sinks) sink.kill("SIGTERM");
  const sinkCodes = (await sinksExited).map(([code]) => code as number | null);

  async function shipPaced(): Promise<ShipStats> {
    const pipe = join(dir, `paced-input-${run.name}`);
    execFileSync("mkfifo", [pipe]);
    let linesFed = 0;
    const feeding = (async () => {
      const out = createWriteStream(pipe);
      for await (const chunk of createReadStream(corpus, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        while (linesFed - committedRecords > maxLagRecords) await sleep(20);
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) linesFed++;
        if (!out.write(chunk)) await once(out, "drain");
      }
      out.end();
      await once(out, "finish");
    })();
    const [shippedPaced] = await Promise.all([
      ship({
        connection: { kind: "local", bootstrapServers: peers.bootstrapServers },
        topic: runTopic,
        inputs: [pipe],
        keyField: "host",
        quarantine: { kind: "file", path: join(dir, "quarantine.ndjson") },
      }),
      feeding,
    ]);
    return shippedPaced;
  }

  // Count every record in the lake by its sequence number.
  const client = peers.s3;
  const seen = new Uint8Array(records);
  let lakeRecords = 0;
  let duplicated = 0;
  const keys = await listKeys(client, "lake", `${run.name}/`);
  for (const key of keys) {
    for (const line of await readObjectLines(client, "lake", key)) {
      const seq = Number(/"seq":(\d+)/.exec(line)![1]);
      lakeRecords++;
      if (seen[seq]++ > 0) duplicated++;
    }
  }
  const lost = seen.reduce((missing, count) => missing + (count === 0 ? 1 : 0), 0);
  return {
    ms: endToEndMs,
    committedRecords,
    objects: keys.length,
    lakeRecords,
    lost,
    duplicated,
    shipped,
    sinkCode: sinkCodes.find((code) => code !== 0) ?? 0,
    cpu,
    body: { ms: bodyEndAt - startedAt, records: committedRecords - tailRecords },
  };
}

/** Copies the first `count` lines of `from` to `to`; returns how many there were. */
function writeFirstLines(from: string, to: string, count: number): number {
  const data = readFileSync(from);
  let end = 0;
  let lines = 0;
  while (lines < count) {
    const at = data.indexOf(10, end);
    if (at === -1) break;
    end = at + 1;
    lines++;
  }
  writeFileSync(to, data.subarray(0, end));
  return lines;
}

/**
 * s3rver's own PUT rate for objects like the sink's (gzip of `sinkFlushMb` MB of the corpus), one
 * at a time and several at once: what the sink could reach if S3 were its only limit.
 */
async function s3rverPuts(
  s3: S3Client,
  corpus: string,
): Promise<{ objects: number; gzipBytes: number; runs: { concurrency: number; ms: number }[] }> {
  const data = readFileSync(corpus);
  const objectBytes = sinkFlushMb * 1024 * 1024;
  const bodies = Array.from({ length: 16 }, (_, i) =>
    gzipSync(data.subarray(i * objectBytes, (i + 1) * objectBytes), { level: Number(sinkGzipLevel) }),
  );
  const runs = [];
  for (const concurrency of [1, 8]) {
    const started = Date.now();
    for (let i = 0; i < bodies.length; i += concurrency)
      await Promise.all(
        bodies.slice(i, i + concurrency).map((body, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: "lake",
              Key: `puts/${concurrency}/${i + j}.ndjson.gz`,
              Body: body,
              ContentType: "application/gzip",
              ServerSideEncryption: "aws:kms",
              BucketKeyEnabled: true,
            }),
          ),
        ),
      );
    runs.push({ concurrency, ms: Date.now() - started });
  }
  return { objects: bodies.length, gzipBytes: bodies.reduce((sum, body) => sum + body.length, 0), runs };
}

/** Clock ticks per second, the unit of /proc's CPU times. */
const clockTicksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

/** A /proc stat file's command, parent and user + system CPU ticks; undefined once its task has exited. */
function readStat(path: string): { command: string; parent: number; ticks: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  // After the command: state, ppid, ...; utime and stime are the 12th and 13th.
  return {
    command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/** CPU milliseconds of this process's threads during one ship, by part. */
interface ThreadCpu {
  main: number;
  /** Threads started during the ship that librdkafka did not name: the classifier worker. */
  classifier: number;
  /** `rdk:` threads: brokers (compression, requests), the main and background threads. */
  librdkafka: number;
  other: number;
}

/**
 * Samples /proc/self/task every 50 ms until stopped (Linux). A thread's last ticks before it
 * exits are missed, which is at most one interval of an idle thread at the end of a ship.
 */
function sampleThreadCpu(): { stop(): ThreadCpu } {
  const threads = new Map<string, { name: string; first: number; last: number; new: boolean }>();
  const sample = (initial: boolean) => {
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readStat(`/proc/self/task/${tid}/stat`);
      if (!stat) continue;
      const known = threads.get(tid);
      if (known) known.last = stat.ticks;
      else threads.set(tid, { name: stat.command, first: initial ? stat.ticks : 0, last: stat.ticks, new: !initial });
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 50);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      const cpu: ThreadCpu = { main: 0, classifier: 0, librdkafka: 0, other: 0 };
      for (const [tid, thread] of threads) {
        const part =
          tid === String(process.pid)
            ? "main"
            : thread.name.startsWith("rdk:")
              ? "librdkafka"
              : thread.new
                ? "classifier"
                : "other";
        cpu[part] += ((thread.last - thread.first) * 1000) / clockTicksPerSecond;
      }
      return cpu;
    },
  };
}

/**
 * User + system CPU seconds, every thread, of each process descended from this one (Linux): the
 * sinks, the mock cluster's kcat, s3rver's node.
 */
function processTreeCpu(): Map<number, { command: string; cpuS: number }> {
  const processes = new Map<number, { parent: number; command: string; cpuS: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(`/proc/${entry}/stat`);
    if (stat) processes.set(Number(entry), { ...stat, cpuS: stat.ticks / clockTicksPerSecond });
  }
  const descendants = new Map<number, { command: string; cpuS: number }>();
  const isDescendant = (pid: number): boolean => {
    for (let at = processes.get(pid)?.parent; at !== undefined && at > 1; at = processes.get(at)?.parent)
      if (at === process.pid) return true;
    return false;
  };
  for (const [pid, { command, cpuS }] of processes) if (isDescendant(pid)) descendants.set(pid, { command, cpuS });
  return descendants;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
