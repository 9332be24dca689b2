import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  interfaceEndpointServices,
  Network,
  NetworkArgs,
  privateSubnetMask,
  publicSubnetMask,
} from "../../../components/network/network";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID, MockOptions, SubnetFixture } from "../../../infra/offline/mocks";
import { policyOf, Registered, registered } from "../../support/offline";

const T = {
  awsxVpc: "awsx:ec2:Vpc",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};
const logsKeyArn = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;
const logGroupArn = `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:/loglake/acme/vpc-flow-logs`;

/** What the program under test returns: the Network and what AWS says about route tables it did not create. */
interface Built {
  network: Network;
  /** Route tables explicitly associated with the network's private subnets. */
  privateRouteTables: pulumi.Output<string[]>;
  mainRouteTable: pulumi.Output<string>;
}

function build(args: NetworkArgs): Built {
  const network = new Network("acme", args);
  const lookUp = (name: string, values: pulumi.Input<string[]>) =>
    pulumi
      .all([network.vpcId, values])
      .apply(([vpcId, values]) => aws.ec2.getRouteTables({ vpcId, filters: [{ name, values }] }).then((t) => t.ids));
  return {
    network,
    privateRouteTables: lookUp("association.subnet-id", network.privateSubnetIds),
    mainRouteTable: lookUp("association.main", ["true"]).apply((ids) => ids[0]),
  };
}

const ipv4 = (cidr: string) =>
  cidr
    .split("/")[0]
    .split(".")
    .reduce((value, octet) => value * 256 + Number(octet), 0);
const dotted = (address: number) => [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");

/**
 * The subnets awsx's "Auto" strategy allocates (pulumi-awsx awsx/ec2/subnetDistributorNew.ts):
 * the VPC splits into 2^ceil(log2(azCount)) equal AZ blocks; in each, the specs follow one another,
 * each aligned to its own size. awsx refuses specs whose sizes add up to more than an AZ block.
 */
function awsxAutoLayout(vpcCidr: string, azCount: number, specs: { type: string; cidrMask: number }[]) {
  const azMask = Number(vpcCidr.split("/")[1]) + Math.ceil(Math.log2(azCount));
  const azSize = 2 ** (32 - azMask);
  const needed = specs.reduce((sum, spec) => sum + 2 ** (32 - spec.cidrMask), 0);
  assert.ok(
    needed <= azSize,
    `awsx refuses ${JSON.stringify(specs)} in ${vpcCidr} over ${azCount} AZs: ${needed} addresses per AZ, ${azSize} available`,
  );
  return Array.from({ length: azCount }, (_, az) => {
    let next = ipv4(vpcCidr) + az * azSize;
    return specs.map(({ type, cidrMask }) => {
      const size = 2 ** (32 - cidrMask);
      const start = Math.ceil(next / size) * size;
      next = start + size;
      return { type, mask: cidrMask, start, end: next, cidr: `${dotted(start)}/${cidrMask}` };
    });
  }).flat();
}

const interfaceEndpoints = (resources: Registered) =>
  resources.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
const gatewayEndpoints = (resources: Registered) =>
  resources.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Gateway");

/**
 * Existing VPC vpc-0a1b2c3d with private subnets in eu-west-1a/b (one on the main route table) and a
 * public one in eu-west-1c; another VPC; and a VPC without DNS hostnames.
 */
const existingAccount: Partial<MockOptions> = {
  vpcs: {
    "vpc-0a1b2c3d": { cidrBlock: "10.1.0.0/16" },
    "vpc-0ffff000": { cidrBlock: "10.9.0.0/16" },
    "vpc-0dddd000": { cidrBlock: "10.2.0.0/16", enableDnsHostnames: false },
  },
  internetRouteTables: { "vpc-0a1b2c3d": ["rtb-0ccc0005"] },
  subnets: {
    "subnet-0aaa0001": {
      vpcId: "vpc-0a1b2c3d",
      availabilityZone: "eu-west-1a",
      cidrBlock: "10.1.0.0/20",
      routeTableId: "rtb-0aaa0001",
    },
    "subnet-0bbb0002": { vpcId: "vpc-0a1b2c3d", availabilityZone: "eu-west-1b", cidrBlock: "10.1.16.0/20" },
    "subnet-0aaa0003": {
      vpcId: "vpc-0a1b2c3d",
      availabilityZone: "eu-west-1a",
      cidrBlock: "10.1.32.0/20",
      routeTableId: "rtb-0aaa0003",
    },
    "subnet-0fff0004": { vpcId: "vpc-0ffff000", availabilityZone: "eu-west-1c", cidrBlock: "10.9.0.0/20" },
    "subnet-0ccc0005": {
      vpcId: "vpc-0a1b2c3d",
      availabilityZone: "eu-west-1c",
      cidrBlock: "10.1.48.0/20",
      routeTableId: "rtb-0ccc0005",
    },
    "subnet-0ddd0006": { vpcId: "vpc-0dddd000", availabilityZone: "eu-west-1a", cidrBlock: "10.2.0.0/20" },
    "subnet-0ddd0007": { vpcId: "vpc-0dddd000", availabilityZone: "eu-west-1b", cidrBlock: "10.2.16.0/20" },
  } satisfies Record<string, SubnetFixture>,
};
const existing = (...privateSubnetIds: string[]): NetworkArgs => ({
  existingVpc: { vpcId: "vpc-0a1b2c3d", privateSubnetIds },
  logsKeyArn,
});
const withoutDnsHostnames = (interfaceEndpoints: boolean): NetworkArgs => ({
  existingVpc: { vpcId: "vpc-0dddd000", privateSubnetIds: ["subnet-0ddd0006", "subnet-0ddd0007"] },
  interfaceEndpoints,
  logsKeyArn,
});

/**
 * Why the Network refuses `args` once the AWS lookups answer. The check fails inside an output, and
 * the Pulumi language host reports every resource input waiting on it as an unhandled rejection and
 * fails the deployment; under the offline engine the run rejects through the stack outputs, while
 * those rejections would leak into other tests, so they are collected until the run has settled.
 */
async function refusalOnceAwsAnswers(args: NetworkArgs): Promise<string> {
  const listeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  let rejections = 0;
  process.on("unhandledRejection", () => rejections++);
  try {
    const failure = await registered(() => new Network("acme", args), { mocks: existingAccount }).then(
      () => undefined,
      (err: Error) => err,
    );
    for (let quiet = 0, seen = -1; quiet < 20; quiet = rejections === seen ? quiet + 1 : 0, seen = rejections) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(failure, "the network was accepted");
    return failure.message;
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const listener of listeners) process.on("unhandledRejection", listener);
  }
}

describe("Network", () => {
  describe("a new VPC with the secure defaults", () => {
    let resources: Registered;
    let built: Built;
    before(async () => {
      ({ resources, result: built } = await registered(() => build({ logsKeyArn })));
    });

    it("builds the VPC with awsx across 3 AZs, DNS on, one NAT gateway per AZ", () => {
      const vpc = resources.get(T.awsxVpc, "acme-vpc").inputs;
      assert.equal(vpc.numberOfAvailabilityZones, 3);
      assert.equal(vpc.cidrBlock, "10.0.0.0/16");
      assert.deepEqual([vpc.enableDnsHostnames, vpc.enableDnsSupport], [true, true]);
      assert.deepEqual(vpc.natGateways, { strategy: "OnePerAz" });
    });

    it("gives workloads private subnets and keeps public subnets to /28, room for NAT gateways only", () => {
      const vpc = resources.get(T.awsxVpc, "acme-vpc").inputs;
      assert.equal(vpc.subnetStrategy, "Auto");
      // A /16 over 3 AZs gives each AZ a /18; the private subnet takes half of it.
      assert.deepEqual(vpc.subnetSpecs, [
        { type: "Private", cidrMask: 19 },
        { type: "Public", cidrMask: 28 },
      ]);
    });

    it("outputs one private subnet per AZ, the AZs in the same order, and the VPC CIDR", async () => {
      const subnets = await valueOf(built.network.privateSubnetIds);
      assert.equal(new Set(subnets).size, 3, `private subnets: ${subnets}`);
      assert.deepEqual(await valueOf(built.network.availabilityZones), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
      assert.equal(await valueOf(built.network.vpcCidr), "10.0.0.0/16");
      assert.match(await valueOf(built.network.vpcId), /^vpc-/);
    });

    it("logs all traffic of the VPC to a log group encrypted with the logs key and kept 365 days", async () => {
      const flowLog = resources.get(T.flowLog, "acme-flow-log").inputs;
      assert.deepEqual(
        [flowLog.vpcId, flowLog.trafficType, flowLog.logDestinationType, flowLog.logDestination],
        [await valueOf(built.network.vpcId), "ALL", "cloud-watch-logs", logGroupArn],
      );
      const group = resources.get(T.logGroup, "acme-flow-logs").inputs;
      assert.deepEqual([group.kmsKeyId, group.retentionInDays], [logsKeyArn, 365]);
      assert.equal(await valueOf(built.network.flowLogGroupName), "/loglake/acme/vpc-flow-logs");
    });

    it("lets only VPC Flow Logs of this account and region assume the flow-log role", () => {
      const trust = policyOf(resources.get(T.role, "acme-flow-logs"), "assumeRolePolicy").Statement;
      assert.deepEqual(trust, [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-1:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` },
          },
        },
      ]);
    });

    it("lets the flow-log role write to its log group only, and creates the flow log after that permission", () => {
      const rolePolicy = resources.get(T.rolePolicy, "acme-flow-logs");
      const [write, describe] = policyOf(rolePolicy).Statement;
      assert.deepEqual(write.Action, ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
      assert.deepEqual(write.Resource, [logGroupArn, `${logGroupArn}:*`]);
      // IAM checks DescribeLogGroups against arn:...:log-group::log-stream:, never a group's own ARN.
      assert.equal(describe.Action, "logs:DescribeLogGroups");
      assert.equal(describe.Resource, `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:*`);
      assert.equal(policyOf(rolePolicy).Statement.length, 2);
      assert.ok(
        resources.get(T.flowLog, "acme-flow-log").options.dependsOn.includes(rolePolicy.urn),
        "flow log does not wait for its role's policy",
      );
    });

    it("strips every rule from the VPC's default security group", async () => {
      const defaultSg = resources.get(T.defaultSg, "acme-default-sg").inputs;
      assert.deepEqual(defaultSg, { vpcId: await valueOf(built.network.vpcId), ingress: [], egress: [] });
    });

    it("routes S3 and DynamoDB through gateway endpoints on every private subnet's route table", async () => {
      const privateTables = await valueOf(built.privateRouteTables);
      assert.equal(privateTables.length, 3);
      for (const endpoint of gatewayEndpoints(resources)) {
        assert.deepEqual(
          [...(endpoint.inputs.routeTableIds as string[])].sort(),
          [...privateTables].sort(),
          `${endpoint.name} route tables`,
        );
      }
      assert.deepEqual(
        gatewayEndpoints(resources)
          .map((e) => e.inputs.serviceName)
          .sort(),
        ["com.amazonaws.eu-west-1.dynamodb", "com.amazonaws.eu-west-1.s3"],
      );
    });

    it("reaches sts, secretsmanager, kms, logs, ECR and EC2 through interface endpoints with private DNS in the private subnets", async () => {
      const endpoints = interfaceEndpoints(resources);
      assert.deepEqual(
        endpoints.map((e) => e.inputs.serviceName).sort(),
        interfaceEndpointServices.map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
      );
      const subnets = await valueOf(built.network.privateSubnetIds);
      const group = await valueOf(built.network.endpointSecurityGroupId!);
      for (const endpoint of endpoints) {
        assert.deepEqual(
          [endpoint.inputs.privateDnsEnabled, endpoint.inputs.subnetIds, endpoint.inputs.securityGroupIds],
          [true, subnets, [group]],
          endpoint.name,
        );
      }
    });

    it("admits only HTTPS from the VPC's CIDR to the interface endpoints", async () => {
      const group = resources.get(T.sg, "acme-endpoints");
      assert.equal(group.inputs.ingress, undefined, "inline ingress rules on the endpoint security group");
      assert.equal(group.inputs.egress, undefined, "inline egress rules on the endpoint security group");
      const rules = resources.ofType(T.ingress);
      assert.equal(rules.length, 1);
      const { securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4 } = rules[0].inputs;
      assert.deepEqual(
        { securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4 },
        {
          securityGroupId: await valueOf(built.network.endpointSecurityGroupId!),
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: "10.0.0.0/16",
        },
      );
      assert.equal(resources.ofType(T.egress).length, 0, "egress rules on the endpoint security group");
    });

    it("opens nothing to the internet (no 0.0.0.0/0 or ::/0 anywhere)", () => {
      for (const resource of resources.all) {
        assert.doesNotMatch(
          JSON.stringify(resource.inputs),
          /0\.0\.0\.0\/0|::\/0/,
          `${resource.type} ${resource.name}`,
        );
      }
    });
  });

  describe("options", () => {
    it("shares one NAT gateway with natGateways: single and sizes subnets to the CIDR and AZ count", async () => {
      const { resources } = await registered(() =>
        build({ cidr: "10.40.0.0/20", azCount: 2, natGateways: "single", logsKeyArn }),
      );
      const vpc = resources.get(T.awsxVpc, "acme-vpc").inputs;
      assert.deepEqual(
        [vpc.natGateways, vpc.numberOfAvailabilityZones, vpc.cidrBlock],
        [{ strategy: "Single" }, 2, "10.40.0.0/20"],
      );
      assert.deepEqual(vpc.subnetSpecs, [
        { type: "Private", cidrMask: 22 },
        { type: "Public", cidrMask: 28 },
      ]);
    });

    it("creates no interface endpoints and no endpoint security group when endpoints are off, but keeps the gateway endpoints", async () => {
      const { resources, result } = await registered(() =>
        build({ interfaceEndpoints: false, flowLogRetentionDays: 30, logsKeyArn }),
      );
      assert.deepEqual(
        interfaceEndpoints(resources).map((e) => e.name),
        [],
      );
      assert.deepEqual(
        [...resources.ofType(T.sg), ...resources.ofType(T.ingress)].map((r) => r.name),
        [],
      );
      assert.equal(result.network.endpointSecurityGroupId, undefined);
      assert.equal(gatewayEndpoints(resources).length, 2);
      assert.equal(resources.get(T.logGroup, "acme-flow-logs").inputs.retentionInDays, 30);
    });

    it("hands the stack's AWS provider to the awsx VPC, which as a remote component does not inherit it", async () => {
      const { resources } = await registered(() => {
        const provider = new aws.Provider("dr", { region: "eu-central-1" });
        return new Network("acme", { logsKeyArn }, { providers: { aws: provider } });
      });
      const provider = resources.get("pulumi:providers:aws", "dr");
      const vpc = resources.get(T.awsxVpc, "acme-vpc");
      assert.ok(
        vpc.options.providers.aws?.startsWith(`${provider.urn}::`),
        `awsx VPC providers: ${JSON.stringify(vpc.options.providers)}`,
      );
      assert.equal(resources.get(T.endpoint, "acme-s3").inputs.serviceName, "com.amazonaws.eu-central-1.s3");
    });

    it("refuses a flow-log retention CloudWatch Logs does not offer", async () => {
      await assert.rejects(
        registered(() => build({ flowLogRetentionDays: 100, logsKeyArn })),
        /flowLogRetentionDays = 100: CloudWatch Logs accepts retention of 1, 3, 5/,
      );
    });

    it("refuses a single availability zone", async () => {
      await assert.rejects(
        registered(() => build({ azCount: 1, logsKeyArn })),
        /azCount = 1: at least 2 availability zones/,
      );
    });

    it("refuses a CIDR block that is not a VPC's, or too small for a private and a public subnet per AZ", async () => {
      await assert.rejects(
        registered(() => build({ cidr: "10.0.0.0/8", logsKeyArn })),
        /cidr = 10\.0\.0\.0\/8: a VPC takes an IPv4 CIDR block from \/16 to \/28/,
      );
      await assert.rejects(
        registered(() => build({ cidr: "10.0.0.0/26", azCount: 3, logsKeyArn })),
        /10\.0\.0\.0\/26 is too small for 3 AZs/,
      );
    });

    it("refuses a CIDR block EC2 would refuse: an octet over 255, or host bits set", async () => {
      await assert.rejects(
        registered(() => build({ cidr: "10.300.0.0/16", logsKeyArn })),
        /cidr = 10\.300\.0\.0\/16: a VPC takes an IPv4 CIDR block/,
      );
      await assert.rejects(
        registered(() => build({ cidr: "10.0.1.0/16", logsKeyArn })),
        /cidr = 10\.0\.1\.0\/16 has host bits set; EC2 refuses it: use 10\.0\.0\.0\/16/,
      );
      await assert.rejects(
        registered(() => build({ cidr: "172.16.0.128/24", logsKeyArn })),
        /use 172\.16\.0\.0\/24/,
      );
    });

    it("lays out subnets awsx accepts and AWS can create, without overlap, for 2 to 6 AZs and /16 to /24 VPCs", () => {
      const layouts = [16, 17, 18, 19, 20, 21, 22, 23, 24].flatMap((vpcMask) =>
        [2, 3, 4, 5, 6].map((azCount) => ({ vpcMask, azCount })),
      );
      for (const { vpcMask, azCount } of layouts) {
        const cidrBlock = `10.64.0.0/${vpcMask}`;
        const specs = [
          { type: "Private", cidrMask: privateSubnetMask("acme", cidrBlock, azCount) },
          { type: "Public", cidrMask: publicSubnetMask },
        ];
        const subnets = awsxAutoLayout(cidrBlock, azCount, specs);
        const label = `/${vpcMask} over ${azCount} AZs: ${subnets.map((s) => `${s.type} ${s.cidr}`).join(", ")}`;
        const vpcEnd = ipv4(cidrBlock) + 2 ** (32 - vpcMask);
        for (const subnet of subnets) {
          assert.ok(subnet.mask >= 16 && subnet.mask <= 28, `AWS subnets are /16 to /28; ${label}`);
          assert.ok(subnet.end <= vpcEnd, `${subnet.cidr} leaves the VPC; ${label}`);
        }
        const sorted = [...subnets].sort((a, b) => a.start - b.start);
        sorted
          .slice(1)
          .forEach((subnet, i) =>
            assert.ok(subnet.start >= sorted[i].end, `${sorted[i].cidr} overlaps ${subnet.cidr}; ${label}`),
          );
        assert.equal(subnets.filter((s) => s.type === "Public").length, azCount, label);
      }
    });
  });

  describe("an existing VPC", () => {
    let resources: Registered;
    let built: Built;
    before(async () => {
      ({ resources, result: built } = await registered(() => build(existing("subnet-0aaa0001", "subnet-0bbb0002")), {
        mocks: existingAccount,
      }));
    });

    it("runs in the private subnets it is given when they span 2 AZs", async () => {
      assert.deepEqual(await valueOf(built.network.privateSubnetIds), ["subnet-0aaa0001", "subnet-0bbb0002"]);
      assert.deepEqual(await valueOf(built.network.availabilityZones), ["eu-west-1a", "eu-west-1b"]);
      assert.deepEqual(
        [await valueOf(built.network.vpcId), await valueOf(built.network.vpcCidr)],
        ["vpc-0a1b2c3d", "10.1.0.0/16"],
      );
      assert.deepEqual(resources.ofType(T.awsxVpc), []);
    });

    it("adds flow logs and endpoints but leaves the customer's default security group alone", () => {
      assert.equal(resources.get(T.flowLog, "acme-flow-log").inputs.vpcId, "vpc-0a1b2c3d");
      assert.equal(resources.get(T.ingress, "acme-endpoints-https").inputs.cidrIpv4, "10.1.0.0/16");
      assert.equal(interfaceEndpoints(resources).length, interfaceEndpointServices.length);
      assert.deepEqual(resources.ofType(T.defaultSg), []);
    });

    it("puts the gateway endpoints on the subnets' route tables, the main one for a subnet without its own", async () => {
      const expected = ["rtb-0aaa0001", await valueOf(built.mainRouteTable)];
      for (const endpoint of gatewayEndpoints(resources))
        assert.deepEqual(endpoint.inputs.routeTableIds, expected, endpoint.name);
    });

    it("refuses private subnets in a single AZ, naming the subnets and their AZs", async () => {
      assert.match(
        await refusalOnceAwsAnswers(existing("subnet-0aaa0001", "subnet-0aaa0003")),
        /Network acme: private subnets must span at least 2 availability zones: subnet-0aaa0001 \(eu-west-1a\), subnet-0aaa0003 \(eu-west-1a\)/,
      );
    });

    it("refuses two private subnets in the same AZ", async () => {
      assert.match(
        await refusalOnceAwsAnswers(existing("subnet-0aaa0001", "subnet-0bbb0002", "subnet-0aaa0003")),
        /must be one per availability zone: subnet-0aaa0001 \(eu-west-1a\), subnet-0bbb0002 \(eu-west-1b\), subnet-0aaa0003 \(eu-west-1a\)/,
      );
    });

    it("refuses a subnet of another VPC", async () => {
      assert.match(
        await refusalOnceAwsAnswers(existing("subnet-0aaa0001", "subnet-0fff0004")),
        /must all be in VPC vpc-0a1b2c3d: subnet-0aaa0001 \(eu-west-1a\), subnet-0fff0004 \(eu-west-1c, vpc-0ffff000\)/,
      );
    });

    it('refuses a "private" subnet whose route table reaches an internet gateway', async () => {
      assert.match(
        await refusalOnceAwsAnswers(existing("subnet-0aaa0001", "subnet-0ccc0005")),
        /must not route to an internet gateway: subnet-0ccc0005 \(route table rtb-0ccc0005\)/,
      );
    });

    it("refuses interface endpoints in a VPC without DNS hostnames, which their private DNS needs", async () => {
      assert.match(
        await refusalOnceAwsAnswers(withoutDnsHostnames(true)),
        /private DNS need the VPC's DNS support and DNS hostnames on \(enableDnsSupport true, enableDnsHostnames false\)/,
      );
      const { result } = await registered(() => build(withoutDnsHostnames(false)), { mocks: existingAccount });
      assert.deepEqual(await valueOf(result.network.availabilityZones), ["eu-west-1a", "eu-west-1b"]);
    });

    it("refuses fewer than two distinct subnets before looking anything up", async () => {
      for (const subnets of [["subnet-0aaa0001"], ["subnet-0aaa0001", "subnet-0aaa0001"]]) {
        await assert.rejects(
          registered(() => build(existing(...subnets)), { mocks: existingAccount }),
          /existing VPC vpc-0a1b2c3d needs at least two different private subnets, one per AZ/,
        );
      }
    });
  });
});
