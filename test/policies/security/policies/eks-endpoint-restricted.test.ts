import { policyCases } from "../../support";
import { awsEks, eksComponent, KEY_ARN } from "../support";

policyCases("eks-endpoint-restricted", {
  compliant: {
    "a private endpoint": eksComponent(),
    "a public endpoint open to an operator CIDR": eksComponent({
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    }),
    "an aws.eks.Cluster with a private endpoint": awsEks(
      { endpointPublicAccess: false },
      { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
    ),
  },
  violations: {
    "a public endpoint left at the default 0.0.0.0/0": {
      resources: eksComponent({ endpointPublicAccess: undefined }),
      offender: "compute",
      says: /0\.0\.0\.0\/0/,
    },
    "a public endpoint explicitly open to ::/0": {
      resources: eksComponent({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "::/0"] }),
      offender: "compute",
      says: /::\/0/,
    },
    "an aws.eks.Cluster with a public endpoint and no CIDRs": {
      resources: awsEks({ endpointPublicAccess: true }),
      offender: "raw-eks",
    },
  },
});
