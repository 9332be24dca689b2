import { stackPolicy } from "../lib/define";
import { isVersioned } from "../lib/s3";
import { S3_BUCKET } from "../lib/types";

export const s3BucketVersioning = stackPolicy({
  name: "s3-bucket-versioning",
  description: "Every S3 bucket keeps object versions, so overwritten or deleted log data can be recovered.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    for (const bucket of resources.filter((r) => S3_BUCKET.includes(r.type))) {
      if (!isVersioned(bucket, resources)) {
        report(
          bucket,
          "does not enable versioning.",
          'add an aws.s3.BucketVersioning for this bucket with versioningConfiguration.status "Enabled".',
        );
      }
    }
  },
});
