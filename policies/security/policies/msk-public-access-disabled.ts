import { resourcePolicy } from "../lib/define";
import { MSK_CLUSTER } from "../lib/types";

export const mskPublicAccessDisabled = resourcePolicy({
  name: "msk-public-access-disabled",
  description: "MSK brokers are not reachable from the internet.",
  enforcementLevel: "mandatory",
  types: [MSK_CLUSTER],
  check: (props, report) => {
    const type = props.brokerNodeGroupInfo?.connectivityInfo?.publicAccess?.type ?? "DISABLED";
    if (type !== "DISABLED") {
      report(
        `has public access "${type}".`,
        'set brokerNodeGroupInfo.connectivityInfo.publicAccess.type to "DISABLED" and reach brokers from the VPC.',
      );
    }
  },
});
