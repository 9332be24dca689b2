import { listOf, Props, resourcePolicy } from "../lib/define";
import { isOpenToInternet } from "../lib/network";
import {
  EC2_DEFAULT_SECURITY_GROUP,
  EC2_SECURITY_GROUP,
  EC2_SECURITY_GROUP_RULE,
  VPC_INGRESS_RULE,
} from "../lib/types";

/** The open CIDRs of one ingress rule, in any of the three shapes security group rules take. */
function openCidrs(rule: Props): string[] {
  return [
    ...listOf<string>(rule.cidrBlocks),
    ...listOf<string>(rule.ipv6CidrBlocks),
    rule.cidrIpv4,
    rule.cidrIpv6,
  ].filter(isOpenToInternet);
}

const ports = (rule: Props) =>
  rule.ipProtocol === "-1" || rule.protocol === "-1" || rule.protocol === "all"
    ? "all ports"
    : `port ${rule.fromPort}${rule.toPort !== rule.fromPort ? `-${rule.toPort}` : ""}`;

export const ec2NoPublicIngress = resourcePolicy({
  name: "ec2-no-public-ingress",
  description:
    "No security group rule allows ingress from 0.0.0.0/0 or ::/0 (inline rules of security groups and the default security group, aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupIngressRule).",
  enforcementLevel: "mandatory",
  types: [EC2_SECURITY_GROUP, EC2_DEFAULT_SECURITY_GROUP, EC2_SECURITY_GROUP_RULE, VPC_INGRESS_RULE],
  check: (props, report, _config, args) => {
    const rules = [EC2_SECURITY_GROUP, EC2_DEFAULT_SECURITY_GROUP].includes(args.type)
      ? listOf<Props>(props.ingress)
      : args.type === EC2_SECURITY_GROUP_RULE && props.type !== "ingress"
        ? []
        : [props];
    for (const rule of rules) {
      const open = openCidrs(rule);
      if (open.length > 0) {
        report(
          `allows ingress on ${ports(rule)} from ${open.join(", ")}.`,
          "allow only the VPC CIDR, specific CIDRs or source security groups (sourceSecurityGroupId / referencedSecurityGroupId).",
        );
      }
    }
  },
});
