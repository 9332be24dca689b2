import { policyCases } from "../../support";
import { OIDC, webIdentity } from "../support";

policyCases("iam-web-identity-trust-pinned", {
  compliant: {
    "IRSA pinned to one service account and the STS audience": webIdentity({
      StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:loglake:sink", [`${OIDC}:aud`]: "sts.amazonaws.com" },
    }),
  },
  violations: {
    "no conditions": { resources: webIdentity(), offender: "ingest", says: /sub and aud/ },
    "sub only": {
      resources: webIdentity({ StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:loglake:*" } }),
      offender: "ingest",
      says: /on aud/,
    },
  },
});
