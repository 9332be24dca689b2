import { policyCases } from "../../support";
import { cluster, SUBNETS } from "../support";

policyCases("msk-multi-az", {
  compliant: {
    "brokers in three AZs": cluster(),
    "brokers in two AZs when the stack's config asks for two": {
      resources: cluster({ brokerNodeGroupInfo: { clientSubnets: SUBNETS.slice(0, 2) } }),
      config: { "msk-multi-az": { minimumZones: 2 } },
    },
  },
  violations: {
    "brokers in two AZs": {
      resources: cluster({ brokerNodeGroupInfo: { clientSubnets: SUBNETS.slice(0, 2) } }),
      offender: "events",
      says: /2 Availability Zone/,
    },
  },
});
