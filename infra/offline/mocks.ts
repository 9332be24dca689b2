import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * The one mock layer shared by `npm run plan`, `npm run verify` and the tests. It answers resource
 * registrations and provider calls the way AWS would shape them (ARNs in the provider's region,
 * generated physical names), and gives remote components (awsx, eks), which cannot run under mocks,
 * the outputs their real implementations produce.
 */

export const MOCK_ACCOUNT_ID = "123456789012";

/** What an existing subnet looks like to `aws.ec2.getSubnet`; tests register their own. */
export interface SubnetFixture {
  vpcId: string;
  availabilityZone: string;
  cidrBlock: string;
}

export interface MockOptions {
  /** Region of resources created through the default provider. */
  defaultRegion: string;
  /** Existing subnets by id, for the existing-VPC path. */
  subnets?: Record<string, SubnetFixture>;
  /** Existing VPCs by id and their CIDR. */
  vpcs?: Record<string, { cidrBlock: string }>;
  /** Outputs of stacks read through StackReference, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
}

type State = Record<string, any>;

const shortHash = (text: string, length = 8) =>
  crypto.createHash("sha256").update(text).digest("hex").slice(0, length);

/** A deterministic UUID, so two plans of the same program print the same identifiers. */
const stableUuid = (text: string) => {
  const h = shortHash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

const azLetters = "abcdef";

export class LoglakeMocks implements pulumi.runtime.Mocks {
  private readonly providerRegions = new Map<string, string>();

  constructor(private readonly options: MockOptions) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const region = (args.inputs.region as string | undefined) ?? this.regionOf(args.provider);
    const id = this.physicalId(args);
    const outputs = this.outputsFor(args, id, region);
    if (args.type === "pulumi:providers:aws") {
      this.providerRegions.set(id, (args.inputs.region as string) ?? this.options.defaultRegion);
    }
    return { id, state: { ...args.inputs, ...outputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    const region = (args.inputs.region as string | undefined) ?? this.regionOf(args.provider);
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_ACCOUNT_ID,
          arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
          userId: "AIDAOFFLINEPLAN",
          id: MOCK_ACCOUNT_ID,
        };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const names = [...azLetters].map((letter) => `${region}${letter}`);
        return { names, zoneIds: names.map((_, i) => `${region.slice(0, 3)}-az${i + 1}`), id: region };
      }
      case "aws:ec2/getVpc:getVpc": {
        const vpcId = args.inputs.id as string;
        const vpc = this.options.vpcs?.[vpcId];
        if (!vpc) throw new Error(`no VPC ${vpcId} in this account (offline fixtures know: ${Object.keys(this.options.vpcs ?? {}).join(", ") || "none"})`);
        return { id: vpcId, cidrBlock: vpc.cidrBlock, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${vpcId}` };
      }
      case "aws:ec2/getSubnet:getSubnet": {
        const subnetId = args.inputs.id as string;
        const subnet = this.options.subnets?.[subnetId];
        if (!subnet) throw new Error(`no subnet ${subnetId} in this account`);
        return { id: subnetId, ...subnet, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/${subnetId}` };
      }
      default:
        return { ...args.inputs, id: `${args.token}-${shortHash(JSON.stringify(args.inputs))}` };
    }
  }

  private regionOf(provider: string | undefined): string {
    // Provider references read "<urn>::<id>".
    const providerId = provider?.slice(provider.lastIndexOf("::") + 2);
    return (providerId && this.providerRegions.get(providerId)) || this.options.defaultRegion;
  }

  private physicalId(args: pulumi.runtime.MockResourceArgs): string {
    const suffix = shortHash(`${args.type}/${args.name}`);
    switch (args.type) {
      case "aws:s3/bucket:Bucket":
        return (args.inputs.bucket as string) ?? `${args.name}-${suffix}`;
      case "aws:kms/key:Key":
        return stableUuid(args.name);
      case "aws:ec2/vpc:Vpc":
        return `vpc-${suffix}`;
      case "aws:ec2/securityGroup:SecurityGroup":
      case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
        return `sg-${suffix}`;
      case "aws:ec2/subnet:Subnet":
        return `subnet-${suffix}`;
      default:
        return `${args.name}-${suffix}`;
    }
  }

  /** Computed outputs AWS returns, by resource type; everything else echoes its inputs. */
  private outputsFor(args: pulumi.runtime.MockResourceArgs, id: string, region: string): State {
    const name = (args.inputs.name as string | undefined) ?? args.name;
    const arn = (service: string, resource: string, withRegion = true) =>
      `arn:aws:${service}:${withRegion ? region : ""}:${service === "s3" ? "" : MOCK_ACCOUNT_ID}:${resource}`;
    switch (args.type) {
      case "pulumi:pulumi:StackReference": {
        const stackName = args.inputs.name as string;
        const outputs = this.options.stackOutputs?.[stackName];
        if (!outputs) throw new Error(`no outputs known for stack ${stackName} (offline fixtures)`);
        return { outputs, secretOutputNames: [] };
      }
      case "aws:s3/bucket:Bucket":
        return {
          bucket: id,
          arn: `arn:aws:s3:::${id}`,
          region,
          bucketDomainName: `${id}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${id}.s3.${region}.amazonaws.com`,
        };
      case "aws:kms/key:Key":
        return { keyId: id, arn: arn("kms", `key/${id}`) };
      case "aws:kms/alias:Alias":
        return { arn: arn("kms", name), targetKeyArn: args.inputs.targetKeyId };
      case "aws:iam/role:Role":
        return { arn: arn("iam", `role/${name}`, false), name, uniqueId: `AROA${shortHash(name, 16).toUpperCase()}` };
      case "aws:iam/policy:Policy":
        return { arn: arn("iam", `policy/${name}`, false), name, policyId: `ANPA${shortHash(name, 16).toUpperCase()}` };
      case "aws:cloudwatch/logGroup:LogGroup":
        return { arn: arn("logs", `log-group:${name}`), name };
      case "aws:sns/topic:Topic":
        return { arn: arn("sns", name), name };
      case "aws:sqs/queue:Queue":
        return { arn: arn("sqs", name), name, url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}` };
      case "aws:ec2/securityGroup:SecurityGroup":
        return { arn: arn("ec2", `security-group/${id}`), name };
      case "aws:ec2/vpcEndpoint:VpcEndpoint":
        return { arn: arn("ec2", `vpc-endpoint/${id}`), dnsEntries: [], networkInterfaceIds: [] };
      case "aws:ec2/flowLog:FlowLog":
        return { arn: arn("ec2", `vpc-flow-log/${id}`) };
      case "awsx:ec2:Vpc":
        return this.awsxVpcOutputs(args, id, region);
      default:
        return args.custom ? { arn: arn(serviceOf(args.type), `${name}`) } : {};
    }
  }

  /** awsx.ec2.Vpc creates its subnets per AZ; the ids follow its layout (private and public per AZ). */
  private awsxVpcOutputs(args: pulumi.runtime.MockResourceArgs, id: string, region: string): State {
    const azNames: string[] =
      (args.inputs.availabilityZoneNames as string[] | undefined) ??
      [...azLetters].slice(0, (args.inputs.numberOfAvailabilityZones as number | undefined) ?? 3).map((l) => `${region}${l}`);
    const vpcId = `vpc-${shortHash(id)}`;
    const subnet = (kind: string, az: string) => `subnet-${kind}-${shortHash(`${id}/${kind}/${az}`)}`;
    const natCount =
      args.inputs.natGateways?.strategy === "None" ? 0 : args.inputs.natGateways?.strategy === "OnePerAz" ? azNames.length : 1;
    return {
      vpcId,
      vpc: { id: vpcId, cidrBlock: args.inputs.cidrBlock ?? "10.0.0.0/16", defaultSecurityGroupId: `sg-default-${shortHash(id)}` },
      privateSubnetIds: azNames.map((az) => subnet("private", az)),
      publicSubnetIds: natCount > 0 ? azNames.map((az) => subnet("public", az)) : [],
      isolatedSubnetIds: [],
      natGateways: Array.from({ length: natCount }, (_, i) => ({ id: `nat-${shortHash(`${id}/${i}`)}` })),
      subnetLayout: [],
      routeTables: [],
      routeTableAssociations: [],
      routes: [],
      subnets: [],
      eips: [],
      vpcEndpoints: [],
    };
  }
}

/** "aws:sqs/queue:Queue" → "sqs". */
function serviceOf(type: string): string {
  const [pkg, module] = type.split(":");
  return pkg === "aws" ? module.split("/")[0] : pkg;
}
