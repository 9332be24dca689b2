import { policyCases } from "../../support";
import { cluster } from "../support";

policyCases("msk-public-access-disabled", {
  compliant: {
    "private brokers": cluster(),
    "publicAccess DISABLED": cluster({
      brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "DISABLED" } } },
    }),
  },
  violations: {
    "public brokers": {
      resources: cluster({
        brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } },
      }),
      offender: "events",
    },
  },
});
