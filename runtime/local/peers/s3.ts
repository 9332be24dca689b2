import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, type TransformCallback } from "node:stream";

// s3rver ships no type declarations; this is the part of its API used here.
interface S3rverInstance extends EventEmitter {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
}) => S3rverInstance;

/**
 * The environment an AWS SDK or S3A client needs to talk to s3rver: it accepts only these
 * credentials, which open nothing but the loopback server.
 */
export const s3rverEnvironment = {
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_REGION: "us-east-1",
} as const;

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
  /**
   * Calls `listener` with the S3 event notification document (`{ Records: [...] }`) the server
   * writes for every object it creates or deletes, as S3 sends it to a notification queue.
   * In-process servers only.
   */
  onNotification?(listener: (notification: unknown) => void): void;
}

export interface StartS3Options {
  /**
   * Run s3rver in a child process. Benchmarks want this: in-process, s3rver answers only when the
   * code under test yields the event loop. Default: in this process (faster to start).
   */
  ownProcess?: boolean;
  /**
   * Folder that keeps the objects, kept on stop (`loglake local --dir`). Default: a temporary folder,
   * removed on stop. In-process servers only.
   */
  directory?: string;
}

export async function startS3(options: StartS3Options = {}): Promise<LocalS3> {
  return options.ownProcess ? startInChildProcess() : startInProcess(options.directory);
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

interface UploadContext {
  req: NodeJS.ReadableStream;
  request: { headers: Record<string, string | string[] | undefined> };
}

/**
 * The AWS SDK for Java v1 (Hadoop S3A's) signs uploads over plain HTTP in chunks: the body is
 * `aws-chunked`, `<hex size>;chunk-signature=<sig>\r\n<bytes>\r\n` ... `0;chunk-signature=<sig>\r\n\r\n`,
 * and S3 stores only the bytes. s3rver stores the framing, so every object S3A writes would be
 * corrupt. The request's seed signature is still checked by s3rver; the chunk signatures are not.
 */
class AwsChunkedDecoder extends Transform {
  private pending = Buffer.alloc(0);
  /** Bytes of the current chunk's data still to pass on, then its trailing CRLF. */
  private remaining = 0;
  private inData = false;
  /** After the last (empty) chunk come only trailers (`x-amz-checksum-…`), which are not the object's. */
  private ended = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.ended) return done();
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length > 0) {
      if (this.inData) {
        if (this.remaining > 0) {
          const take = Math.min(this.remaining, this.pending.length);
          this.push(this.pending.subarray(0, take));
          this.pending = this.pending.subarray(take);
          this.remaining -= take;
          continue;
        }
        if (this.pending.length < 2) break;
        this.pending = this.pending.subarray(2);
        this.inData = false;
        continue;
      }
      const end = this.pending.indexOf("\r\n");
      if (end === -1) break;
      const size = parseInt(this.pending.subarray(0, end).toString("latin1").split(";")[0], 16);
      if (Number.isNaN(size)) return done(new Error("aws-chunked body: chunk header without a size"));
      this.pending = this.pending.subarray(end + 2);
      this.remaining = size;
      this.inData = size > 0;
      if (size === 0) {
        this.ended = true;
        this.pending = Buffer.alloc(0);
      }
    }
    done();
  }
}

function decodeAwsChunkedLikeS3(): void {
  type Upload = (ctx: UploadContext) => unknown;
  type ObjectController = { putObject: Upload; uploadPart: Upload; chunkedLikeS3?: boolean };
  const objects = require("s3rver/lib/controllers/object") as ObjectController;
  if (objects.chunkedLikeS3) return;
  const decoding =
    (upload: Upload): Upload =>
    (ctx) => {
      const headers = ctx.request.headers;
      if (String(headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-")) {
        const request = ctx.req as NodeJS.ReadableStream & { destroy(error: Error): void };
        const decoder = new AwsChunkedDecoder();
        // A malformed body fails its request (the client sees the connection close), not the server.
        decoder.once("error", (error) => request.destroy(error));
        ctx.req = request.pipe(decoder);
        // S3 keeps neither the transfer encoding nor the framed length as the object's metadata.
        const encodings = String(headers["content-encoding"] ?? "")
          .split(",")
          .map((value) => value.trim())
          .filter((value) => value !== "" && value !== "aws-chunked");
        if (encodings.length > 0) headers["content-encoding"] = encodings.join(",");
        else delete headers["content-encoding"];
      }
      return upload(ctx);
    };
  objects.putObject = decoding(objects.putObject);
  objects.uploadPart = decoding(objects.uploadPart);
  objects.chunkedLikeS3 = true;
}

interface S3EventDocument {
  Records: { s3: { object: { key: string } } }[];
}

/**
 * S3 URL-encodes the key in an event notification like a form (`+` for a space, `%2B` for `+`,
 * `/` kept); s3rver sends it as is, so a key with `+` (every key the lake writer makes) would
 * decode to one with spaces.
 */
function encodeKeysLikeS3(event: S3EventDocument): S3EventDocument {
  for (const record of event.Records) {
    const object = record.s3.object;
    object.key = encodeURIComponent(object.key).replace(/%2F/g, "/").replace(/%20/g, "+");
  }
  return event;
}

async function startInProcess(keep?: string): Promise<LocalS3> {
  decodeCopySourceLikeS3();
  decodeAwsChunkedLikeS3();
  const S3rver: S3rverConstructor = require("s3rver");
  const directory = keep ?? (await mkdtemp(join(tmpdir(), "loglake-s3-")));
  if (keep) await mkdir(keep, { recursive: true });
  const notifications = new EventEmitter();
  const started = (port: number) => {
    const created = new S3rver({ address: "127.0.0.1", port, directory, silent: true });
    created.on("event", (event: S3EventDocument) => notifications.emit("notification", encodeKeysLikeS3(event)));
    return created;
  };
  let server: S3rverInstance | undefined = started(0);
  const { port } = await server.run();
  const local = withClients(`http://127.0.0.1:${port}`, async () => {
    await server?.close();
    if (!keep) await rm(directory, { recursive: true, force: true });
  });
  local.onNotification = (listener) => notifications.on("notification", listener);
  local.outage = async () => {
    await server?.close();
    server = undefined;
  };
  local.restore = async () => {
    server ??= started(port);
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
      region: s3rverEnvironment.AWS_REGION,
      forcePathStyle: true,
      credentials: {
        accessKeyId: s3rverEnvironment.AWS_ACCESS_KEY_ID,
        secretAccessKey: s3rverEnvironment.AWS_SECRET_ACCESS_KEY,
      },
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
