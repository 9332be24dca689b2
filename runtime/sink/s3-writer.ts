import { HeadBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
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

/**
 * Fails with one clear message when the bucket is missing or not ours to use, before anything is
 * consumed. (Write permission itself shows only at the first write: every probe that proves it
 * would leave an object, or an upload, behind.)
 */
export async function checkBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const why =
      status === 404
        ? "does not exist"
        : status === 403
          ? "is not accessible with these credentials (403)"
          : `cannot be reached: ${(error as Error).name}: ${(error as Error).message}`;
    throw new Error(`sink: bucket ${bucket} ${why}`, { cause: error });
  }
}
