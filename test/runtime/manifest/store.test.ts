/** The tracking store's conditional writes against dynalite. */
import assert from "node:assert/strict";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { manifestFor, parseObjectKey, type ManifestGroup } from "../../../runtime/manifest/planner";
import { createTableInput } from "../../../runtime/manifest/schema";
import { TrackingStore } from "../../../runtime/manifest/store";
import { startDynamo, type DynamoPeer } from "../../../runtime/local/peers/dynamo";

const group: ManifestGroup = { bucket: "raw", dataset: "logs/app", dt: "2026-11-21", hour: "09" };
const keyOf = (i: number) => `logs/app/dt=2026-11-21/hour=09/app-0-${String(i).padStart(6, "0")}.ndjson.gz`;

let dynamo: DynamoPeer;
let tables = 0;

before(async () => {
  dynamo = await startDynamo();
});

after(async () => {
  await dynamo?.stop();
});

async function freshStore() {
  const tableName = `store-${++tables}`;
  await dynamo.createTable(createTableInput(tableName));
  const clock = { now: new Date("2026-11-21T10:00:00Z") };
  const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new TrackingStore(doc, { tableName, retentionSeconds: 3600, concurrency: 8, now: () => clock.now });
  return { store, clock };
}

describe("tracking store (dynalite)", () => {
  it("gives a group's lease to one owner until it runs out, then to the next", async () => {
    const { store, clock } = await freshStore();
    const first = await store.acquireLease(group, "first", 60);
    assert.ok(first, "a free lease is taken");
    assert.equal(await store.acquireLease(group, "second", 60), undefined, "a held lease is refused");

    clock.now = new Date(clock.now.getTime() + 30_000);
    const renewed = await store.renewLease(first, 60);
    assert.ok(renewed, "the holder renews before expiry");
    clock.now = new Date(clock.now.getTime() + 45_000);
    assert.equal(await store.acquireLease(group, "second", 60), undefined, "renewal moved the expiry");

    clock.now = new Date(clock.now.getTime() + 16_000);
    const second = await store.acquireLease(group, "second", 60);
    assert.ok(second, "an expired lease is taken over");
    assert.equal(await store.renewLease(renewed, 60), undefined, "the old holder learns it lost the lease");
    await store.releaseLease(renewed);
    assert.equal(
      await store.acquireLease(group, "third", 60),
      undefined,
      "the old holder cannot release the new lease",
    );
    await store.releaseLease(second);
    assert.ok(await store.acquireLease(group, "third", 60), "a released lease is free");
  });

  it("lets overlapping manifests claim a shared file at most once and gives back a refused manifest's claims", async () => {
    const { store } = await freshStore();
    for (const i of [0, 1, 2, 3, 4, 5]) {
      const object = { bucket: "raw", key: keyOf(i), size: 1000, createdAt: "2026-11-21T09:15:00.000Z" };
      await store.recordFile(object, parseObjectKey(object.key), undefined);
    }
    const pending = await store.filesOf(group, "pending");
    const a = manifestFor(group, pending.slice(0, 4), "file-count");
    const b = manifestFor(group, pending.slice(2, 6), "file-count");
    const claims = await Promise.all([store.claim(a), store.claim(b)]);
    // Both may lose when each takes one of the two shared files first; both can never win.
    const winners = [a, b].filter((_, i) => claims[i]);
    assert.ok(winners.length <= 1, "two manifests claimed the same files");

    const claimed = await store.filesOf(group, "claimed");
    assert.deepEqual(
      claimed.map((file) => file.key).sort(),
      winners.flatMap((m) => m.files.map((f) => f.key)),
    );
    assert.ok(claimed.every((file) => file.manifestId === winners[0]?.manifestId));
    assert.equal((await store.filesOf(group, "pending")).length, 6 - claimed.length, "refused claims are given back");
    assert.ok(
      (await store.filesOf(group, "pending")).every((file) => file.waitingHour === "2026-11-21T09"),
      "given-back files wait again",
    );
  });

  it("claims again idempotently for the same manifest, as a retry does", async () => {
    const { store } = await freshStore();
    const object = { bucket: "raw", key: keyOf(0), size: 1000, createdAt: "2026-11-21T09:15:00.000Z" };
    await store.recordFile(object, parseObjectKey(object.key), undefined);
    const manifest = manifestFor(group, await store.filesOf(group, "pending"), "age-flush");
    assert.equal(await store.claim(manifest), true);
    assert.equal(await store.claim(manifest), true);
    await store.markManifested(manifest);
    await store.markManifested(manifest);
    assert.equal((await store.getFile("raw", keyOf(0)))?.state, "manifested");
    assert.equal(await store.claim(manifest), false, "a manifested file is never claimed again");
  });
});
