import { isFalse, listOf, resourcePolicy } from "../lib/define";
import { EKS_CLUSTER, EKS_COMPONENT_CLUSTER } from "../lib/types";
import { isOpenToInternet } from "../lib/network";

export const eksEndpointRestricted = resourcePolicy({
  name: "eks-endpoint-restricted",
  description: "The EKS API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0).",
  enforcementLevel: "mandatory",
  types: [EKS_CLUSTER, EKS_COMPONENT_CLUSTER],
  check: (props, report) => {
    // aws.eks.Cluster nests the settings in vpcConfig; the eks.Cluster component takes them at the top.
    const settings = props.vpcConfig ?? props;
    if (isFalse(settings.endpointPublicAccess)) return;
    // The API opens a public endpoint to 0.0.0.0/0 unless told otherwise.
    const cidrs = listOf<string>(settings.publicAccessCidrs);
    if (cidrs.length === 0 || cidrs.some(isOpenToInternet)) {
      report(
        `has a public API endpoint open to ${cidrs.length === 0 ? "0.0.0.0/0 (the default)" : cidrs.filter(isOpenToInternet).join(", ")}.`,
        "set endpointPublicAccess: false (with endpointPrivateAccess: true), or publicAccessCidrs to the operators' CIDRs.",
      );
    }
  },
});
