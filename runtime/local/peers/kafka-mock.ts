import { tiedSpawn } from "./tied-process";

/** A running librdkafka mock cluster (3 brokers on loopback ports chosen by librdkafka). */
export interface KafkaMock {
  /** `host:port,host:port,...` to use as bootstrap.servers. */
  bootstrapServers: string;
  stop(): Promise<void>;
}

const bootstrapLine = /Mock cluster enabled: .* replaced with (\S+)/;

/**
 * Starts librdkafka's mock cluster inside a kcat process (Debian `kcat`). kcat needs a topic to
 * consume to stay alive; it idles on a topic nobody else uses. The mock announces its listeners in a
 * notice on stderr, which is the only way to learn the ports it picked.
 */
export async function startKafkaMock(brokers = 3): Promise<KafkaMock> {
  const kcat = [
    "-b",
    "127.0.0.1:1",
    "-C",
    "-q",
    "-o",
    "end",
    "-t",
    "__kafka_mock_keepalive",
    "-X",
    `test.mock.num.brokers=${brokers}`,
  ];
  const { child, stop } = tiedSpawn("kcat", kcat);
  let stderr = "";
  const bootstrapServers = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = bootstrapLine.exec(stderr);
      if (match) {
        child.stderr!.off("data", onData);
        // Keep draining so a chatty kcat never blocks on a full pipe.
        child.stderr!.resume();
        resolve(match[1]);
      }
    };
    child.stderr!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`kcat mock cluster exited with ${code} before announcing brokers:\n${stderr}`)),
    );
  });
  return {
    bootstrapServers,
    stop,
  };
}
