import { policyCases } from "../../support";
import { compliant, versioning, without } from "../support";

policyCases("s3-bucket-versioning", {
  compliant: { "a versioned bucket": compliant("logs") },
  violations: {
    "a bucket without versioning": { resources: without("versioning"), offender: "logs" },
    "suspended versioning": { resources: without("versioning", versioning("logs", "Suspended")), offender: "logs" },
  },
});
