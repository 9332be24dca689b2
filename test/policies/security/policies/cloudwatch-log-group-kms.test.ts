import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("cloudwatch-log-group-kms", {
  compliant: {
    "a log group under a customer key": one("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      kmsKeyId: KEY_ARN,
      retentionInDays: 30,
    }),
  },
  violations: {
    "a log group without a key": {
      resources: one("aws:cloudwatch/logGroup:LogGroup", "flow-logs", { retentionInDays: 30 }),
      offender: "flow-logs",
    },
  },
});
