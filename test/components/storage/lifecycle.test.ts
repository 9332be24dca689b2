import * as assert from "node:assert/strict";
import { BucketLifecycle, lifecycleProblems, StorageClass, Transition } from "../../../components/storage/lifecycle";
import { environments } from "../../../infra/settings/common";
import { lakeDefaults } from "../../../infra/settings/lake";

const at = (days: number, storageClass: StorageClass): Transition => ({ days, storageClass });

/** A lifecycle S3 accepts; each test breaks one thing. */
const valid: BucketLifecycle = {
  transitions: [at(30, "STANDARD_IA"), at(90, "GLACIER_IR"), at(180, "DEEP_ARCHIVE")],
  expirationDays: 365,
  noncurrentTransitions: [at(30, "STANDARD_IA")],
  noncurrentExpirationDays: 60,
};

const intelligentlyTiered: BucketLifecycle = {
  transitions: [at(0, "INTELLIGENT_TIERING")],
  noncurrentTransitions: [],
  noncurrentExpirationDays: 30,
  intelligentTieringArchive: { archiveAccessDays: 90, deepArchiveAccessDays: 180 },
};

/** Asserts exactly one problem, at `path`, whose message matches. */
function refused(lifecycle: BucketLifecycle, path: (string | number)[], message: RegExp) {
  const problems = lifecycleProblems(lifecycle);
  assert.equal(problems.length, 1, `expected one problem, got ${JSON.stringify(problems, null, 2)}`);
  assert.deepEqual(problems[0].path, path, `problem reported at the wrong path: ${problems[0].message}`);
  assert.match(problems[0].message, message);
}

function accepted(lifecycle: BucketLifecycle) {
  assert.deepEqual(lifecycleProblems(lifecycle), [], `S3 accepts this lifecycle: ${JSON.stringify(lifecycle)}`);
}

describe("S3 lifecycle rules", () => {
  describe("accepted lifecycles", () => {
    it("accepts the Standard → STANDARD_IA → GLACIER_IR → DEEP_ARCHIVE waterfall", () => accepted(valid));

    it("accepts INTELLIGENT_TIERING from day 0 with both archive tiers", () => accepted(intelligentlyTiered));

    it("accepts every downward step of the waterfall S3 documents", () => {
      const steps: [StorageClass, StorageClass][] = [
        ["STANDARD_IA", "INTELLIGENT_TIERING"],
        ["STANDARD_IA", "ONEZONE_IA"],
        ["STANDARD_IA", "GLACIER_IR"],
        ["INTELLIGENT_TIERING", "ONEZONE_IA"],
        ["INTELLIGENT_TIERING", "GLACIER_IR"],
        ["INTELLIGENT_TIERING", "GLACIER"],
        ["ONEZONE_IA", "GLACIER"],
        ["ONEZONE_IA", "DEEP_ARCHIVE"],
        ["GLACIER_IR", "GLACIER"],
        ["GLACIER_IR", "DEEP_ARCHIVE"],
        ["GLACIER", "DEEP_ARCHIVE"],
      ];
      for (const [from, to] of steps) {
        accepted({ ...valid, transitions: [at(30, from), at(60, to)], expirationDays: 90 });
      }
    });

    it("accepts a lifecycle that keeps current versions forever and never transitions", () =>
      accepted({ transitions: [], noncurrentTransitions: [], noncurrentExpirationDays: 1 }));

    for (const environment of environments) {
      it(`accepts every bucket's default lifecycle in ${environment}`, () => {
        const buckets = (lakeDefaults[environment] as { buckets: Record<string, BucketLifecycle> }).buckets;
        for (const [bucket, lifecycle] of Object.entries(buckets)) {
          assert.deepEqual(lifecycleProblems(lifecycle), [], `${environment} ${bucket}`);
        }
      });
    }
  });

  describe("the storage-class waterfall", () => {
    it("refuses INTELLIGENT_TIERING → STANDARD_IA", () =>
      refused(
        { ...valid, transitions: [at(0, "INTELLIGENT_TIERING"), at(30, "STANDARD_IA")], expirationDays: 90 },
        ["transitions", 1],
        /^S3 refuses transitions from INTELLIGENT_TIERING to STANDARD_IA/,
      ));

    for (const to of ["INTELLIGENT_TIERING", "STANDARD_IA", "GLACIER_IR"] as const) {
      it(`refuses ONEZONE_IA → ${to}`, () =>
        refused(
          { ...valid, transitions: [at(30, "ONEZONE_IA"), at(60, to)], expirationDays: 90 },
          ["transitions", 1],
          new RegExp(`^S3 refuses transitions from ONEZONE_IA to ${to}`),
        ));
    }

    it("refuses moving back up from an archive class (GLACIER → GLACIER_IR)", () =>
      refused(
        { ...valid, transitions: [at(0, "GLACIER"), at(90, "GLACIER_IR")] },
        ["transitions", 1],
        /from GLACIER to GLACIER_IR/,
      ));

    it("refuses any transition out of DEEP_ARCHIVE, saying nothing leaves it", () =>
      refused(
        { ...valid, transitions: [at(0, "DEEP_ARCHIVE"), at(200, "GLACIER")] },
        ["transitions", 1],
        /can only move to nothing/,
      ));

    it("refuses two transitions to the same storage class", () =>
      refused(
        { ...valid, transitions: [at(0, "GLACIER"), at(90, "GLACIER")] },
        ["transitions", 1],
        /two transitions to GLACIER/,
      ));

    it("applies the same waterfall to noncurrent versions", () =>
      refused(
        { ...valid, noncurrentTransitions: [at(0, "INTELLIGENT_TIERING"), at(30, "STANDARD_IA")] },
        ["noncurrentTransitions", 1],
        /from INTELLIGENT_TIERING to STANDARD_IA/,
      ));
  });

  describe("days", () => {
    for (const storageClass of ["STANDARD_IA", "ONEZONE_IA"] as const) {
      it(`refuses ${storageClass} before day 30`, () =>
        refused(
          { ...valid, transitions: [at(29, storageClass)] },
          ["transitions", 0],
          new RegExp(`^S3 refuses transitions to ${storageClass} before day 30 \\(got day 29\\)`),
        ));

      it(`refuses noncurrent versions in ${storageClass} before they are 30 days noncurrent`, () =>
        refused(
          { ...valid, noncurrentTransitions: [at(10, storageClass)] },
          ["noncurrentTransitions", 0],
          new RegExp(`^S3 refuses transitions to ${storageClass} before noncurrent day 30`),
        ));
    }

    it("accepts STANDARD_IA on day 30 exactly", () => accepted({ ...valid, transitions: [at(30, "STANDARD_IA")] }));

    it("refuses transitions that are not in increasing days", () =>
      refused(
        { ...valid, transitions: [at(0, "GLACIER_IR"), at(0, "DEEP_ARCHIVE")] },
        ["transitions", 1],
        /^S3 refuses transitions out of order: DEEP_ARCHIVE at day 0 must come after GLACIER_IR at day 0/,
      ));

    it("refuses a transition less than 30 days after STANDARD_IA (S3's 'must be 30 days more')", () =>
      refused(
        { ...valid, transitions: [at(30, "STANDARD_IA"), at(59, "GLACIER")] },
        ["transitions", 1],
        /^S3 refuses a transition less than 30 days after one to STANDARD_IA: GLACIER at day 59 must be at least day 60/,
      ));

    it("refuses INTELLIGENT_TIERING less than 30 days after STANDARD_IA", () =>
      refused(
        { ...valid, transitions: [at(30, "STANDARD_IA"), at(45, "INTELLIGENT_TIERING")], expirationDays: 90 },
        ["transitions", 1],
        /less than 30 days after one to STANDARD_IA/,
      ));

    it("refuses a noncurrent transition less than 30 days after ONEZONE_IA", () =>
      refused(
        {
          ...valid,
          noncurrentTransitions: [at(30, "ONEZONE_IA"), at(40, "DEEP_ARCHIVE")],
          noncurrentExpirationDays: 200,
        },
        ["noncurrentTransitions", 1],
        /less than 30 days after one to ONEZONE_IA: DEEP_ARCHIVE at noncurrent day 40 must be at least noncurrent day 60/,
      ));

    it("refuses negative and fractional days", () => {
      refused(
        { ...valid, transitions: [at(-1, "GLACIER")] },
        ["transitions", 0],
        /whole number of 0 or more \(got -1\)/,
      );
      refused(
        { ...valid, transitions: [at(1.5, "GLACIER")] },
        ["transitions", 0],
        /whole number of 0 or more \(got 1.5\)/,
      );
      refused({ ...valid, expirationDays: 0 }, ["expirationDays"], /whole number of 1 or more \(got 0\)/);
    });
  });

  describe("expiration", () => {
    it("refuses an expiration on or before the last transition", () =>
      refused(
        { ...valid, expirationDays: 180 },
        ["expirationDays"],
        /^S3 refuses an expiration on or before the last transition: day 180 must be after DEEP_ARCHIVE at day 180/,
      ));

    it("refuses a noncurrent expiration on or before the last noncurrent transition", () =>
      refused(
        { ...valid, noncurrentExpirationDays: 30 },
        ["noncurrentExpirationDays"],
        /^S3 refuses an expiration on or before the last transition: noncurrent day 30 must be after STANDARD_IA at noncurrent day 30/,
      ));
  });

  describe("Intelligent-Tiering archive tiers", () => {
    const archive = (tiers: BucketLifecycle["intelligentTieringArchive"]) => ({
      ...intelligentlyTiered,
      intelligentTieringArchive: tiers,
    });

    it("accepts each archive tier on its own, at the ends of its range", () => {
      accepted(archive({ archiveAccessDays: 90 }));
      accepted(archive({ archiveAccessDays: 730 }));
      accepted(archive({ deepArchiveAccessDays: 180 }));
      accepted(archive({ deepArchiveAccessDays: 730 }));
    });

    it("refuses ARCHIVE_ACCESS outside 90 to 730 days", () => {
      refused(
        archive({ archiveAccessDays: 89 }),
        ["intelligentTieringArchive", "archiveAccessDays"],
        /^S3 refuses ARCHIVE_ACCESS outside 90 to 730 days without access \(got 89\)/,
      );
      refused(
        archive({ archiveAccessDays: 731 }),
        ["intelligentTieringArchive", "archiveAccessDays"],
        /ARCHIVE_ACCESS outside 90 to 730 days .*got 731/,
      );
    });

    it("refuses DEEP_ARCHIVE_ACCESS outside 180 to 730 days", () => {
      refused(
        archive({ deepArchiveAccessDays: 179 }),
        ["intelligentTieringArchive", "deepArchiveAccessDays"],
        /^S3 refuses DEEP_ARCHIVE_ACCESS outside 180 to 730 days/,
      );
      refused(
        archive({ deepArchiveAccessDays: 731 }),
        ["intelligentTieringArchive", "deepArchiveAccessDays"],
        /DEEP_ARCHIVE_ACCESS outside 180 to 730 days .*got 731/,
      );
    });

    it("refuses DEEP_ARCHIVE_ACCESS at or before ARCHIVE_ACCESS", () =>
      refused(
        archive({ archiveAccessDays: 400, deepArchiveAccessDays: 400 }),
        ["intelligentTieringArchive", "deepArchiveAccessDays"],
        /^S3 refuses DEEP_ARCHIVE_ACCESS at or before ARCHIVE_ACCESS: 400 days must be more than 400/,
      ));

    it("refuses a configuration with no tier at all", () =>
      refused(
        archive({}),
        ["intelligentTieringArchive"],
        /without a tier: set archiveAccessDays, deepArchiveAccessDays or both/,
      ));

    it("refuses archive tiers when no version ever reaches INTELLIGENT_TIERING", () =>
      refused(
        { ...valid, intelligentTieringArchive: { archiveAccessDays: 90 } },
        ["intelligentTieringArchive"],
        /only act on objects in INTELLIGENT_TIERING, and this lifecycle never moves objects there/,
      ));

    it("accepts archive tiers when only noncurrent versions reach INTELLIGENT_TIERING", () =>
      accepted({
        ...valid,
        noncurrentTransitions: [at(0, "INTELLIGENT_TIERING")],
        intelligentTieringArchive: { archiveAccessDays: 90 },
      }));
  });

  it("reports every problem of a lifecycle at once", () => {
    const problems = lifecycleProblems({
      transitions: [at(10, "STANDARD_IA")],
      expirationDays: 5,
      noncurrentTransitions: [at(5, "ONEZONE_IA")],
      noncurrentExpirationDays: 1,
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      [["transitions", 0], ["expirationDays"], ["noncurrentTransitions", 0], ["noncurrentExpirationDays"]],
    );
  });
});
