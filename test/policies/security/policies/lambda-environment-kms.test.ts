import { policyCases } from "../../support";
import { KEY_ARN, one } from "../support";

policyCases("lambda-environment-kms", {
  compliant: {
    "environment variables under a customer key": one("aws:lambda/function:Function", "manifest-builder", {
      environment: { variables: { TABLE: "t" } },
      kmsKeyArn: KEY_ARN,
    }),
    "no environment variables": one("aws:lambda/function:Function", "manifest-builder", {}),
  },
  violations: {
    "environment variables under the default key": {
      resources: one("aws:lambda/function:Function", "manifest-builder", {
        environment: { variables: { TABLE: "t" } },
      }),
      offender: "manifest-builder",
    },
  },
});
