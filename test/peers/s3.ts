import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// s3rver ships no type declarations; this is the part of its API used here.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
}) => S3rverInstance;

/** A running s3rver on a loopback port, storing objects in a temporary directory. */
export interface LocalS3 {
  endpoint: string;
  /** A client for this server (path-style, s3rver's fixed credentials). */
  client(): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
  /**
   * Takes the server off the network (connections are refused) until `restore()`, which brings it
   * back on the same port with the same objects. In-process servers only.
   */
  outage?(): Promise<void>;
  restore?(): Promise<void>;
}

export interface StartS3Options {
  /**
   * Run s3rver in a child process. Benchmarks want this: in-process, s3rver answers only when the
   * code under test yields the event loop. Default: in this process (faster to start).
   */
  ownProcess?: boolean;
}

export async function startS3(options: StartS3Options = {}): Promise<LocalS3> {
  return options.ownProcess ? startInChildProcess() : startInProcess();
}

interface CopyContext {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * S3 URL-decodes `x-amz-copy-source` completely; s3rver uses decodeURI, which leaves escapes of
 * reserved characters alone, so a source key with `+` (every key the lake writer makes), sent as
 * `%2B`, is not found. Re-encode the header so that s3rver's decodeURI gives S3's reading. Patched
 * on the controller module, which s3rver's router looks up on every request, after the signature
 * check has read the header as sent.
 */
function decodeCopySourceLikeS3(): void {
  type ObjectController = { putObjectCopy: (ctx: CopyContext) => unknown; likeS3?: boolean };
  const objects = require("s3rver/lib/controllers/object") as ObjectController;
  if (objects.likeS3) return;
  const putObjectCopy = objects.putObjectCopy;
  objects.putObjectCopy = (ctx: CopyContext) => {
    const source = ctx.headers["x-amz-copy-source"];
    if (typeof source === "string") ctx.headers["x-amz-copy-source"] = encodeURI(decodeURIComponent(source));
    return putObjectCopy(ctx);
  };
  objects.likeS3 = true;
}

async function startInProcess(): Promise<LocalS3> {
  decodeCopySourceLikeS3();
  const S3rver: S3rverConstructor = require("s3rver");
  const directory = await mkdtemp(join(tmpdir(), "loglake-s3-"));
  let server: S3rverInstance | undefined = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true });
  const { port } = await server.run();
  const local = withClients(`http://127.0.0.1:${port}`, async () => {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });
  local.outage = async () => {
    await server?.close();
    server = undefined;
  };
  local.restore = async () => {
    server ??= new S3rver({ address: "127.0.0.1", port, directory, silent: true });
    await server.run();
  };
  return local;
}

/** The child prints its endpoint and stops when its stdin closes (also when this process dies). */
async function startInChildProcess(): Promise<LocalS3> {
  const script = `require(${JSON.stringify(__filename)}).startS3().then((s3) => {
    process.stdout.write(s3.endpoint + "\\n");
    process.stdin.on("end", () => s3.stop().then(() => process.exit(0))).resume();
  });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { stdio: ["pipe", "pipe", "ignore"] });
  const exited = once(child, "exit");
  const [line] = (await Promise.race([
    once(child.stdout!, "data"),
    exited.then(() => {
      throw new Error("s3rver process exited before listening");
    }),
  ])) as [Buffer];
  return withClients(line.toString().trim(), async () => {
    child.stdin!.end();
    await exited;
  });
}

function withClients(endpoint: string, stopServer: () => Promise<void>): LocalS3 {
  const clients: S3Client[] = [];
  const client = () => {
    const created = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    clients.push(created);
    return created;
  };
  return {
    endpoint,
    client,
    createBucket: async (name) => {
      await client().send(new CreateBucketCommand({ Bucket: name }));
    },
    stop: async () => {
      for (const created of clients) created.destroy();
      await stopServer();
    },
  };
}
