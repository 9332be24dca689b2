import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { gunzipSync } from "node:zlib";

/** Keys of every object under a prefix. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) keys.push(object.Key!);
  }
  return keys;
}

/** The NDJSON lines of one lake object. */
export async function readObjectLines(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = gunzipSync(await response.Body!.transformToByteArray()).toString("utf8");
  return text.split("\n").filter((line) => line !== "");
}
