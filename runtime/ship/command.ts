import { SingleBar } from "cli-progress";
import { Option, type Command } from "commander";
import { megabytes, perSecond, positiveNumber } from "../common/cli";
import { addConnectionOptions, connectionFrom, type ConnectionFlags } from "../kafka/options";
import { stdinName } from "./input";
import { defaultMaxLineBytes, ship, shipOutcome, type Compression, type ShipStats } from "./shipper";

interface ShipFlags extends ConnectionFlags {
  topic: string;
  keyField: string;
  quarantine?: string;
  quarantineTopic?: string;
  compression: Compression;
  deliveryTimeoutSeconds: number;
  maxLineMb: number;
  progress: boolean;
}

/** Exit status: 0 all delivered, 1 something not delivered (or a fatal error), 2 all delivered but lines quarantined. */
export const shipExitCodes = { delivered: 0, failed: 1, quarantined: 2 } as const;

export function registerShip(program: Command): void {
  addConnectionOptions(
    program
      .command("ship")
      .description("Produce NDJSON log lines (files or stdin, gzip or plain) to a Kafka topic")
      .argument("[files...]", `input files; ${stdinName} or none for standard input`),
  )
    .requiredOption("--topic <topic>", "topic to produce to")
    .option("--key-field <path>", "field whose value keys each record; records of one key stay in order", "host")
    .option(
      "--quarantine <file>",
      "append lines that are not JSON objects to this NDJSON file",
      "loglake-quarantine.ndjson",
    )
    .option("--quarantine-topic <topic>", "produce lines that are not JSON objects to this topic instead of a file")
    .addOption(
      new Option("--compression <codec>", "batch compression")
        .choices(["lz4", "zstd", "gzip", "snappy", "none"])
        .default("lz4"),
    )
    .option(
      "--delivery-timeout-seconds <n>",
      "how long a record may wait for the cluster's acknowledgement, retries included, before it counts as failed",
      positiveNumber,
      300,
    )
    .option(
      "--max-line-mb <n>",
      "quarantine lines longer than this, keeping their first 64 KiB (bounds memory on input without newlines)",
      positiveNumber,
      defaultMaxLineBytes / (1024 * 1024),
    )
    .option("--no-progress", "no progress line even on a terminal")
    .action(async (files: string[], flags: ShipFlags) => {
      const connection = await connectionFrom(flags);
      const bar = flags.progress && process.stderr.isTTY ? progressBar() : undefined;
      bar?.start(1, 0, progressPayload(undefined));
      const stats = await ship({
        connection,
        topic: flags.topic,
        inputs: files.length > 0 ? files : [stdinName],
        keyField: flags.keyField,
        quarantine: flags.quarantineTopic
          ? { kind: "topic", topic: flags.quarantineTopic }
          : { kind: "file", path: flags.quarantine! },
        compression: flags.compression,
        deliveryTimeoutMs: Math.round(flags.deliveryTimeoutSeconds * 1000),
        maxLineBytes: Math.round(flags.maxLineMb * 1024 * 1024),
        onProgress: bar && ((current) => bar.update(progressPayload(current))),
      });
      bar?.stop();
      process.stderr.write(summary(stats, flags) + "\n");
      process.exitCode = shipExitCodes[shipOutcome(stats)];
    });
}

function progressBar(): SingleBar {
  return new SingleBar({
    format:
      "ship | {records} records sent | {recordRate} records/s | {mbRate} MB/s read | {quarantined} quarantined | {failed} failed",
    hideCursor: true,
    clearOnComplete: false,
    stream: process.stderr,
  });
}

function progressPayload(stats: ShipStats | undefined): Record<string, string | number> {
  return {
    // Deliveries are counted once the producer has flushed; while shipping, show what was sent.
    records: stats?.produced ?? 0,
    recordRate: Math.round(perSecond(stats?.produced ?? 0, stats?.elapsedMs ?? 0)),
    mbRate: megabytes(perSecond(stats?.bytesRead ?? 0, stats?.elapsedMs ?? 0)),
    quarantined: stats?.quarantined ?? 0,
    failed: stats?.failed ?? 0,
  };
}

function summary(stats: ShipStats, flags: ShipFlags): string {
  const seconds = (stats.elapsedMs / 1000).toFixed(1);
  const lines = [
    `ship: read ${stats.linesRead} lines (${megabytes(stats.bytesRead)} MB) in ${seconds} s ` +
      `(${Math.round(perSecond(stats.linesRead, stats.elapsedMs))} lines/s, ${megabytes(perSecond(stats.bytesRead, stats.elapsedMs))} MB/s)`,
    `  delivered ${stats.delivered} of ${stats.produced} records to ${flags.topic}; failed ${stats.failed}; ` +
      `quarantined ${stats.quarantined}${stats.quarantined ? ` (${flags.quarantineTopic ? `topic ${flags.quarantineTopic}` : flags.quarantine})` : ""}; blank ${stats.blankLines}`,
    ...Object.entries(stats.errors).map(([reason, count]) => `  not delivered: ${count} x ${reason}`),
    ...Object.entries(stats.inputErrors).map(([source, error]) => `  not read to the end: ${source}: ${error}`),
  ];
  return lines.join("\n");
}
