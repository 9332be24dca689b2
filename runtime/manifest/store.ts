/**
 * DynamoDB adapter for the tracking table (layout in schema.ts). Every state change is a conditional
 * write, so a re-delivered notification or a second invocation cannot count a file twice or put it
 * into two manifests, whatever the lease does.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { allWithLimit, settleWithLimit } from "./concurrency";
import type { CreatedObject } from "./events";
import {
  arrivalHour,
  datePrefix,
  groupId,
  type ManifestGroup,
  type ManifestReason,
  type ObjectLocation,
  type PendingFile,
  type PlannedManifest,
  type QuarantineReason,
} from "./planner";
import { trackingTableSchema } from "./schema";

export type FileState = "pending" | "claimed" | "manifested" | "quarantined";

/** A file item as stored. */
export interface FileRecord {
  pk: string;
  bucket: string;
  key: string;
  size: number;
  etag?: string;
  createdAt: string;
  recordedAt: string;
  state: FileState;
  /** Index keys; absent for keys outside the lake layout. */
  datePrefix?: string;
  stateKey?: string;
  /** Set only while pending (the waiting index). */
  waitingHour?: string;
  dataset?: string;
  dt?: string;
  hour?: string;
  manifestId?: string;
  manifestReason?: ManifestReason;
  manifestedAt?: string;
  quarantineCode?: QuarantineReason["code"];
  quarantineDetail?: string;
  /** Where the outlier ended up; set once the move is done. */
  quarantineLocation?: string;
  expiresAt?: number;
}

export interface Lease {
  groupId: string;
  owner: string;
  /** Epoch milliseconds after which another invocation may take the lease. */
  leaseUntil: number;
}

export interface TrackingStoreOptions {
  tableName: string;
  /** Seconds a finished item is kept before TTL removes it. */
  retentionSeconds: number;
  /** Concurrent requests when claiming or finishing a manifest's files. */
  concurrency: number;
  now?: () => Date;
}

const filePk = (bucket: string, key: string) => `file#${bucket}/${key}`;
const stateKey = (state: FileState, bucket: string, key: string) => `${state}#${bucket}/${key}`;
const stateNames = { "#state": "state" };

/** TTL removes a lease a day after it ran out, should its holder never have released it. */
const leaseExpiresAt = (lease: Lease) => Math.ceil(lease.leaseUntil / 1000) + 24 * 3600;

/** By name: lib-dynamodb and client-dynamodb may resolve to different copies of the exception class. */
export const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === "ConditionalCheckFailedException";

export class TrackingStore {
  private readonly now: () => Date;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly options: TrackingStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records a reported object once. A re-delivered notification finds the item already there and gets
   * the stored record back with `created: false`, so nothing is counted twice.
   */
  async recordFile(
    object: CreatedObject,
    location: ObjectLocation | undefined,
    quarantine: QuarantineReason | undefined,
  ): Promise<{ created: boolean; record: FileRecord }> {
    const state: FileState = quarantine ? "quarantined" : "pending";
    const record: FileRecord = {
      pk: filePk(object.bucket, object.key),
      bucket: object.bucket,
      key: object.key,
      size: object.size,
      ...(object.etag === undefined ? {} : { etag: object.etag }),
      createdAt: object.createdAt,
      recordedAt: this.now().toISOString(),
      state,
      ...(location && {
        datePrefix: location.datePrefix,
        stateKey: stateKey(state, object.bucket, object.key),
        ...(state === "pending" && { waitingHour: arrivalHour(object.createdAt) }),
        dataset: location.dataset,
        dt: location.dt,
        hour: location.hour,
      }),
      ...(quarantine && { quarantineCode: quarantine.code, quarantineDetail: quarantine.detail }),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: record,
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { created: true, record };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.getFile(object.bucket, object.key);
    if (!existing)
      throw new Error(
        `tracking item for s3://${object.bucket}/${object.key} vanished after a conditional write refused it`,
      );
    return { created: false, record: existing };
  }

  async getFile(bucket: string, key: string): Promise<FileRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.options.tableName, Key: { pk: filePk(bucket, key) }, ConsistentRead: true }),
    );
    return Item as FileRecord | undefined;
  }

  /** Notes where an outlier was moved; from then on TTL may clean the item up. */
  async quarantineDone(record: FileRecord, location: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { pk: record.pk },
        UpdateExpression: "SET quarantineLocation = :location, expiresAt = :expiresAt",
        ConditionExpression: "#state = :quarantined",
        ExpressionAttributeNames: stateNames,
        ExpressionAttributeValues: {
          ":location": location,
          ":expiresAt": this.expiresAt(),
          ":quarantined": "quarantined",
        },
      }),
    );
  }

  /** Files of one group in one state, through the by-date index. */
  async filesOf(group: ManifestGroup, state: "pending" | "claimed"): Promise<FileRecord[]> {
    return this.queryByDate(datePrefix(group.dt, group.hour), `${state}#${groupId(group)}`);
  }

  /** Groups with files that started waiting in the given hour (`YYYY-MM-DDTHH`); the flush sweep's input. */
  async groupsWaitingSince(hour: string): Promise<ManifestGroup[]> {
    const index = trackingTableSchema.waitingIndex;
    const groups = new Map<string, ManifestGroup>();
    const items = await this.query({
      IndexName: index.name,
      KeyConditionExpression: "#hour = :hour",
      ExpressionAttributeNames: { "#hour": index.partitionKey },
      ExpressionAttributeValues: { ":hour": hour },
    });
    for (const item of items) {
      const group = { bucket: item.bucket, dataset: item.dataset!, dt: item.dt!, hour: item.hour! };
      groups.set(groupId(group), group);
    }
    return [...groups.values()];
  }

  private queryByDate(hourPrefix: string, stateKeyPrefix: string): Promise<FileRecord[]> {
    const index = trackingTableSchema.byDateIndex;
    return this.query({
      IndexName: index.name,
      KeyConditionExpression: "#date = :date AND begins_with(#stateKey, :prefix)",
      ExpressionAttributeNames: { "#date": index.partitionKey, "#stateKey": index.sortKey },
      ExpressionAttributeValues: { ":date": hourPrefix, ":prefix": stateKeyPrefix },
    });
  }

  /** Index queries are eventually consistent: a file written a moment ago may be missing or stale. */
  private async query(input: Omit<QueryCommandInput, "TableName">): Promise<FileRecord[]> {
    const items: FileRecord[] = [];
    const pages = paginateQuery({ client: this.doc }, { TableName: this.options.tableName, ...input });
    for await (const page of pages) items.push(...((page.Items ?? []) as FileRecord[]));
    return items;
  }

  /**
   * Claims every file of a planned manifest for it, each with a conditional update that only takes a
   * pending file (or one this manifest already holds, when a retry claims again). If any file belongs
   * elsewhere, the claims made here are undone and the manifest is abandoned: returns false.
   */
  async claim(manifest: PlannedManifest): Promise<boolean> {
    const { bucket } = manifest.group;
    const claims = await settleWithLimit(manifest.files, this.options.concurrency, (file) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: filePk(bucket, file.key) },
          UpdateExpression:
            "SET #state = :claimed, stateKey = :stateKey, manifestId = :id, manifestReason = :reason REMOVE waitingHour",
          ConditionExpression: "#state = :pending OR (#state = :claimed AND manifestId = :id)",
          ExpressionAttributeNames: stateNames,
          ExpressionAttributeValues: {
            ":claimed": "claimed",
            ":pending": "pending",
            ":stateKey": stateKey("claimed", bucket, file.key),
            ":id": manifest.manifestId,
            ":reason": manifest.reason,
          },
        }),
      ),
    );
    const refused = claims.filter((claim) => claim.status === "rejected");
    if (refused.length === 0) return true;
    const unexpected = refused.find((claim) => !isConditionFailure(claim.reason));
    await this.releaseClaims(
      manifest,
      manifest.files.filter((_, i) => claims[i].status === "fulfilled"),
    );
    if (unexpected) throw unexpected.reason;
    return false;
  }

  private async releaseClaims(manifest: PlannedManifest, files: readonly PendingFile[]): Promise<void> {
    const { bucket } = manifest.group;
    await allWithLimit(files, this.options.concurrency, ({ key, createdAt }) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: filePk(bucket, key) },
          UpdateExpression:
            "SET #state = :pending, stateKey = :stateKey, waitingHour = :waitingHour REMOVE manifestId, manifestReason",
          ConditionExpression: "#state = :claimed AND manifestId = :id",
          ExpressionAttributeNames: stateNames,
          ExpressionAttributeValues: {
            ":pending": "pending",
            ":claimed": "claimed",
            ":stateKey": stateKey("pending", bucket, key),
            ":waitingHour": arrivalHour(createdAt),
            ":id": manifest.manifestId,
          },
        }),
      ),
    );
  }

  /** Marks a published manifest's files as done; conditional on this manifest holding them. */
  async markManifested(manifest: PlannedManifest): Promise<void> {
    const { bucket } = manifest.group;
    const manifestedAt = this.now().toISOString();
    await allWithLimit(manifest.files, this.options.concurrency, (file) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: filePk(bucket, file.key) },
          UpdateExpression:
            "SET #state = :manifested, stateKey = :stateKey, manifestedAt = :at, expiresAt = :expiresAt",
          ConditionExpression: "manifestId = :id AND #state IN (:claimed, :manifested)",
          ExpressionAttributeNames: stateNames,
          ExpressionAttributeValues: {
            ":manifested": "manifested",
            ":claimed": "claimed",
            ":stateKey": stateKey("manifested", bucket, file.key),
            ":at": manifestedAt,
            ":expiresAt": this.expiresAt(),
            ":id": manifest.manifestId,
          },
        }),
      ),
    );
  }

  /**
   * Takes the group's lease if nobody holds an unexpired one. `leaseUntil` decides; the TTL attribute
   * only lets DynamoDB delete leases that were never released.
   */
  async acquireLease(group: ManifestGroup, owner: string, seconds: number): Promise<Lease | undefined> {
    const now = this.now().getTime();
    const lease: Lease = { groupId: groupId(group), owner, leaseUntil: now + seconds * 1000 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: `lease#${lease.groupId}`,
            owner,
            leaseUntil: lease.leaseUntil,
            expiresAt: leaseExpiresAt(lease),
          },
          ConditionExpression: "attribute_not_exists(pk) OR leaseUntil < :now",
          ExpressionAttributeValues: { ":now": now },
        }),
      );
      return lease;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Extends a held lease by `seconds` from now; undefined when it expired and was taken over, in which
   * case the caller must stop building.
   */
  async renewLease(lease: Lease, seconds: number): Promise<Lease | undefined> {
    const now = this.now().getTime();
    const renewed: Lease = { ...lease, leaseUntil: now + seconds * 1000 };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: `lease#${lease.groupId}` },
          UpdateExpression: "SET leaseUntil = :until, expiresAt = :expiresAt",
          ConditionExpression: "#owner = :owner AND leaseUntil >= :now",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: {
            ":until": renewed.leaseUntil,
            ":expiresAt": leaseExpiresAt(renewed),
            ":owner": lease.owner,
            ":now": now,
          },
        }),
      );
      return renewed;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Gives the lease back early; does nothing if it expired and someone else took it. */
  async releaseLease(lease: Lease): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { pk: `lease#${lease.groupId}` },
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": lease.owner },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private expiresAt(): number {
    return Math.ceil(this.now().getTime() / 1000) + this.options.retentionSeconds;
  }
}
