/**
 * Ties the planning core to the adapters: records reported objects, quarantines outliers, and builds
 * a group's manifests under its lease.
 */
import { randomUUID } from "node:crypto";
import type { ManifestBuilderConfig } from "./config";
import { settleWithLimit } from "./concurrency";
import type { CreatedObject } from "./events";
import type { LakeObjects } from "./objects";
import {
  checkSize,
  groupId,
  groupOf,
  hoursDueForFlush,
  manifestDocument,
  manifestFor,
  manifestObjectKey,
  parseObjectKey,
  planManifests,
  unknownLayout,
  type ManifestGroup,
  type ManifestLimits,
  type PlannedManifest,
} from "./planner";
import type { ManifestAnnouncement, ManifestQueue } from "./queue";
import type { FileRecord, TrackingStore } from "./store";

export interface ManifestBuilderDeps {
  config: ManifestBuilderConfig;
  store: TrackingStore;
  objects: LakeObjects;
  queue: ManifestQueue;
  now?: () => Date;
}

export type RecordOutcome =
  { status: "recorded" | "duplicate"; group: ManifestGroup } | { status: "quarantined" | "duplicate-quarantined" };

export interface GroupOutcome {
  group: ManifestGroup;
  /** Another invocation holds the group's lease; it will build the manifests. */
  leaseBusy: boolean;
  published: ManifestAnnouncement[];
  /** Planned manifests given up because a file was claimed elsewhere (seen through a stale index). */
  abandoned: number;
}

/**
 * Rounds of plan-and-publish per lease. After a round the group is read again so that files recorded
 * meanwhile by invocations that found the lease taken are not left waiting for the next flush.
 */
const MAX_ROUNDS = 5;

export class ManifestBuilder {
  private readonly now: () => Date;
  private readonly limits: ManifestLimits;

  constructor(private readonly deps: ManifestBuilderDeps) {
    this.now = deps.now ?? (() => new Date());
    const { config } = deps;
    this.limits = {
      maxFiles: config.maxFilesPerManifest,
      maxBytes: config.maxManifestBytes,
      flushAfterMs: config.flushAfterSeconds * 1000,
    };
  }

  get config(): ManifestBuilderConfig {
    return this.deps.config;
  }

  /** Records one reported object; outliers are moved to quarantine before this returns. */
  async recordObject(object: CreatedObject): Promise<RecordOutcome> {
    const { config, store, objects } = this.deps;
    const location = parseObjectKey(object.key);
    const outlier = location
      ? checkSize(object.size, { expectedBytes: config.expectedFileBytes, tolerance: config.sizeTolerance })
      : unknownLayout(object.key);
    const { created, record } = await store.recordFile(object, location, outlier);
    if (record.state === "quarantined") {
      // Also reached by a re-delivery after a crash between recording and moving: finish the move.
      if (record.quarantineLocation === undefined) {
        const reason = { code: record.quarantineCode!, detail: record.quarantineDetail! };
        await store.quarantineDone(record, await objects.quarantine(record, reason));
      }
      return { status: created ? "quarantined" : "duplicate-quarantined" };
    }
    return { status: created ? "recorded" : "duplicate", group: groupOf(record.bucket, location!) };
  }

  /**
   * Builds every manifest that is due in a group, if this invocation gets the group's lease. Claims
   * are conditional, so even an expired lease cannot put a file into two manifests.
   */
  async buildGroup(group: ManifestGroup): Promise<GroupOutcome> {
    const { config, store } = this.deps;
    const outcome: GroupOutcome = { group, leaseBusy: false, published: [], abandoned: 0 };
    let lease = await store.acquireLease(group, randomUUID(), config.leaseSeconds);
    if (!lease) return { ...outcome, leaseBusy: true };
    try {
      for (const manifest of await this.unfinishedManifests(group)) {
        outcome.published.push(await this.publish(manifest));
      }
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const pending = await store.filesOf(group, "pending");
        const planned = planManifests(group, pending, this.limits, this.now());
        if (planned.length === 0) break;
        for (const manifest of planned) {
          // Renewed per manifest so a long build never outlives its lease; lost means taken over: stop.
          const renewed = await store.renewLease(lease, config.leaseSeconds);
          if (!renewed) return outcome;
          lease = renewed;
          if (await store.claim(manifest)) outcome.published.push(await this.publish(manifest));
          else outcome.abandoned++;
        }
        if (outcome.abandoned > 0) break;
      }
      return outcome;
    } finally {
      await store.releaseLease(lease);
    }
  }

  /**
   * Manifests an earlier invocation claimed files for but did not finish (it crashed or timed out).
   * They keep the id their files were claimed with, so they are written to the same key as before.
   */
  private async unfinishedManifests(group: ManifestGroup): Promise<PlannedManifest[]> {
    const byId = new Map<string, FileRecord[]>();
    for (const file of await this.deps.store.filesOf(group, "claimed")) {
      byId.set(file.manifestId!, [...(byId.get(file.manifestId!) ?? []), file]);
    }
    return [...byId].map(([id, files]) => ({ ...manifestFor(group, files, files[0].manifestReason!), manifestId: id }));
  }

  /** Writes the document, announces it, then marks its files; each step is safe to repeat. */
  private async publish(manifest: PlannedManifest): Promise<ManifestAnnouncement> {
    const { config, objects, queue, store } = this.deps;
    const key = manifestObjectKey(config.manifestPrefix, manifest);
    await objects.putManifest(key, manifestDocument(manifest));
    const announcement = await queue.announce(manifest, config.manifestBucket, key);
    await store.markManifested(manifest);
    return announcement;
  }

  /**
   * The scheduled flush: builds every group with a file that has waited longer than the flush
   * interval, as far back as the lookback. Throws after trying them all if any group failed.
   */
  async flush(): Promise<GroupOutcome[]> {
    const { config, store } = this.deps;
    const groups = new Map<string, ManifestGroup>();
    for (const hour of hoursDueForFlush(this.now(), this.limits.flushAfterMs, config.flushLookbackHours)) {
      for (const group of await store.groupsWaitingSince(hour)) groups.set(groupId(group), group);
    }
    const results = await settleWithLimit([...groups.values()], 4, (group) => this.buildGroup(group));
    const failures = results.filter((result) => result.status === "rejected").map((result) => result.reason);
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} of ${groups.size} groups failed to flush`);
    return results.map((result) => (result as PromiseFulfilledResult<GroupOutcome>).value);
  }
}
