import { isTrue, resourcePolicy } from "../lib/define";
import { KMS_KEY } from "../lib/types";

export const kmsKeyRotation = resourcePolicy({
  name: "kms-key-rotation",
  description: "Symmetric encryption KMS keys rotate their key material automatically.",
  enforcementLevel: "mandatory",
  types: [KMS_KEY],
  check: (props, report) => {
    // AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
    const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT" || (props.keyUsage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT") return;
    if (!isTrue(props.enableKeyRotation))
      report("does not rotate its key material.", "set enableKeyRotation: true (optionally rotationPeriodInDays).");
  },
});
