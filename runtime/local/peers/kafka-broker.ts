import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { mavenJars, missingJars } from "./maven-jars";
import { freePort, waitForPort } from "./ports";
import { tiedSpawn } from "./tied-process";

const run = promisify(execFile);

/** The broker's jars, and where .ci/bootstrap puts them. */
const jarList = join(__dirname, "kafka-broker-jars.txt");
const defaultJars = resolve(__dirname, "..", "..", "..", ".kafka-broker", "jars");

/** A running single-node Apache Kafka broker (KRaft, plaintext) on loopback. */
export interface KafkaBroker {
  /** `127.0.0.1:port`, as bootstrap.servers. */
  bootstrapServers: string;
  /** Stops the broker and deletes its data. */
  stop(): Promise<void>;
}

export interface KafkaBrokerOptions {
  /** Partitions of an automatically created topic. Default 3, as librdkafka's mock cluster. */
  partitions?: number;
  /** The broker's jars. Default: `.kafka-broker/jars`, or LOGLAKE_KAFKA_JARS. */
  jars?: string;
}

/**
 * Starts Apache Kafka's own broker, for the behaviour librdkafka's mock cluster does not implement
 * (static group membership: the mock forgets a member as soon as it leaves). One node is broker and
 * controller at once; internal topics have one replica; a new group rebalances at once rather than
 * after the 3 s a production broker waits for more members.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const jars = options.jars ?? process.env.LOGLAKE_KAFKA_JARS ?? defaultJars;
  const missing = missingJars(mavenJars(jarList, jars));
  if (missing.length > 0) {
    throw new Error(`Kafka's broker jars missing from ${jars} (${missing.join(", ")}): run .ci/bootstrap`);
  }
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), "loglake-kafka-"));
  const config = join(dir, "server.properties");
  const log = join(dir, "broker.log");
  await writeFile(
    config,
    [
      "process.roles=broker,controller",
      "node.id=1",
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      "controller.listener.names=CONTROLLER",
      "inter.broker.listener.name=PLAINTEXT",
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      `log.dirs=${join(dir, "data")}`,
      `num.partitions=${options.partitions ?? 3}`,
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "group.initial.rebalance.delay.ms=0",
      "",
    ].join("\n"),
  );
  await writeFile(
    join(dir, "log4j.properties"),
    [
      "log4j.rootLogger=INFO, file",
      "log4j.appender.file=org.apache.log4j.FileAppender",
      `log4j.appender.file.File=${log}`,
      "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
      "",
    ].join("\n"),
  );
  const java = (main: string, ...args: string[]) => [
    "-Xmx512m",
    `-Dlog4j.configuration=file:${join(dir, "log4j.properties")}`,
    "-cp",
    join(jars, "*"),
    main,
    ...args,
  ];
  try {
    await run("java", java("kafka.tools.StorageTool", "format", `--cluster-id=${clusterId()}`, "--config", config));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`formatting the Kafka broker's storage failed: ${(error as Error).message}`, { cause: error });
  }
  // A broker's data is throwaway: SIGKILL spares the seconds of a controlled shutdown.
  const broker = tiedSpawn("java", java("kafka.Kafka", config), { signal: "KILL" });
  broker.child.stderr!.resume();
  const stop = async () => {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  };
  let exited = false;
  void broker.exited.then(() => (exited = true));
  try {
    await waitForPort(port, 60_000, () => exited);
  } catch (error) {
    const tail = (await readFile(log, "utf8").catch(() => "")).split("\n").slice(-30).join("\n");
    await stop();
    throw new Error(`the Kafka broker failed to start: ${(error as Error).message}\n${tail}`, { cause: error });
  }
  return { bootstrapServers: `127.0.0.1:${port}`, stop };
}

/** KRaft's cluster id: 16 random bytes in URL-safe base64 without padding. */
function clusterId(): string {
  return Buffer.from(randomUUID().replaceAll("-", ""), "hex").toString("base64url");
}
