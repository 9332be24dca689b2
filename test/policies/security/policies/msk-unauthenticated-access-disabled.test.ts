import { policyCases } from "../../support";
import { cluster } from "../support";

policyCases("msk-unauthenticated-access-disabled", {
  compliant: {
    "IAM client authentication": cluster(),
    "SCRAM client authentication": cluster({ clientAuthentication: { sasl: { scram: true } } }),
  },
  violations: {
    "unauthenticated access on": {
      resources: cluster({ clientAuthentication: { sasl: { iam: true }, unauthenticated: true } }),
      offender: "events",
      says: /unauthenticated/,
    },
    "no client authentication at all": {
      resources: cluster({ clientAuthentication: {} }),
      offender: "events",
      says: /no client authentication/,
    },
  },
});
