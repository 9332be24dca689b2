import { policyCases } from "../../support";
import { compliant, publicAccessBlock, without } from "../support";

policyCases("s3-bucket-public-access-block", {
  compliant: { "a bucket with all four blocks on": compliant("logs") },
  violations: {
    "a bucket without a public access block": {
      resources: without("pab"),
      offender: "logs",
      says: /no public access block/,
    },
    "a block with restrictPublicBuckets off": {
      resources: without("pab", publicAccessBlock("logs", ["restrictPublicBuckets"])),
      offender: "logs",
      says: /restrictPublicBuckets/,
    },
  },
});
