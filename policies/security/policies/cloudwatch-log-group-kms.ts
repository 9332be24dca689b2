import { kmsKeyPolicy } from "../lib/kms";
import { LOG_GROUP } from "../lib/types";

export const cloudwatchLogGroupKms = kmsKeyPolicy({
  name: "cloudwatch-log-group-kms",
  service: "CloudWatch log groups",
  type: LOG_GROUP,
  keyInput: "kmsKeyId",
});
