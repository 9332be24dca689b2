import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { PlannedObject } from "./layout";

const gzipAsync = promisify(gzip);

export interface ObjectWriterOptions {
  s3: S3Client;
  bucket: string;
  /** KMS key for SSE-KMS; without it S3 uses the account's aws/s3 key. */
  kmsKeyId?: string;
  /** gzip level 1-9. */
  gzipLevel: number;
}

/** Writes planned objects as gzip NDJSON with SSE-KMS. Returns the compressed size. */
export async function writeObject(object: PlannedObject, options: ObjectWriterOptions): Promise<number> {
  const lines: Buffer[] = [];
  for (const line of object.lines) lines.push(line, newline);
  // zlib runs on the libuv thread pool, so several objects compress in parallel.
  const body = await gzipAsync(Buffer.concat(lines), { level: options.gzipLevel });
  await options.s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: object.key,
      Body: body,
      // Not Content-Encoding: gzip, which makes some HTTP clients decompress on download.
      ContentType: "application/gzip",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: options.kmsKeyId,
      // One KMS data key per bucket instead of one KMS call per object.
      BucketKeyEnabled: true,
    }),
  );
  return body.length;
}

const newline = Buffer.from("\n");
