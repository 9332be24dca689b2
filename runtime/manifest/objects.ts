/** S3 adapter: moving outliers to the quarantine bucket and writing manifest documents. */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from "@aws-sdk/client-s3";
import type { QuarantineReason } from "./planner";

/** CopyObject refuses sources above 5 GiB; bigger objects would need a multipart copy. */
export const COPY_OBJECT_LIMIT_BYTES = 5 * 1024 ** 3;

export interface LakeObjectsOptions {
  quarantineBucket: string;
  manifestBucket: string;
  /** Objects above this are tagged where they are instead of moved. Default: CopyObject's limit. */
  maxCopyBytes?: number;
}

/** The tags an outlier carries, so the reason is visible next to the object itself. */
export function quarantineTags(reason: QuarantineReason): Tag[] {
  return [
    { Key: "loglake-quarantine-reason", Value: reason.code },
    { Key: "loglake-quarantine-detail", Value: tagValue(reason.detail) },
  ];
}

/** S3 tag values allow letters, digits, spaces and `+ - = . _ : / @`, up to 256 characters. */
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{N} +\-=._:/@]/gu, "_").slice(0, 256);
}

export class LakeObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly options: LakeObjectsOptions,
  ) {}

  /**
   * Moves an outlier to `<quarantine bucket>/<source bucket>/<key>` (copy, tag, delete) and returns
   * where it is now. Safe to repeat after a crash: when the source is already gone but the copy
   * exists, the move had finished.
   */
  async quarantine(object: { bucket: string; key: string; size: number }, reason: QuarantineReason): Promise<string> {
    const tagging = { TagSet: quarantineTags(reason) };
    if (object.size > (this.options.maxCopyBytes ?? COPY_OBJECT_LIMIT_BYTES)) {
      await this.s3.send(new PutObjectTaggingCommand({ Bucket: object.bucket, Key: object.key, Tagging: tagging }));
      return `s3://${object.bucket}/${object.key} (tagged in place: too large for CopyObject)`;
    }
    const target = { Bucket: this.options.quarantineBucket, Key: `${object.bucket}/${object.key}` };
    try {
      await this.s3.send(new CopyObjectCommand({ ...target, CopySource: copySource(object.bucket, object.key) }));
    } catch (error) {
      if ((error as Error).name !== "NoSuchKey" || !(await this.exists(target))) throw error;
    }
    await this.s3.send(new PutObjectTaggingCommand({ ...target, Tagging: tagging }));
    await this.s3.send(new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key }));
    return `s3://${target.Bucket}/${target.Key}`;
  }

  /** Writes a manifest document; the key is derived from its id, so a retry overwrites the same object. */
  async putManifest(key: string, document: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.options.manifestBucket,
        Key: key,
        Body: JSON.stringify(document),
        ContentType: "application/json",
      }),
    );
  }

  private async exists(target: { Bucket: string; Key: string }): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand(target));
      return true;
    } catch (error) {
      if ((error as Error).name === "NotFound") return false;
      throw error;
    }
  }
}

/**
 * CopySource is `bucket/key`, URL-encoded. encodeURI keeps `/` and `=` (the layout's `dt=`) readable,
 * which S3 accepts and s3rver requires; the characters encodeURI leaves alone but URLs reserve are
 * escaped by hand.
 */
function copySource(bucket: string, key: string): string {
  return encodeURI(`${bucket}/${key}`).replace(
    /[+?#&;,:@$!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
