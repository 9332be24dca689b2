import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("secretsmanager-secret-kms", {
  compliant: {
    "a secret under a customer key": one("aws:secretsmanager/secret:Secret", "metastore-password", {
      kmsKeyId: KEY_ARN,
    }),
  },
  violations: {
    "a secret under the default aws/secretsmanager key": {
      resources: one("aws:secretsmanager/secret:Secret", "metastore-password", {}),
      offender: "metastore-password",
    },
  },
});
