import { policyCases } from "../../support";
import { one } from "../support";

policyCases("kms-key-rotation", {
  compliant: {
    "a rotating symmetric key": one("aws:kms/key:Key", "lake", { enableKeyRotation: true }),
    "an asymmetric signing key (cannot rotate)": one("aws:kms/key:Key", "signing", {
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    }),
  },
  violations: {
    "a symmetric key without rotation": { resources: one("aws:kms/key:Key", "lake", {}), offender: "lake" },
  },
});
