import { known, listOf, stackPolicy } from "../lib/define";
import { bucketsWith, isVersioned } from "../lib/s3";
import { S3_LIFECYCLE } from "../lib/types";

/** The enabled rules of a bucket in one shape: split BucketLifecycleConfiguration rules, or the deprecated inline lifecycleRules. */
interface SplitRule {
  status?: string;
  abortIncompleteMultipartUpload?: { daysAfterInitiation?: number };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}
interface InlineRule {
  enabled?: boolean;
  abortIncompleteMultipartUploadDays?: number;
  noncurrentVersionExpiration?: { days?: number };
}

function enabledRules(inlineRules: unknown, splitRules: unknown[]): { abortDays?: number; noncurrentDays?: number }[] {
  const split = (splitRules as SplitRule[])
    .filter((r) => r.status === "Enabled")
    .map((r) => ({
      abortDays: r.abortIncompleteMultipartUpload?.daysAfterInitiation,
      noncurrentDays: r.noncurrentVersionExpiration?.noncurrentDays,
    }));
  const inline = listOf<InlineRule>(inlineRules)
    .filter((r) => r.enabled === true)
    .map((r) => ({
      abortDays: r.abortIncompleteMultipartUploadDays,
      noncurrentDays: r.noncurrentVersionExpiration?.days,
    }));
  return [...split, ...inline];
}

export const s3BucketLifecycle = stackPolicy({
  name: "s3-bucket-lifecycle",
  description:
    "Every S3 bucket has a lifecycle that aborts incomplete multipart uploads and, when versioned, expires noncurrent versions, so storage does not grow without bound.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const { bucket, companions } of bucketsWith(resources, S3_LIFECYCLE)) {
      const split = companions.map((c) => known(() => listOf(c.props["rules"])));
      const inline = known(() => bucket.props["lifecycleRules"]);
      // Rules not known yet (preview) are not judged.
      if (split.some((rules) => rules === undefined)) continue;
      const rules = enabledRules(inline, split.flat());
      const fix =
        "add an aws.s3.BucketLifecycleConfiguration rule with abortIncompleteMultipartUpload.daysAfterInitiation and noncurrentVersionExpiration.noncurrentDays.";
      if (rules.length === 0) {
        report(bucket, "has no enabled lifecycle rule.", fix);
        continue;
      }
      const missing = [
        ...(rules.some((r) => (r.abortDays ?? 0) > 0) ? [] : ["abort incomplete multipart uploads"]),
        ...(!isVersioned(bucket, resources) || rules.some((r) => (r.noncurrentDays ?? 0) > 0)
          ? []
          : ["expire noncurrent versions"]),
      ];
      if (missing.length > 0) report(bucket, `has lifecycle rules that do not ${missing.join(" or ")}.`, fix);
    }
  },
});
