import { policyCases } from "../../support";
import { sg } from "../support";

policyCases("ec2-no-public-ingress", {
  compliant: {
    "ingress from the VPC CIDR": sg([{ protocol: "tcp", fromPort: 9098, toPort: 9098, cidrBlocks: ["10.20.0.0/16"] }]),
    "ingress from a security group": [
      {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "from-clients",
        props: {
          securityGroupId: "sg-1",
          ipProtocol: "tcp",
          fromPort: 9098,
          toPort: 9098,
          referencedSecurityGroupId: "sg-2",
        },
      },
    ],
    "egress to 0.0.0.0/0 (not ingress)": [
      {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        name: "egress",
        props: {
          type: "egress",
          securityGroupId: "sg-1",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
      },
    ],
  },
  violations: {
    "an inline rule from 0.0.0.0/0": {
      resources: sg([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
      offender: "brokers",
      says: /port 22 from 0\.0\.0\.0\/0/,
    },
    "an inline rule from ::/0": {
      resources: sg([{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]),
      offender: "brokers",
      says: /all ports/,
    },
    "an aws.ec2.SecurityGroupRule from 0.0.0.0/0": {
      resources: [
        {
          type: "aws:ec2/securityGroupRule:SecurityGroupRule",
          name: "ssh",
          props: {
            type: "ingress",
            securityGroupId: "sg-1",
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrBlocks: ["0.0.0.0/0"],
          },
        },
      ],
      offender: "ssh",
    },
    "the default security group opened to 0.0.0.0/0": {
      resources: [
        {
          type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
          name: "default",
          props: { vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
        },
      ],
      offender: "default",
    },
    "an aws.vpc.SecurityGroupIngressRule from 0.0.0.0/0": {
      resources: [
        {
          type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          name: "https",
          props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        },
      ],
      offender: "https",
    },
  },
});
