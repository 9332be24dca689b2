import { spawn } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import {
  CreateTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";

/** A running dynalite (in-memory DynamoDB) on a loopback port picked by the OS. */
export interface DynamoPeer {
  endpoint: string;
  /** A DynamoDB client pointed at the peer (dummy credentials). */
  client: DynamoDBClient;
  createTable(input: CreateTableCommandInput): Promise<void>;
  stop(): Promise<void>;
}

export interface DynamoOptions {
  /**
   * Run dynalite in a child process instead of this one, so client and server do not share one
   * event loop (benchmarks). Default false: in-process starts faster.
   */
  childProcess?: boolean;
}

/** Tables become ACTIVE at once instead of after dynalite's default half second. */
const dynaliteOptions = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

export async function startDynamo(options: DynamoOptions = {}): Promise<DynamoPeer> {
  const server = options.childProcess ? await startChild() : await startInProcess();
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "dynalite", secretAccessKey: "dynalite" },
  });
  return {
    endpoint: server.endpoint,
    client,
    async createTable(input) {
      await client.send(new CreateTableCommand(input));
      await waitUntilTableExists(
        { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
        { TableName: input.TableName! },
      );
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}

interface RunningServer {
  endpoint: string;
  stop(): Promise<void>;
}

async function startInProcess(): Promise<RunningServer> {
  // Loaded only when the peer runs in-process (types in dynalite.d.ts beside this file).
  const { default: dynalite } = await import("dynalite");
  const server = dynalite(dynaliteOptions);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** dynalite's own CLI cannot listen on port 0, so the child runs a one-line server and prints its port. */
async function startChild(): Promise<RunningServer> {
  const script = `require(${JSON.stringify(require.resolve("dynalite"))})(${JSON.stringify(dynaliteOptions)}).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout! });
  const [port] = (await Promise.race([once(lines, "line"), exited.then(() => [undefined])])) as [string | undefined];
  if (!port) throw new Error("dynalite child process exited before it listened");
  lines.close();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
