import { PolicyResource } from "@pulumi/policy";
import { isTrue, known, listOf, stackPolicy } from "../lib/define";
import { AWSX_VPC, EC2_NAT_GATEWAY, EC2_SUBNET } from "../lib/types";

const natStrategy = (vpc: PolicyResource) => known(() => vpc.props["natGateways"]?.strategy) ?? "Single";

/** Whether a resource sits under an awsx VPC that places NAT gateways in its public subnets. */
function underAwsxVpcWithNat(resource: PolicyResource): boolean {
  for (let p = resource.parent; p; p = p.parent) if (p.type === AWSX_VPC) return natStrategy(p) !== "None";
  return false;
}

export const ec2SubnetNoPublicIp = stackPolicy({
  name: "ec2-subnet-no-public-ip",
  description:
    "Subnets do not give instances public IPs on launch, except public subnets that exist to hold NAT gateways.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    const nats = resources.filter((r) => r.type === EC2_NAT_GATEWAY);
    for (const subnet of resources.filter((r) => r.type === EC2_SUBNET)) {
      if (!known(() => isTrue(subnet.props["mapPublicIpOnLaunch"]))) continue;
      const holdsNat = nats.some((nat) => (nat.propertyDependencies["subnetId"] ?? nat.dependencies).includes(subnet));
      if (holdsNat || underAwsxVpcWithNat(subnet)) continue;
      report(
        subnet,
        "assigns public IPs to everything launched in it but holds no NAT gateway.",
        "set mapPublicIpOnLaunch: false; only subnets holding NAT gateways may be public.",
      );
    }
    // awsx.ec2.Vpc is a remote component: its subnets are only visible as its subnetSpecs input.
    for (const vpc of resources.filter((r) => r.type === AWSX_VPC)) {
      const specs = known(() => listOf<{ type?: string }>(vpc.props["subnetSpecs"])) ?? [];
      if (natStrategy(vpc) === "None" && specs.some((s) => s.type === "Public")) {
        report(
          vpc,
          "has public subnets (which assign public IPs) but no NAT gateways to justify them.",
          'drop the "Public" subnetSpecs, or use them for NAT gateways (natGateways.strategy "Single" or "OnePerAz").',
        );
      }
    }
  },
});
