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
import { defaultMaxPendingBatches } from "../sink/sink";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

const corpusMegabytes = Number(process.env.LOGLAKE_BENCH_MB ?? 200);
const sinkGzipLevel = process.env.LOGLAKE_BENCH_GZIP_LEVEL ?? "6";
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

    // End to end, with one pending batch per partition (the writer before several were allowed)
    // and with the default, back to back in the same run.
    const peers = { bootstrapServers: mock.bootstrapServers, s3Endpoint: s3.endpoint, s3: s3.client() };
    const serial = await endToEnd(peers, corpus, dir, generated.records, { name: "serial", pendingBatches: 1 });
    const concurrent = await endToEnd(peers, corpus, dir, generated.records, {
      name: "concurrent",
      pendingBatches: defaultMaxPendingBatches,
    });
    // The sink alone on a topic filled beforehand (no more than the mock keeps per partition).
    const prefill = join(dir, "prefill.ndjson");
    const prefillRecords = writeFirstLines(corpus, prefill, prefilledRecords);
    const prefilled = await endToEnd(peers, prefill, dir, prefillRecords, {
      name: "prefilled",
      pendingBatches: defaultMaxPendingBatches,
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

    const rows = [
      ["kcat -P (native reference, median)", kcatMs, generated.records],
      ["loglake ship, alone (median)", aloneMs, alone!.delivered],
      ["ship → sink → S3, 1 pending batch per partition", serial.ms, serial.committedRecords],
      [
        `ship → sink → S3, ${defaultMaxPendingBatches} pending batches per partition`,
        concurrent.ms,
        concurrent.committedRecords,
      ],
    ] as const;
    const prefilledMb = statSync(prefill).size / 1e6;
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
        `(1 pending batch per partition: ${(aloneMs / serial.ms).toFixed(3)})`,
    );
    console.log(
      `load average (1 min) ${loadBefore[0].toFixed(2)} before the ship stages, ${loadavg()[0].toFixed(2)} after the end-to-end stage`,
    );
    console.log(
      `sink alone on a pre-filled topic (${prefillRecords} records, ${prefilledMb.toFixed(1)} MB, ${defaultMaxPendingBatches} pending batches): ` +
        `${(prefilled.ms / 1000).toFixed(1)} s, ${rate(prefilledMb, prefilled.ms).toFixed(1)} MB/s`,
    );
    console.log(
      `kcat -C of the pre-filled topic: ${(Number(kcatRead.stdout.toString().trim()) / 1e6).toFixed(1)} MB in ${(kcatReadMs / 1000).toFixed(1)} s, ` +
        `${rate(Number(kcatRead.stdout.toString().trim()) / 1e6, kcatReadMs).toFixed(1)} MB/s`,
    );
    for (const [name, run] of [
      ["1 pending batch", serial],
      [`${defaultMaxPendingBatches} pending`, concurrent],
      ["pre-filled", prefilled],
    ] as const)
      console.log(
        `sink CPU (${name}): ${run.sinkCpuS.toFixed(1)} s over ${(run.ms / 1000).toFixed(1)} s wall = ${((100 * run.sinkCpuS * 1000) / run.ms).toFixed(0)} % of one core`,
      );
    console.log(
      `s3rver alone, PUT of ${puts.objects} gzip objects of ${sinkFlushMb} MB NDJSON each (${(puts.gzipBytes / puts.objects / 1e6).toFixed(2)} MB): ` +
        puts.runs
          .map(
            ({ concurrency, ms }) =>
              `concurrency ${concurrency}: ${(ms / puts.objects).toFixed(0)} ms per object, ${rate(puts.objects * sinkFlushMb, ms).toFixed(1)} MB/s of NDJSON`,
          )
          .join("; "),
    );
    for (const [name, run] of [
      ["1 pending batch", serial],
      [`${defaultMaxPendingBatches} pending batches`, concurrent],
      ["pre-filled", prefilled],
    ] as const) {
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
  sinkCode: number | null;
  /** CPU seconds (user + system, every thread) the sink process used. */
  sinkCpuS: number;
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
  run: { name: string; pendingBatches: number; prefilled?: boolean },
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
  const sink = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(__dirname, "..", "cli.ts"),
      "sink",
      "--brokers",
      peers.bootstrapServers,
      "--topic",
      runTopic,
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
      "--pending-batches",
      String(run.pendingBatches),
      "--metrics-port",
      "0",
      "--verbose",
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...s3rverEnvironment },
    },
  );
  let committedRecords = 0;
  let assigned = false;
  let assignedAt = 0;
  let lastCommitAt = 0;
  let pendingLine = "";
  sink.stderr!.on("data", (chunk: Buffer) => {
    const lines = (pendingLine + chunk.toString()).split("\n");
    pendingLine = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const event = JSON.parse(line);
      if (event.event === "assigned" && !assigned) {
        assigned = true;
        assignedAt = Date.now();
      }
      if (event.event === "batch-committed") {
        committedRecords += event.records;
        lastCommitAt = Date.now();
      }
    }
  });
  const sinkExited = once(sink, "exit");
  let sinkStderr = "";
  sink.stderr!.on("data", (chunk: Buffer) => (sinkStderr = (sinkStderr + chunk.toString()).slice(-4000)));
  while (!assigned) {
    if (sink.exitCode !== null)
      throw new Error(`the sink exited (${sink.exitCode}) before joining its group:\n${sinkStderr}`);
    await sleep(100);
  }

  const shipStart = Date.now();
  const shipped = prefilled || (await shipPaced());
  let lastProgress = { at: Date.now(), committed: committedRecords };
  while (committedRecords < shipped.delivered && sink.exitCode === null && Date.now() - lastProgress.at < 30_000) {
    await sleep(100);
    if (committedRecords !== lastProgress.committed) lastProgress = { at: Date.now(), committed: committedRecords };
  }
  const endToEndMs = lastCommitAt - (prefilled ? assignedAt : shipStart);
  const sinkCpuS = processCpuSeconds(sink.pid!);
  sink.kill("SIGTERM");
  const [sinkCode] = await sinkExited;

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
    sinkCode,
    sinkCpuS,
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
  const ticksPerMs = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) / 1000;
  const threads = new Map<string, { name: string; first: number; last: number; new: boolean }>();
  const sample = (initial: boolean) => {
    for (const tid of readdirSync("/proc/self/task")) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      } catch {
        continue; // exited since the listing
      }
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      const known = threads.get(tid);
      if (known) known.last = ticks;
      else
        threads.set(tid, {
          name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
          first: initial ? ticks : 0,
          last: ticks,
          new: !initial,
        });
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
        cpu[part] += (thread.last - thread.first) / ticksPerMs;
      }
      return cpu;
    },
  };
}

/** User + system CPU seconds of a running process, every thread (Linux). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
