import type { Command } from "commander";
import { perSecond, positiveNumber } from "../common/cli";
import { queryLocalLake, runLocalLake, type LocalLakeSummary, type QueryResult } from "./lake";

interface LocalFlags {
  dir: string;
  topic: string;
  sampleMb: number;
  query: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** The sample query when none is given: what the lake holds, by service and level. */
const sampleQuery =
  "SELECT service, level, count(*) AS records, min(event_time) AS first, max(event_time) AS last " +
  "FROM {table} GROUP BY service, level ORDER BY records DESC LIMIT 10";

export function registerLocal(program: Command): void {
  const local = program
    .command("local")
    .description("The whole lake on one machine: local peers, ship, sink, manifest builder, Spark convert, query");
  const common = (command: Command) =>
    command
      .option("--dir <folder>", "where the local lake keeps its objects, catalog and logs", ".loglake-local")
      .option("--topic <topic>", "topic (and table) the records go to", "app-logs")
      .option("--query <sql>", "SQL on the Iceberg tables; {table} is the topic's table (repeatable)", collect);

  common(
    local
      .command("up", { isDefault: true })
      .description("ship NDJSON files (or a generated sample) through the whole lake, then print the tables")
      .argument("[files...]", "NDJSON files, plain or gzip (default: a generated sample)"),
  )
    .option("--sample-mb <n>", "size of the generated sample when no file is given", positiveNumber, 2)
    .action(async (files: string[], flags: LocalFlags) => {
      const summary = await withSignals((signal) =>
        runLocalLake({
          dir: flags.dir,
          inputs: files,
          sampleMegabytes: flags.sampleMb,
          topic: flags.topic,
          queries: flags.query ?? [sampleQuery],
          progress: progressLine,
          signal,
        }),
      );
      process.stdout.write(report(summary, flags.dir));
      if (!summary.balanced) process.exitCode = 1;
    });

  common(local.command("query").description("run SQL on the tables a previous `local up` left in --dir")).action(
    async (flags: LocalFlags) => {
      const results = await withSignals((signal) =>
        queryLocalLake({
          dir: flags.dir,
          topic: flags.topic,
          queries: flags.query ?? [sampleQuery],
          progress: progressLine,
          signal,
        }),
      );
      process.stdout.write(results.map(table).join("\n"));
    },
  );
}

/** Ctrl-C (or SIGTERM) aborts the run, which stops everything it started before the process exits. */
async function withSignals<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (name: string) => {
    process.stderr.write(`\nloglake local: ${name}: stopping everything it started\n`);
    process.exitCode = 130;
    controller.abort();
  };
  const onInt = () => stop("SIGINT");
  const onTerm = () => stop("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  try {
    return await run(controller.signal);
  } catch (error) {
    // Everything started is stopped by now; a shipper still waiting for a broker must not hold the exit.
    if (controller.signal.aborted) process.exit(130);
    throw error;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}

function progressLine(line: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2Klocal | ${line}` : `local | ${line}\n`);
}

function report(summary: LocalLakeSummary, dir: string): string {
  const { shipped, sink } = summary;
  const rows = summary.converted.reduce((sum, c) => sum + (c.rows ?? 0), 0);
  const quarantined = summary.converted.reduce((sum, c) => sum + (c.quarantined ?? 0), 0);
  const lines = [
    "",
    `records: ${shipped.linesRead - shipped.blankLines} in = ${rows} in the tables + ${quarantined} quarantined by convert + ` +
      `${shipped.quarantined} quarantined by ship (${summary.balanced ? "balanced" : "NOT BALANCED"})`,
    `shipped ${shipped.delivered}, sink wrote ${sink.records} in ${sink.objects} raw objects, ` +
      `${summary.manifests} manifests, ${summary.converted.length} converts`,
    `${Math.round(perSecond(rows, summary.seconds * 1000))} records/s from ship to committed table (${summary.seconds.toFixed(1)} s)`,
    `warehouse: ${summary.warehouseObjects} objects in s3://lake/warehouse/ of the local S3 server, ${summary.dataFiles.length} data files (S3A)`,
    "",
    "| table | rows |",
    "|---|---:|",
    ...summary.tables.map((t) => `| ${t.table} | ${t.rows} |`),
    "",
    ...summary.queries.map(table),
    `kept in ${dir}: s3/ (every bucket), metastore/ (PostgreSQL), sink.log, spark.log; ` +
      `query again with: npm run local -- query --dir ${dir} --query "SELECT …"`,
    "",
  ];
  return lines.join("\n");
}

function table(result: QueryResult): string {
  const cells = (row: unknown[]) => `| ${row.map((value) => String(value ?? "null")).join(" | ")} |`;
  return [
    result.sql,
    "",
    cells(result.columns),
    cells(result.columns.map(() => "---")),
    ...result.rows.map(cells),
    "",
  ].join("\n");
}
