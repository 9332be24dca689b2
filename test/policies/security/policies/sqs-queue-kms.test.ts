import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("sqs-queue-kms", {
  compliant: { "a queue under a customer key": one("aws:sqs/queue:Queue", "manifests", { kmsMasterKeyId: KEY_ARN }) },
  violations: {
    "SQS-managed SSE": {
      resources: one("aws:sqs/queue:Queue", "manifests", { sqsManagedSseEnabled: true }),
      offender: "manifests",
    },
    "the AWS-managed alias/aws/sqs key": {
      resources: one("aws:sqs/queue:Queue", "manifests", { kmsMasterKeyId: "alias/aws/sqs" }),
      offender: "manifests",
      says: /alias\/aws\/sqs/,
    },
  },
});
