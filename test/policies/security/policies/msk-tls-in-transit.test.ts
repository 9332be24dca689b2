import { policyCases } from "../../support";
import { cluster } from "../support";

policyCases("msk-tls-in-transit", {
  compliant: {
    "TLS only, in-cluster on": cluster(),
    "the API defaults (TLS, in-cluster on)": cluster({ encryptionInfo: { encryptionInTransit: undefined } }),
  },
  violations: {
    "TLS_PLAINTEXT client traffic": {
      resources: cluster({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } }),
      offender: "events",
      says: /TLS_PLAINTEXT/,
    },
    "unencrypted traffic between brokers": {
      resources: cluster({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: false } } }),
      offender: "events",
    },
  },
});
