import { policyCases } from "../../support";
import { compliant, lifecycle, without } from "../support";

policyCases("s3-bucket-lifecycle", {
  compliant: {
    "a versioned bucket aborting uploads and expiring noncurrent versions": compliant("logs"),
    "an unversioned bucket aborting uploads": [
      ...compliant("logs", ["versioning", "lifecycle"]),
      lifecycle("logs", { noncurrentVersionExpiration: undefined }),
    ],
  },
  violations: {
    "a bucket without a lifecycle": {
      resources: without("lifecycle"),
      offender: "logs",
      says: /no enabled lifecycle rule/,
    },
    "a disabled rule": {
      resources: without("lifecycle", lifecycle("logs", { status: "Disabled" })),
      offender: "logs",
      says: /no enabled lifecycle rule/,
    },
    "a versioned bucket that keeps noncurrent versions forever": {
      resources: without("lifecycle", lifecycle("logs", { noncurrentVersionExpiration: undefined })),
      offender: "logs",
      says: /expire noncurrent versions/,
    },
    "a rule that leaves incomplete multipart uploads": {
      resources: without("lifecycle", lifecycle("logs", { abortIncompleteMultipartUpload: undefined })),
      offender: "logs",
      says: /abort incomplete multipart uploads/,
    },
  },
});
