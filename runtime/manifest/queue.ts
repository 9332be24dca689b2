/** SQS adapter: announces each written manifest to the Parquet conversion. */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { groupId, type PlannedManifest } from "./planner";

/** What a consumer receives; `manifestId` is stable, so a repeated announcement can be recognised. */
export interface ManifestAnnouncement {
  manifestId: string;
  manifestUri: string;
  sourceBucket: string;
  dataset: string;
  dt: string;
  hour: string;
  reason: PlannedManifest["reason"];
  fileCount: number;
  totalBytes: number;
}

export class ManifestQueue {
  private readonly fifo: boolean;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.fifo = queueUrl.endsWith(".fifo");
  }

  /**
   * Announcements are at least once: a crash between sending and marking the files sends again. On a
   * FIFO queue the manifest id is the deduplication id, which absorbs repeats within five minutes.
   */
  async announce(manifest: PlannedManifest, manifestBucket: string, objectKey: string): Promise<ManifestAnnouncement> {
    const announcement: ManifestAnnouncement = {
      manifestId: manifest.manifestId,
      manifestUri: `s3://${manifestBucket}/${objectKey}`,
      sourceBucket: manifest.group.bucket,
      dataset: manifest.group.dataset,
      dt: manifest.group.dt,
      hour: manifest.group.hour,
      reason: manifest.reason,
      fileCount: manifest.files.length,
      totalBytes: manifest.totalBytes,
    };
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(announcement),
        ...(this.fifo && {
          // Ordering only matters within a group; the id is cut to SQS's 128-character limit.
          MessageGroupId: groupId(manifest.group).slice(0, 128),
          MessageDeduplicationId: manifest.manifestId,
        }),
      }),
    );
    return announcement;
  }
}
