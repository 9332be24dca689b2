import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("dynamodb-table-kms", {
  compliant: {
    "a table under a customer key": one("aws:dynamodb/table:Table", "offsets", {
      serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
    }),
  },
  violations: {
    "the default AWS-owned key": { resources: one("aws:dynamodb/table:Table", "offsets", {}), offender: "offsets" },
    "the AWS-managed key (enabled without kmsKeyArn)": {
      resources: one("aws:dynamodb/table:Table", "offsets", { serverSideEncryption: { enabled: true } }),
      offender: "offsets",
    },
  },
});
