import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";

/** A running s3rver on a loopback port picked by the OS, storing objects in a temporary directory. */
export interface S3Peer {
  endpoint: string;
  /** An S3 client pointed at the peer (path-style, dummy credentials). */
  client: S3Client;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** s3rver ships no type declarations; this is the part of its API the tests use. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver: S3rverConstructor = require("s3rver");

/** Starts s3rver with the given buckets created. */
export async function startS3(buckets: readonly string[]): Promise<S3Peer> {
  const directory = await mkdtemp(join(tmpdir(), "loglake-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
