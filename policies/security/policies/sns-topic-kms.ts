import { kmsKeyPolicy } from "../lib/kms";
import { SNS_TOPIC } from "../lib/types";

export const snsTopicKms = kmsKeyPolicy({
  name: "sns-topic-kms",
  service: "SNS topics",
  type: SNS_TOPIC,
  keyInput: "kmsMasterKeyId",
  awsManagedAlias: "alias/aws/sns",
});
