import { resourcePolicy } from "../lib/define";
import { MSK_CLUSTER } from "../lib/types";

export const mskMultiAz = resourcePolicy<{ minimumZones: number }>({
  name: "msk-multi-az",
  description:
    "MSK brokers are spread over at least the configured number of Availability Zones (default 3), so a topic with replication factor 3 survives an AZ outage.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumZones: {
        type: "integer",
        minimum: 2,
        maximum: 3,
        default: 3,
        description: "Fewest AZs (client subnets) brokers run in.",
      },
    },
  },
  types: [MSK_CLUSTER],
  check: (props, report, config) => {
    const minimum = config.minimumZones ?? 3;
    // MSK requires each client subnet to be in a different AZ, so subnets count zones.
    const zones = new Set(props.brokerNodeGroupInfo?.clientSubnets ?? []).size;
    if (zones < minimum) {
      report(
        `runs brokers in ${zones} Availability Zone(s), fewer than ${minimum}.`,
        `pass ${minimum} private subnets in different AZs as brokerNodeGroupInfo.clientSubnets.`,
      );
    }
  },
});
