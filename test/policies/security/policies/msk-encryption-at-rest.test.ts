import { policyCases } from "../../support";
import { cluster } from "../support";

policyCases("msk-encryption-at-rest", {
  compliant: { "a customer-managed at-rest key": cluster() },
  violations: {
    "no at-rest key (AWS-managed)": {
      resources: cluster({ encryptionInfo: { encryptionAtRestKmsKeyArn: undefined } }),
      offender: "events",
    },
  },
});
