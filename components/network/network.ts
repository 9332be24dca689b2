import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { remoteChildOptions } from "../remote-options";
import { logRetentionProblem } from "../shared/aws-limits";
import { hostBitsProblem, parseIpv4Cidr } from "../shared/cidr";
import { AccountArgs, AwsAccount, componentAccount } from "../security/account";

/** NAT gateways: one shared (cheap; one AZ's outage cuts egress for all) or one per AZ (highly available). */
export type NatGatewayPlacement = "single" | "onePerAz";

/** AWS APIs the workloads call, reached through interface endpoints when they are on. */
export const interfaceEndpointServices = [
  "sts",
  "secretsmanager",
  "kms",
  "logs",
  "ecr.api",
  "ecr.dkr",
  "ec2",
  // The manifest builder announces manifests on SQS from the private subnets.
  "sqs",
] as const;

/** Services with free gateway endpoints: bulk lake and table traffic stays off NAT. */
const gatewayEndpointServices = ["s3", "dynamodb"] as const;

const natStrategies: Record<NatGatewayPlacement, awsx.ec2.NatGatewayStrategy> = {
  single: awsx.ec2.NatGatewayStrategy.Single,
  onePerAz: awsx.ec2.NatGatewayStrategy.OnePerAz,
};

/** NAT gateways need one address each; /28 is the smallest subnet AWS allows. */
export const publicSubnetMask = 28;

interface NetworkCommonArgs extends AccountArgs {
  /**
   * ARN of the customer-managed KMS key that encrypts the flow-log group (the Keys component's logs
   * key). Its key policy must let `logs.<region>.amazonaws.com` use it for this account's log groups.
   */
  logsKeyArn: pulumi.Input<string>;
  /** Days CloudWatch Logs keeps VPC flow logs; one of the periods CloudWatch Logs accepts. Default: 365. */
  flowLogRetentionDays?: number;
  /**
   * Interface endpoints (sts, secretsmanager, kms, logs, ecr.api, ecr.dkr, ec2, sqs) with private DNS in the
   * private subnets, behind a security group that admits HTTPS from the VPC's CIDR only, so AWS API
   * calls never leave the VPC. They cost per AZ and hour. Default: true.
   */
  interfaceEndpoints?: boolean;
}

/** A VPC the Network creates with awsx: private subnets for workloads, public ones only for NAT. */
interface NewVpcArgs extends NetworkCommonArgs {
  /** The VPC's IPv4 CIDR block, /16 to /28 with room for a private and a /28 public subnet per AZ. Default: 10.0.0.0/16. */
  cidr?: string;
  /** Availability zones to spread the subnets over (the region's first ones), at least 2. Default: 3. */
  azCount?: number;
  /** NAT gateway placement. Default: "onePerAz". */
  natGateways?: NatGatewayPlacement;
  existingVpc?: undefined;
}

/** A VPC the customer already has; loglake only adds flow logs and endpoints to it. */
interface ExistingVpcArgs extends NetworkCommonArgs {
  existingVpc: {
    /** The VPC's id (vpc-...). */
    vpcId: string;
    /**
     * Private subnets for workloads, one per AZ and at least two AZs; checked against AWS when the
     * stack runs, and nothing in the network is created if they do not qualify.
     */
    privateSubnetIds: string[];
  };
  cidr?: undefined;
  azCount?: undefined;
  natGateways?: undefined;
}

export type NetworkArgs = NewVpcArgs | ExistingVpcArgs;

/** Where workloads run, as AWS reports it. */
interface Placement {
  vpcId: string;
  vpcCidr: string;
  privateSubnetIds: string[];
  /** AZ of each private subnet, index for index. */
  availabilityZones: string[];
  /** Route tables the private subnets use (explicitly associated, or the VPC's main one). */
  routeTableIds: string[];
}

/**
 * The network loglake runs in: a new VPC across N AZs (private subnets for workloads, public ones
 * only for NAT gateways) or an existing one. Either way: VPC flow logs of all traffic to a KMS-encrypted
 * log group with retention, S3 and DynamoDB gateway endpoints on the private route tables, and
 * optionally interface endpoints for the AWS APIs. A new VPC's default security group is stripped of
 * every rule; an existing VPC's is left alone because the customer's resources may use it.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** Private subnets, one per AZ, in the order of `availabilityZones`. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly availabilityZones: pulumi.Output<string[]>;
  /** The VPC's primary IPv4 CIDR block. */
  public readonly vpcCidr: pulumi.Output<string>;
  /** Security group of the interface endpoints; undefined when `interfaceEndpoints` is false. */
  public readonly endpointSecurityGroupId: pulumi.Output<string> | undefined;
  public readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("loglake:network:Network", name, {}, opts);
    const retentionInDays = args.flowLogRetentionDays ?? 365;
    const retentionProblem = logRetentionProblem(retentionInDays);
    if (retentionProblem) {
      throw new Error(`Network ${name}: flowLogRetentionDays = ${retentionInDays}: ${retentionProblem}`);
    }

    const interfaceEndpoints = args.interfaceEndpoints ?? true;
    const account = componentAccount(args, this);
    const placement = args.existingVpc
      ? this.existingVpc(name, args.existingVpc, interfaceEndpoints)
      : this.newVpc(name, args, interfaceEndpoints);
    const vpcId = placement.vpcId;
    const childOpts = { parent: this };

    if (!args.existingVpc) {
      // Explicitly empty rule lists make every update remove rules added to the default group later.
      new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId, ingress: [], egress: [] }, childOpts);
    }

    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: `/loglake/${name}/vpc-flow-logs`, retentionInDays, kmsKeyId: args.logsKeyArn },
      childOpts,
    );
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `Lets VPC Flow Logs of this account and region publish to ${name}'s flow-log group`,
        assumeRolePolicy: account.apply((acct) => JSON.stringify(flowLogsTrustPolicy(acct))),
      },
      childOpts,
    );
    const flowLogRolePolicy = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.name,
        policy: pulumi
          .all([flowLogGroup.arn, account])
          .apply(([arn, acct]) => JSON.stringify(flowLogsPublishPolicy(arn, acct))),
      },
      childOpts,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
      },
      // Without its permissions in place the flow log starts in an access-error state.
      { parent: this, dependsOn: [flowLogRolePolicy] },
    );

    const serviceName = (service: string) =>
      pulumi.interpolate`${account.reverseDnsPrefix}.${account.region}.${service}`;
    for (const service of gatewayEndpointServices) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId,
          serviceName: serviceName(service),
          vpcEndpointType: "Gateway",
          routeTableIds: placement.routeTableIds,
        },
        childOpts,
      );
    }

    if (interfaceEndpoints) {
      const endpointGroup = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        { vpcId, description: "AWS API interface endpoints: HTTPS from inside the VPC only" },
        childOpts,
      );
      // No egress rule: endpoint interfaces only answer connections, which security groups let out.
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-https`,
        {
          securityGroupId: endpointGroup.id,
          description: "HTTPS from the VPC",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: placement.vpcCidr,
        },
        childOpts,
      );
      for (const service of interfaceEndpointServices) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace(".", "-")}`,
          {
            vpcId,
            serviceName: serviceName(service),
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: placement.privateSubnetIds,
            securityGroupIds: [endpointGroup.id],
          },
          childOpts,
        );
      }
      this.endpointSecurityGroupId = endpointGroup.id;
    }

    this.vpcId = vpcId;
    this.privateSubnetIds = placement.privateSubnetIds;
    this.availabilityZones = placement.availabilityZones;
    this.vpcCidr = placement.vpcCidr;
    this.flowLogGroupName = flowLogGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      availabilityZones: this.availabilityZones,
      vpcCidr: this.vpcCidr,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      flowLogGroupName: this.flowLogGroupName,
    });
  }

  private newVpc(name: string, args: NewVpcArgs, privateDns: boolean): pulumi.Output<Placement> {
    const cidr = args.cidr ?? "10.0.0.0/16";
    const azCount = args.azCount ?? 3;
    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: cidr,
        numberOfAvailabilityZones: azCount,
        subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
        subnetSpecs: [
          { type: awsx.ec2.SubnetType.Private, cidrMask: privateSubnetMask(name, cidr, azCount) },
          { type: awsx.ec2.SubnetType.Public, cidrMask: publicSubnetMask },
        ],
        natGateways: { strategy: natStrategies[args.natGateways ?? "onePerAz"] },
        enableDnsHostnames: true,
        enableDnsSupport: true,
      },
      remoteChildOptions(this),
    );
    return lookUpPlacement(this, `Network ${name}`, vpc.vpcId, vpc.privateSubnetIds, privateDns);
  }

  private existingVpc(
    name: string,
    existing: ExistingVpcArgs["existingVpc"],
    privateDns: boolean,
  ): pulumi.Output<Placement> {
    const { vpcId, privateSubnetIds } = existing;
    const repeated = privateSubnetIds.filter((id, i) => privateSubnetIds.indexOf(id) !== i);
    if (privateSubnetIds.length < 2 || repeated.length > 0) {
      throw new Error(
        `Network ${name}: existing VPC ${vpcId} needs at least two different private subnets, one per AZ; got ${privateSubnetIds.join(", ") || "none"}`,
      );
    }
    return lookUpPlacement(this, `Network ${name}`, vpcId, privateSubnetIds, privateDns);
  }
}

/**
 * Private subnets take the first half of each AZ's share of the VPC (awsx's own default), the /28
 * public subnet follows, and the rest of the share stays free for later use.
 */
export function privateSubnetMask(name: string, cidr: string, azCount: number): number {
  const block = parseIpv4Cidr(cidr);
  const vpcMask = block?.mask ?? Number.NaN;
  if (!block || vpcMask < 16 || vpcMask > 28) {
    throw new Error(
      `Network ${name}: cidr = ${cidr}: a VPC takes an IPv4 CIDR block from /16 to /28, e.g. 10.0.0.0/16`,
    );
  }
  const hostBits = hostBitsProblem(block);
  if (hostBits) throw new Error(`Network ${name}: cidr = ${cidr} ${hostBits}`);
  if (!Number.isInteger(azCount) || azCount < 2) {
    throw new Error(`Network ${name}: azCount = ${azCount}: at least 2 availability zones`);
  }
  const mask = vpcMask + Math.ceil(Math.log2(azCount)) + 1;
  if (mask > publicSubnetMask) {
    throw new Error(
      `Network ${name}: cidr = ${cidr} is too small for ${azCount} AZs with a private and a /28 public subnet each`,
    );
  }
  return mask;
}

/**
 * Looks the VPC, its private subnets and their route tables up in AWS and checks that they can carry
 * the platform (see `placementProblems`). The check can only run once AWS answers; it fails inside
 * the output every resource in the VPC takes its VPC, subnets or route tables from, so none of them
 * is created and the deployment reports what is wrong, naming the subnets and their AZs.
 */
function lookUpPlacement(
  parent: pulumi.Resource,
  label: string,
  vpcId: pulumi.Input<string>,
  subnetIds: pulumi.Input<string[]>,
  privateDns: boolean,
): pulumi.Output<Placement> {
  const opts = { parent };
  return pulumi.all([vpcId, subnetIds]).apply(async ([vpcId, subnetIds]) => {
    const routeTablesMatching = (name: string, value: string) =>
      aws.ec2.getRouteTables({ vpcId, filters: [{ name, values: [value] }] }, opts).then((tables) => tables.ids);
    const [vpc, subnets, [mainRouteTable], internetRouteTables, associated] = await Promise.all([
      aws.ec2.getVpc({ id: vpcId }, opts),
      Promise.all(subnetIds.map((id) => aws.ec2.getSubnet({ id }, opts))),
      routeTablesMatching("association.main", "true"),
      routeTablesMatching("route.gateway-id", "igw-*"),
      Promise.all(subnetIds.map((id) => routeTablesMatching("association.subnet-id", id))),
    ]);
    // A subnet without an explicit association routes through the VPC's main route table.
    const placed = subnets.map((subnet, i) => ({ ...subnet, routeTableId: associated[i][0] ?? mainRouteTable }));
    const problems = placementProblems(vpc, placed, new Set(internetRouteTables), privateDns);
    if (problems.length > 0) throw new pulumi.ResourceError(`${label}: ${problems.join("; ")}`, parent, true);
    return {
      vpcId,
      vpcCidr: vpc.cidrBlock,
      privateSubnetIds: subnetIds,
      availabilityZones: subnets.map((subnet) => subnet.availabilityZone),
      routeTableIds: [...new Set(placed.map((subnet) => subnet.routeTableId))],
    };
  });
}

interface PlacedSubnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
  routeTableId: string;
}

/**
 * Why the VPC and subnets cannot carry the platform: subnets outside the VPC, fewer than two AZs or
 * two subnets in one AZ (interface endpoints and brokers take one subnet per AZ), a "private" subnet
 * whose route table reaches an internet gateway, or private DNS for endpoints without the VPC's DNS
 * support and hostnames.
 */
function placementProblems(
  vpc: { id: string; enableDnsSupport: boolean; enableDnsHostnames: boolean },
  subnets: PlacedSubnet[],
  internetRouteTables: ReadonlySet<string>,
  privateDns: boolean,
): string[] {
  const listing = subnets
    .map((s) => `${s.id} (${s.availabilityZone}${s.vpcId === vpc.id ? "" : `, ${s.vpcId}`})`)
    .join(", ");
  const zones = new Set(subnets.map((s) => s.availabilityZone));
  const exposed = subnets.filter((s) => internetRouteTables.has(s.routeTableId));
  return [
    subnets.some((s) => s.vpcId !== vpc.id) && `private subnets must all be in VPC ${vpc.id}: ${listing}`,
    zones.size < 2 && `private subnets must span at least 2 availability zones: ${listing}`,
    zones.size >= 2 && zones.size < subnets.length && `private subnets must be one per availability zone: ${listing}`,
    exposed.length > 0 &&
      `private subnets must not route to an internet gateway: ${exposed.map((s) => `${s.id} (route table ${s.routeTableId})`).join(", ")}`,
    privateDns &&
      !(vpc.enableDnsSupport && vpc.enableDnsHostnames) &&
      `interface endpoints with private DNS need the VPC's DNS support and DNS hostnames on (enableDnsSupport ${vpc.enableDnsSupport}, enableDnsHostnames ${vpc.enableDnsHostnames}); turn them on or set interfaceEndpoints to false`,
  ].filter((problem): problem is string => typeof problem === "string");
}

/** VPC Flow Logs may assume the role only for flow logs of this account and region (confused deputy). */
function flowLogsTrustPolicy(account: AwsAccount) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": account.accountId },
          ArnLike: {
            "aws:SourceArn": `arn:${account.partition}:ec2:${account.region}:${account.accountId}:vpc-flow-log/*`,
          },
        },
      },
    ],
  };
}

/**
 * Publishing rights on the one flow-log group: the group itself and its streams (`:*`). The role
 * policy AWS documents for flow logs also lists logs:DescribeLogGroups, which IAM authorizes against
 * no particular group (`arn:...:log-group::log-stream:`), so a grant on the group ARN never matches
 * it; it is granted on this account's and region's log groups, and reveals only their metadata.
 */
function flowLogsPublishPolicy(logGroupArn: string, account: AwsAccount) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:*`,
      },
    ],
  };
}
