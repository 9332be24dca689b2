import { policyCases } from "../../support";
import { awsxVpc, subnet } from "../support";

policyCases("ec2-subnet-no-public-ip", {
  compliant: {
    "a private subnet": [subnet("private-a", false)],
    "a public subnet holding a NAT gateway": [
      subnet("public-a", true),
      {
        type: "aws:ec2/natGateway:NatGateway",
        name: "nat-a",
        props: { subnetId: "subnet-1" },
        dependsOn: ["public-a"],
      },
    ],
    "public subnets of an awsx VPC that uses them for NAT": [
      awsxVpc({ natGateways: { strategy: "OnePerAz" } }),
      subnet("network-public-1", true, "network"),
    ],
    "an awsx VPC with private subnets only and no NAT": [
      awsxVpc({ natGateways: { strategy: "None" }, subnetSpecs: [{ type: "Private" }] }),
    ],
  },
  violations: {
    "a public subnet without a NAT gateway": { resources: [subnet("public-a", true)], offender: "public-a" },
    "an awsx VPC with public subnets but no NAT gateways": {
      resources: [
        awsxVpc({ natGateways: { strategy: "None" }, subnetSpecs: [{ type: "Public" }, { type: "Private" }] }),
      ],
      offender: "network",
    },
  },
});
