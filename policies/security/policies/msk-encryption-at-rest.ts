import { resourcePolicy } from "../lib/define";
import { MSK_CLUSTER } from "../lib/types";

export const mskEncryptionAtRest = resourcePolicy({
  name: "msk-encryption-at-rest",
  description: "MSK clusters encrypt broker storage with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  types: [MSK_CLUSTER],
  check: (props, report) => {
    if (!props.encryptionInfo?.encryptionAtRestKmsKeyArn) {
      report(
        "encrypts broker storage with the AWS-managed key.",
        "set encryptionInfo.encryptionAtRestKmsKeyArn to a customer-managed key ARN.",
      );
    }
  },
});
