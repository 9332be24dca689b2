import { policyCases } from "../../support";
import { managed, readLake } from "../support";

policyCases("iam-no-not-action-allow", {
  compliant: { "NotAction in a Deny": managed(readLake, { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }) },
  violations: {
    "Allow with NotAction": {
      resources: managed({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      offender: "ingest",
      says: /NotAction/,
    },
    "Allow with NotResource": {
      resources: managed({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }),
      offender: "ingest",
      says: /NotResource/,
    },
  },
});
