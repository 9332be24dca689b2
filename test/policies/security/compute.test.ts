import { policyCases, TestResource } from "../support";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const eksComponent = (changes: Record<string, unknown> = {}): TestResource[] => [
  {
    type: "eks:index:Cluster",
    name: "compute",
    props: {
      encryptionConfigKeyArn: KEY_ARN,
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      skipDefaultNodeGroup: true,
      ...changes,
    },
  },
];

const awsEks = (vpcConfig: Record<string, unknown>, encryptionConfig?: unknown): TestResource[] => [
  {
    type: "aws:eks/cluster:Cluster",
    name: "raw-eks",
    props: {
      roleArn: "arn:aws:iam::123456789012:role/eks",
      vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], ...vpcConfig },
      encryptionConfig,
    },
  },
];

const launchTemplate = (ebs: Record<string, unknown>): TestResource[] => [
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "nodes",
    props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", ...ebs } }] },
  },
];

policyCases("eks-secrets-encryption", {
  compliant: {
    "an eks.Cluster with encryptionConfigKeyArn": eksComponent(),
    "an aws.eks.Cluster encrypting secrets": awsEks(
      { endpointPublicAccess: false },
      { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
    ),
  },
  violations: {
    "an eks.Cluster without a secrets key": {
      resources: eksComponent({ encryptionConfigKeyArn: undefined }),
      offender: "compute",
    },
    "an aws.eks.Cluster without encryptionConfig": {
      resources: awsEks({ endpointPublicAccess: false }),
      offender: "raw-eks",
    },
  },
});

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

policyCases("ebs-encrypted", {
  compliant: {
    "a launch template with encrypted volumes under a customer key": launchTemplate({
      encrypted: "true",
      kmsKeyId: KEY_ARN,
    }),
    "a managed node group with a launch template": [
      { type: "eks:index:ManagedNodeGroup", name: "workers", props: { launchTemplate: { id: "lt-1", version: "1" } } },
    ],
    "an eks.Cluster without a default node group": eksComponent(),
    "an encrypted volume": [
      {
        type: "aws:ebs/volume:Volume",
        name: "scratch",
        props: { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY_ARN },
      },
    ],
  },
  violations: {
    "an unencrypted launch template volume": {
      resources: launchTemplate({ encrypted: "false" }),
      offender: "nodes",
      says: /\/dev\/xvda/,
    },
    "a launch template volume encrypted with the default key": {
      resources: launchTemplate({ encrypted: "true" }),
      offender: "nodes",
    },
    "a managed node group without a launch template": {
      resources: [{ type: "eks:index:ManagedNodeGroup", name: "workers", props: { instanceTypes: ["m7g.large"] } }],
      offender: "workers",
    },
    "an aws.eks.NodeGroup without a launch template": {
      resources: [{ type: "aws:eks/nodeGroup:NodeGroup", name: "raw-workers", props: { clusterName: "c" } }],
      offender: "raw-workers",
    },
    "an eks.Cluster default node group with unencrypted root volumes": {
      resources: eksComponent({ skipDefaultNodeGroup: false }),
      offender: "compute",
    },
    "an unencrypted volume": {
      resources: [
        { type: "aws:ebs/volume:Volume", name: "scratch", props: { availabilityZone: "eu-west-1a", size: 10 } },
      ],
      offender: "scratch",
    },
  },
});

const sg = (ingress: object[]): TestResource[] => [
  { type: "aws:ec2/securityGroup:SecurityGroup", name: "brokers", props: { vpcId: "vpc-1", ingress } },
];

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

const subnet = (name: string, mapPublicIpOnLaunch: boolean, parent?: string): TestResource => ({
  type: "aws:ec2/subnet:Subnet",
  name,
  props: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch },
  parent,
});

const awsxVpc = (props: Record<string, unknown>): TestResource => ({
  type: "awsx:ec2:Vpc",
  name: "network",
  props: { cidrBlock: "10.20.0.0/16", ...props },
});

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
