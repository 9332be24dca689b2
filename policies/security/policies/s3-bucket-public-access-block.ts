import { isTrue, known, stackPolicy } from "../lib/define";
import { bucketsWith } from "../lib/s3";
import { S3_PUBLIC_ACCESS_BLOCK } from "../lib/types";

const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketPublicAccessBlock = stackPolicy({
  name: "s3-bucket-public-access-block",
  description: "Every S3 bucket has a public access block with all four settings on.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const { bucket, companions } of bucketsWith(resources, S3_PUBLIC_ACCESS_BLOCK)) {
      const fix = `add an aws.s3.BucketPublicAccessBlock for this bucket with ${SETTINGS.map((s) => `${s}: true`).join(", ")}.`;
      if (companions.length === 0) {
        report(bucket, "has no public access block.", fix);
        continue;
      }
      // A value not known yet (preview) is not a finding.
      const off = SETTINGS.filter((s) => companions.every((c) => known(() => !isTrue(c.props[s])) ?? false));
      if (off.length > 0) report(bucket, `has a public access block with ${off.join(", ")} not true.`, fix);
    }
  },
});
