import { isFalse, resourcePolicy } from "../lib/define";
import { MSK_CLUSTER } from "../lib/types";

export const mskTlsInTransit = resourcePolicy({
  name: "msk-tls-in-transit",
  description: "MSK clusters accept only TLS from clients and encrypt traffic between brokers.",
  enforcementLevel: "mandatory",
  types: [MSK_CLUSTER],
  check: (props, report) => {
    const inTransit = props.encryptionInfo?.encryptionInTransit;
    // Unset means the API defaults: clientBroker TLS, inCluster true.
    const clientBroker = inTransit?.clientBroker ?? "TLS";
    if (clientBroker !== "TLS") {
      report(
        `accepts client traffic as ${clientBroker}.`,
        'set encryptionInfo.encryptionInTransit.clientBroker to "TLS".',
      );
    }
    if (isFalse(inTransit?.inCluster)) {
      report(
        "sends traffic between brokers unencrypted.",
        "set encryptionInfo.encryptionInTransit.inCluster to true (requires replacing the cluster).",
      );
    }
  },
});
