import { kmsKeyPolicy } from "../lib/kms";
import { SQS_QUEUE } from "../lib/types";

export const sqsQueueKms = kmsKeyPolicy({
  name: "sqs-queue-kms",
  service: "SQS queues",
  type: SQS_QUEUE,
  keyInput: "kmsMasterKeyId",
  awsManagedAlias: "alias/aws/sqs",
});
