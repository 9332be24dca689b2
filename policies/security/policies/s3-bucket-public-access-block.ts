import { PolicyResource } from "@pulumi/policy";
import { isTrue, known, stackPolicy } from "../lib/define";
import { bucketsWith } from "../lib/s3";
import { S3_PUBLIC_ACCESS_BLOCK } from "../lib/types";

const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** The settings of a public access block that are off; a value not known yet (preview) is not a finding. */
const settingsOff = (block: PolicyResource) => SETTINGS.filter((s) => known(() => !isTrue(block.props[s])) ?? false);

export const s3BucketPublicAccessBlock = stackPolicy({
  name: "s3-bucket-public-access-block",
  description:
    "Every S3 bucket has a public access block with all four settings on, and no public access block (joined to a bucket of the stack or not) turns one off.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    // A block on its own (its bucket made elsewhere, or not joined to one) is judged by itself.
    for (const block of resources.filter((r) => S3_PUBLIC_ACCESS_BLOCK.includes(r.type))) {
      const off = settingsOff(block);
      if (off.length > 0) {
        report(
          block,
          `turns ${off.join(", ")} off, so its bucket can be made public.`,
          `set ${SETTINGS.map((s) => `${s}: true`).join(", ")}.`,
        );
      }
    }
    for (const { bucket, companions } of bucketsWith(resources, S3_PUBLIC_ACCESS_BLOCK)) {
      const fix = `add an aws.s3.BucketPublicAccessBlock for this bucket with ${SETTINGS.map((s) => `${s}: true`).join(", ")}.`;
      if (companions.length === 0) {
        report(bucket, "has no public access block.", fix);
        continue;
      }
      const off = SETTINGS.filter((s) => companions.every((c) => settingsOff(c).includes(s)));
      if (off.length > 0) report(bucket, `has a public access block with ${off.join(", ")} not true.`, fix);
    }
  },
});
