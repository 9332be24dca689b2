import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** A running dynalite (in-memory DynamoDB) on a loopback port picked by the OS. */
export interface DynamoPeer {
  endpoint: string;
  /** A DynamoDB client pointed at the peer (dummy credentials). */
  client: DynamoDBClient;
  createTable(input: CreateTableCommandInput): Promise<void>;
  stop(): Promise<void>;
}

/** dynalite ships no type declarations; this is the part of its API the tests use. */
const dynalite: (options: Record<string, unknown>) => Server = require("dynalite");

export async function startDynamo(): Promise<DynamoPeer> {
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "dynalite", secretAccessKey: "dynalite" },
  });
  return {
    endpoint,
    client,
    async createTable(input) {
      await client.send(new CreateTableCommand(input));
      await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 }, { TableName: input.TableName! });
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
