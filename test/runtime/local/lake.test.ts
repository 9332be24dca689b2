import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { appendFile, chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { writeCorpus } from "../../../runtime/bench/corpus";
import { runLocalLake, type LocalLakeSummary } from "../../../runtime/local/lake";
import { accepts } from "../../../runtime/local/peers/ports";

/** Lines the shipper refuses (not JSON objects): they never reach Kafka. */
const notObjects = ["not json at all", '{"truncated": ', "[1,2,3]"];
/** JSON objects convert refuses: no usable event time. */
const noEventTime = ['{"level":"info","msg":"no timestamp"}', '{"timestamp":"yesterday","msg":"unparseable"}'];

/** `loglake local query …` as a user runs it: its exit code, tables on stdout, errors on stderr. */
async function localQuery(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      "runtime/cli.ts",
      "local",
      "query",
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** True while something accepts connections at `host:port`. */
function listening(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint.includes("://") ? endpoint : `tcp://${endpoint}`);
  return accepts(Number(port), hostname);
}

/** Processes whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        return command.includes(text) && Number(pid) !== process.pid ? [command] : [];
      } catch {
        return [];
      }
    });
}

/** The endpoints a run announced in its `peers:` progress line. */
function peerEndpoints(lines: string[]): string[] {
  const line = lines.find((entry) => entry.startsWith("peers: "));
  assert.ok(line, "no peers progress line");
  return [...line.matchAll(/(?:Kafka|S3|DynamoDB|SQS) (\S+?),?(?= |$)/g)].flatMap((match) => match[1].split(","));
}

describe("loglake local", function () {
  // One run of the whole lake: PostgreSQL, the Hive metastore and Spark start once for this file.
  this.timeout(600_000);
  let dir: string;
  let corpus: string;
  let records: number;
  let needle: { seq: number; traceId: string };
  const progress: string[] = [];
  let summary: LocalLakeSummary;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "loglake-local-test-"));
    // The metastore's PostgreSQL runs as the postgres user when the tests run as root.
    await chmod(dir, 0o755);
    corpus = join(dir, "input.ndjson");
    ({ records } = await writeCorpus(corpus, 1_000_000));
    await appendFile(corpus, [...notObjects, "", ...noEventTime].join("\n") + "\n");
    const lines = readFileSync(corpus, "utf8").split("\n");
    const picked = JSON.parse(lines[Math.floor(records / 2)]) as { seq: number; trace_id: string };
    needle = { seq: picked.seq, traceId: picked.trace_id };
    summary = await runLocalLake({
      dir: join(dir, "lake"),
      inputs: [corpus],
      sampleMegabytes: 1,
      topic: "web.access-logs",
      queries: [
        "SELECT count(*), count(DISTINCT attributes['seq']), min(CAST(attributes['seq'] AS BIGINT)), max(CAST(attributes['seq'] AS BIGINT)) FROM {table}",
        "SELECT reason, count(*) FROM lake.logs._quarantine WHERE topic = 'web.access-logs' GROUP BY reason",
        `SELECT attributes['seq'] FROM {table} WHERE trace_id = '${needle.traceId}'`,
      ],
      progress: (line) => progress.push(line),
    });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds every shipped record exactly once in the topic's Iceberg table", () => {
    const [[rows, distinct, first, last]] = summary.queries[0].rows as number[][];
    assert.deepEqual([rows, distinct, first, last], [records, records, 0, records - 1]);
    assert.deepEqual(summary.tables.find((t) => t.table === "lake.logs.web_access_logs")?.rows, records);
  });

  it("balances the counts: lines in = rows + quarantined by convert + quarantined by ship", () => {
    assert.equal(
      summary.shipped.linesRead - summary.shipped.blankLines,
      records + notObjects.length + noEventTime.length,
    );
    assert.equal(summary.shipped.quarantined, notObjects.length);
    assert.deepEqual(summary.queries[1].rows, [["no-event-time", noEventTime.length]]);
    assert.equal(summary.balanced, true);
  });

  it("drives the manifest builder with the S3 server's own notifications of every raw object", () => {
    assert.ok(summary.sink.objects > 0);
    assert.equal(summary.rawObjects, summary.sink.objects);
    assert.equal(summary.converted.length, summary.manifests);
    for (const converted of summary.converted) assert.equal(converted.status, "committed");
  });

  it("reports each convert as it commits: manifest n of all, rows, seconds, rows/s, quarantined", () => {
    const lines = progress.filter((line) => line.startsWith("converted manifest "));
    assert.equal(lines.length, summary.manifests, progress.join("\n"));
    lines.forEach((line, i) =>
      assert.match(
        line,
        new RegExp(
          `^converted manifest ${i + 1}/${summary.manifests} \\(\\w+\\): \\d+ rows in [\\d.]+ s = \\d+ rows/s, \\d+ quarantined$`,
        ),
      ),
    );
  });

  it("reads and writes the warehouse through S3A in the local S3 server's lake bucket", () => {
    assert.ok(summary.dataFiles.length > 0);
    const bucketDir = join(dir, "lake", "s3", "lake");
    for (const file of summary.dataFiles) {
      assert.match(file, /^s3a:\/\/lake\/warehouse\/logs\.db\/[a-z_]+\/data\/.+\.parquet$/);
      const key = file.slice("s3a://lake/".length);
      const folder = join(bucketDir, key.slice(0, key.lastIndexOf("/")));
      assert.ok(readdirSync(folder).includes(`${key.slice(key.lastIndexOf("/") + 1)}._S3rver_object`), file);
    }
    assert.ok(summary.warehouseObjects > summary.dataFiles.length, "no metadata files beside the data files");
  });

  it("answers a needle query by trace id with the one record", () => {
    assert.deepEqual(summary.queries[2].rows, [[String(needle.seq)]]);
  });

  it("stops every peer, the metastore and PostgreSQL when it is done", async () => {
    for (const endpoint of peerEndpoints(progress)) assert.equal(await listening(endpoint), false, endpoint);
    const pgdata = join(dir, "lake", "metastore", "pg");
    assert.equal(readdirSync(pgdata).includes("postmaster.pid"), false);
  });

  it("answers `local query` on the lake the run left in --dir, as a table per query", async () => {
    const sql = "SELECT level, count(*) AS records FROM {table} GROUP BY level ORDER BY level";
    const { code, stdout } = await localQuery("--dir", join(dir, "lake"), "--topic", "web.access-logs", "--query", sql);
    assert.equal(code, 0);
    const [first, , header, rule, ...rows] = stdout.trimEnd().split("\n");
    assert.equal(first, sql.replace("{table}", "lake.logs.web_access_logs"));
    assert.deepEqual([header, rule], ["| level | records |", "| --- | --- |"]);
    const cells = rows.map((row) => row.slice(2, -2).split(" | "));
    assert.deepEqual(
      cells.map(([level]) => level),
      ["error", "info", "warn"],
    );
    assert.equal(
      cells.reduce((sum, [, count]) => sum + Number(count), 0),
      records,
      stdout,
    );
  });

  it("fails `local query` with Spark's reason and exit code 1 on SQL Spark refuses", async () => {
    const { code, stdout, stderr } = await localQuery("--dir", join(dir, "lake"), "--query", "SELEC 1");
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /loglake: Spark refused the query: \[PARSE_SYNTAX_ERROR\] Syntax error at or near 'SELEC'/);
    const pgdata = join(dir, "lake", "metastore", "pg");
    assert.equal(readdirSync(pgdata).includes("postmaster.pid"), false, "PostgreSQL left running");
  });

  it("stops everything it started when aborted in the middle (Ctrl-C)", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    await assert.rejects(
      runLocalLake({
        dir: join(dir, "aborted"),
        inputs: [corpus],
        sampleMegabytes: 1,
        topic: "aborted",
        queries: [],
        progress: (line) => {
          lines.push(line);
          if (line.startsWith("shipped ")) controller.abort();
        },
        signal: controller.signal,
      }),
      /stopped/,
    );
    const endpoints = peerEndpoints(lines);
    for (const endpoint of endpoints) assert.equal(await listening(endpoint), false, endpoint);
    // The sink was started with the mock cluster's address.
    assert.deepEqual(processesMentioning(endpoints[0]), []);
  });
});

describe("loglake local query, on a folder without a lake", () => {
  it("refuses before starting anything, naming the folder and how to make a lake", async function () {
    this.timeout(30_000);
    const dir = await mkdtemp(join(tmpdir(), "loglake-local-none-"));
    try {
      const { code, stderr } = await localQuery("--dir", dir);
      assert.equal(code, 1);
      assert.match(stderr, /holds no local lake: make one with `local up --dir /);
      assert.doesNotMatch(stderr, /starting the metastore/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("loglake local up, on a folder that already holds a lake", () => {
  it("refuses before starting anything: a new run would rewrite the raw keys and commit nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loglake-local-again-"));
    try {
      await mkdir(join(dir, "s3"));
      const lines: string[] = [];
      await assert.rejects(
        runLocalLake({
          dir,
          inputs: [],
          sampleMegabytes: 1,
          topic: "again",
          queries: [],
          progress: (line) => lines.push(line),
        }),
        /already holds a local lake: query it with `local query --dir/,
      );
      assert.deepEqual(lines, ["stopping the peers"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
