import { known, stackPolicy } from "../lib/define";
import { bucketsWith } from "../lib/s3";
import { S3_VERSIONING } from "../lib/types";

export const s3BucketVersioning = stackPolicy({
  name: "s3-bucket-versioning",
  description: "Every S3 bucket keeps object versions, so overwritten or deleted log data can be recovered.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const { bucket, companions } of bucketsWith(resources, S3_VERSIONING)) {
      const enabled =
        companions.some((c) => known(() => c.props["versioningConfiguration"]?.status === "Enabled") ?? true) ||
        known(() => bucket.props["versioning"]?.enabled === true);
      if (!enabled) {
        report(bucket, "does not enable versioning.", 'add an aws.s3.BucketVersioning for this bucket with versioningConfiguration.status "Enabled".');
      }
    }
  },
});
