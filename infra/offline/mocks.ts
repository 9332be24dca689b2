import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { serviceLinkedRoleNames } from "../../components/shared/service-linked-roles";

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
  /** Route table explicitly associated with the subnet; without one the subnet uses its VPC's main route table. */
  routeTableId?: string;
}

/** What an existing VPC looks like to `aws.ec2.getVpc`: DNS support and hostnames are on unless set otherwise. */
export interface VpcFixture {
  cidrBlock: string;
  enableDnsSupport?: boolean;
  enableDnsHostnames?: boolean;
}

/** A subnet as the account holds it: a fixture, or one a remote component (awsx.ec2.Vpc) created. */
type KnownSubnet = Omit<SubnetFixture, "cidrBlock"> & { cidrBlock?: string };

export interface MockOptions {
  /** Region of resources created through the default provider. */
  defaultRegion: string;
  /** Existing subnets by id, for the existing-VPC path. */
  subnets?: Record<string, SubnetFixture>;
  /** Existing VPCs by id. */
  vpcs?: Record<string, VpcFixture>;
  /** Route tables with a route to an internet gateway (those of public subnets), by VPC id. */
  internetRouteTables?: Record<string, string[]>;
  /** Outputs of stacks read through StackReference, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
}

type State = Record<string, unknown>;

const shortHash = (text: string, length = 8) => crypto.createHash("sha256").update(text).digest("hex").slice(0, length);

/** A deterministic UUID, so two plans of the same program print the same identifiers. */
const stableUuid = (text: string) => {
  const h = shortHash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

const azLetters = "abcdef";

export class LoglakeMocks implements pulumi.runtime.Mocks {
  private readonly providerRegions = new Map<string, string>();
  /** VPCs and subnets awsx.ec2.Vpc created during the run, so lookups find them as they would in AWS. */
  private readonly createdVpcs = new Map<string, VpcFixture>();
  private readonly createdSubnets = new Map<string, KnownSubnet>();
  private readonly createdInternetRouteTables = new Map<string, string[]>();

  constructor(private readonly options: MockOptions) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const region = (args.inputs.region as string | undefined) ?? this.regionOf(args.provider);
    const id = this.physicalId(args);
    const outputs = this.outputsFor(args, id, region);
    if (args.type === "pulumi:providers:aws") {
      this.providerRegions.set(id, (args.inputs.region as string) ?? this.options.defaultRegion);
    }
    // AWS does not echo uploaded content (a Lambda's code, an object's source) back as state.
    const echoed = Object.fromEntries(
      Object.entries(args.inputs).filter(
        ([, value]) => !(value instanceof pulumi.asset.Asset || value instanceof pulumi.asset.Archive),
      ),
    );
    return { id, state: { ...echoed, ...outputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
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
        const vpc = this.options.vpcs?.[vpcId] ?? this.createdVpcs.get(vpcId);
        if (!vpc)
          throw new Error(
            `no VPC ${vpcId} in this account (offline fixtures know: ${Object.keys(this.options.vpcs ?? {}).join(", ") || "none"})`,
          );
        return {
          id: vpcId,
          cidrBlock: vpc.cidrBlock,
          enableDnsSupport: vpc.enableDnsSupport ?? true,
          enableDnsHostnames: vpc.enableDnsHostnames ?? true,
          arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${vpcId}`,
        };
      }
      case "aws:ec2/getSubnet:getSubnet": {
        const subnetId = args.inputs.id as string;
        const subnet = this.subnet(subnetId);
        if (!subnet) throw new Error(`no subnet ${subnetId} in this account`);
        return { id: subnetId, ...subnet, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:subnet/${subnetId}` };
      }
      case "aws:ec2/getRouteTables:getRouteTables":
        return { ...args.inputs, id: region, ids: this.routeTableIds(args.inputs), tags: {} };
      default:
        return { ...args.inputs, id: `${args.token}-${shortHash(JSON.stringify(args.inputs))}` };
    }
  }

  private subnet(id: string): KnownSubnet | undefined {
    return this.options.subnets?.[id] ?? this.createdSubnets.get(id);
  }

  /**
   * Route tables of a VPC matching `association.subnet-id` (explicit associations only, as in EC2),
   * `association.main` or `route.gateway-id` = `igw-*` filters.
   */
  private routeTableIds(inputs: Record<string, unknown>): string[] {
    const vpcId = inputs.vpcId as string;
    const ids = new Set<string>();
    for (const filter of (inputs.filters ?? []) as { name: string; values: string[] }[]) {
      if (filter.name === "association.subnet-id") {
        for (const subnetId of filter.values) {
          const subnet = this.subnet(subnetId);
          if (subnet?.vpcId === vpcId && subnet.routeTableId) ids.add(subnet.routeTableId);
        }
      } else if (filter.name === "association.main" && filter.values.includes("true")) {
        ids.add(mainRouteTableId(vpcId));
      } else if (filter.name === "route.gateway-id" && filter.values.includes("igw-*")) {
        const internet = [
          ...(this.options.internetRouteTables?.[vpcId] ?? []),
          ...(this.createdInternetRouteTables.get(vpcId) ?? []),
        ];
        internet.forEach((id) => ids.add(id));
      } else {
        throw new Error(`offline getRouteTables does not know the filter ${filter.name}`);
      }
    }
    return [...ids];
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
      case "aws:msk/cluster:Cluster": {
        // MSK ARNs end in the cluster name and a UUID with a revision suffix; IAM policies use both.
        const clusterName = (args.inputs.clusterName as string | undefined) ?? args.name;
        const clusterUuid = `${stableUuid(`${region}/${clusterName}`)}-2`;
        const brokers = Array.from(
          { length: (args.inputs.numberOfBrokerNodes as number | undefined) ?? 3 },
          (_, i) => i + 1,
        );
        const host = (kind: string, i: number) =>
          `${kind}-${i}.${clusterName.toLowerCase()}.${shortHash(clusterUuid, 6)}.c2.kafka.${region}.amazonaws.com`;
        const kraft = String(args.inputs.kafkaVersion ?? "").endsWith(".kraft");
        return {
          arn: arn("kafka", `cluster/${clusterName}/${clusterUuid}`),
          clusterName,
          clusterUuid,
          currentVersion: `K${shortHash(id, 13).toUpperCase()}`,
          bootstrapBrokersSaslIam: brokers.map((i) => `${host("b", i)}:9098`).join(","),
          zookeeperConnectString: kraft ? "" : [1, 2, 3].map((i) => `${host("z", i)}:2181`).join(","),
        };
      }
      case "aws:msk/configuration:Configuration":
        return { arn: arn("kafka", `configuration/${name}/${stableUuid(`${region}/${name}`)}-2`), latestRevision: 1 };
      case "awsx:ec2:Vpc":
        return this.awsxVpcOutputs(args, id, region);
      case "aws:ecr/repository:Repository": {
        const repositoryName = (args.inputs.name as string | undefined) ?? id;
        return {
          name: repositoryName,
          arn: arn("ecr", `repository/${repositoryName}`),
          registryId: MOCK_ACCOUNT_ID,
          repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repositoryName}`,
        };
      }
      case "awsx:ecr:Image":
        // The real component builds and pushes; the digest here stands for the pushed manifest's.
        return {
          imageUri: `${String(args.inputs.repositoryUrl)}:${String(args.inputs.imageTag)}@sha256:${shortHash(id, 64)}`,
        };
      case "aws:ec2/launchTemplate:LaunchTemplate":
        return { arn: arn("ec2", `launch-template/lt-${shortHash(id, 17)}`), latestVersion: 1, defaultVersion: 1 };
      case "eks:index:Cluster":
        return eksClusterOutputs(args, id, region);
      case "eks:index:ManagedNodeGroup":
        return eksNodeGroupOutputs(args, id, region);
      case "aws:rds/instance:Instance": {
        const identifier = (args.inputs.identifier as string | undefined) ?? id;
        const address = `${identifier}.c${shortHash(`${region}/rds`, 11)}.${region}.rds.amazonaws.com`;
        const port = (args.inputs.port as number | undefined) ?? 5432;
        const instanceArn = arn("rds", `db:${identifier}`);
        return {
          identifier,
          address,
          port,
          endpoint: `${address}:${port}`,
          arn: instanceArn,
          resourceId: `db-${shortHash(instanceArn, 26).toUpperCase()}`,
          // RDS names its managed master secret rds!db-<uuid>.
          masterUserSecrets: args.inputs.manageMasterUserPassword
            ? [
                {
                  secretArn: arn(
                    "secretsmanager",
                    `secret:rds!db-${stableUuid(instanceArn)}-${shortHash(instanceArn, 6)}`,
                  ),
                  kmsKeyId: args.inputs.masterUserSecretKmsKeyId,
                  secretStatus: "active",
                },
              ]
            : [],
        };
      }
      case "aws:secretsmanager/secret:Secret":
        // Secret ARNs end in the name and six random characters.
        return { arn: arn("secretsmanager", `secret:${name}-${shortHash(id, 6)}`) };
      case "aws:cloudwatch/eventRule:EventRule":
        return { arn: arn("events", `rule/${name}`), name };
      case "aws:dynamodb/table:Table":
        // Without a name input Pulumi names the table after the resource, with a random suffix.
        return { arn: arn("dynamodb", `table/${id}`), name: id };
      case "aws:lambda/function:Function":
        return {
          arn: arn("lambda", `function:${name}`),
          qualifiedArn: arn("lambda", `function:${name}:$LATEST`),
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${name}`)}/invocations`,
          version: "$LATEST",
        };
      case "aws:scheduler/schedule:Schedule":
        return { arn: arn("scheduler", `schedule/default/${name}`) };
      case "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
        // IAM names the role after its service; the ARN's path is aws-service-role/<service>/.
        const service = args.inputs.awsServiceName as string;
        const roleName = serviceLinkedRoleNames[service] ?? `AWSServiceRoleFor${service.split(".")[0]}`;
        return { arn: arn("iam", `role/aws-service-role/${service}/${roleName}`, false), name: roleName };
      }
      case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        return { arn: arn("iam", `oidc-provider/${String(args.inputs.url).replace(/^https:\/\//, "")}`, false) };
      case "random:index/randomId:RandomId": {
        const bytes = (args.inputs.byteLength as number | undefined) ?? 8;
        const hex = shortHash(`${args.type}/${args.name}`, bytes * 2);
        return {
          hex,
          dec: BigInt(`0x${hex}`).toString(),
          b64Std: Buffer.from(hex, "hex").toString("base64"),
          b64Url: Buffer.from(hex, "hex").toString("base64url"),
        };
      }
      case "random:index/randomPassword:RandomPassword": {
        // Letters and digits of the requested length, stable per resource: what a program that reads
        // `result` (into a secret) needs, never a real password.
        const length = (args.inputs.length as number | undefined) ?? 16;
        const digest = shortHash(`${args.type}/${args.name}`, 64);
        return { result: digest.repeat(Math.ceil(length / digest.length)).slice(0, length) };
      }
      case "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": {
        // AWS's rotation applications output the ARN of the function they create.
        const functionName = (args.inputs.parameters?.functionName as string | undefined) ?? id;
        return { outputs: { RotationLambdaARN: arn("lambda", `function:${functionName}`) } };
      }
      default:
        return args.custom ? { arn: arn(serviceOf(args.type), `${name}`) } : {};
    }
  }

  /**
   * awsx.ec2.Vpc creates its subnets per AZ, each with its own route table; the ids follow its layout
   * (private and public per AZ), and the created VPC and subnets become visible to lookups.
   */
  private awsxVpcOutputs(args: pulumi.runtime.MockResourceArgs, id: string, region: string): State {
    const azNames: string[] =
      (args.inputs.availabilityZoneNames as string[] | undefined) ??
      [...azLetters]
        .slice(0, (args.inputs.numberOfAvailabilityZones as number | undefined) ?? 3)
        .map((l) => `${region}${l}`);
    const vpcId = `vpc-${shortHash(id)}`;
    const cidrBlock = (args.inputs.cidrBlock as string | undefined) ?? "10.0.0.0/16";
    // awsx passes the DNS attributes on to the VPC, whose defaults are support on, hostnames off.
    this.createdVpcs.set(vpcId, {
      cidrBlock,
      enableDnsSupport: (args.inputs.enableDnsSupport as boolean | undefined) ?? true,
      enableDnsHostnames: (args.inputs.enableDnsHostnames as boolean | undefined) ?? false,
    });
    const internetRouteTables: string[] = [];
    this.createdInternetRouteTables.set(vpcId, internetRouteTables);
    const subnet = (kind: "private" | "public", az: string) => {
      const subnetId = `subnet-${kind}-${shortHash(`${id}/${kind}/${az}`)}`;
      const routeTableId = `rtb-${shortHash(subnetId)}`;
      this.createdSubnets.set(subnetId, { vpcId, availabilityZone: az, routeTableId });
      if (kind === "public") internetRouteTables.push(routeTableId);
      return subnetId;
    };
    const natCount =
      args.inputs.natGateways?.strategy === "None"
        ? 0
        : args.inputs.natGateways?.strategy === "OnePerAz"
          ? azNames.length
          : 1;
    return {
      vpcId,
      vpc: { id: vpcId, cidrBlock, defaultSecurityGroupId: `sg-default-${shortHash(id)}` },
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

/**
 * What pulumi-eks's Cluster returns: the aws.eks.Cluster it created (as a plain object), the kubeconfig
 * and the OIDC provider. With skipDefaultSecurityGroups the security group ids are the one EKS created.
 */
function eksClusterOutputs(args: pulumi.runtime.MockResourceArgs, id: string, region: string): State {
  const name = (args.inputs.name as string | undefined) ?? `${args.name}-eksCluster-${shortHash(id, 7)}`;
  const issuerId = shortHash(`${region}/${name}`, 32).toUpperCase();
  const issuer = `oidc.eks.${region}.amazonaws.com/id/${issuerId}`;
  const endpoint = `https://${issuerId}.gr7.${region}.eks.amazonaws.com`;
  const clusterSecurityGroupId = `sg-eks-${shortHash(`${id}/cluster`)}`;
  const certificateAuthority = { data: Buffer.from(`offline CA of ${name}`).toString("base64") };
  const eksCluster = {
    name,
    arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:cluster/${name}`,
    version: args.inputs.version ?? "1.36",
    endpoint,
    certificateAuthority,
    identities: [{ oidcs: [{ issuer: `https://${issuer}` }] }],
    accessConfig: { authenticationMode: args.inputs.authenticationMode ?? "CONFIG_MAP" },
    kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
    vpcConfig: {
      vpcId: args.inputs.vpcId,
      subnetIds: args.inputs.privateSubnetIds ?? [],
      clusterSecurityGroupId,
      endpointPrivateAccess: args.inputs.endpointPrivateAccess ?? false,
      endpointPublicAccess: args.inputs.endpointPublicAccess ?? true,
      publicAccessCidrs: args.inputs.publicAccessCidrs ?? ["0.0.0.0/0"],
    },
  };
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": certificateAuthority.data } },
    ],
    contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
    "current-context": "aws",
    users: [
      {
        name: "aws",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"],
          },
        },
      },
    ],
  };
  const oidcProviderArn = args.inputs.createOidcProvider
    ? `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer}`
    : "";
  return {
    eksCluster,
    core: {
      cluster: eksCluster,
      endpoint,
      vpcId: args.inputs.vpcId,
      privateSubnetIds: args.inputs.privateSubnetIds,
      instanceRoles: [],
      accessEntries: [],
    },
    kubeconfig,
    kubeconfigJson: JSON.stringify(kubeconfig),
    oidcProviderArn,
    oidcProviderUrl: `https://${issuer}`,
    oidcIssuer: issuer,
    clusterSecurityGroupId,
    nodeSecurityGroupId: clusterSecurityGroupId,
    defaultNodeGroupAsgName: "",
  };
}

/** pulumi-eks's ManagedNodeGroup returns the aws.eks.NodeGroup, whose resources name the auto scaling group EKS made. */
function eksNodeGroupOutputs(args: pulumi.runtime.MockResourceArgs, id: string, region: string): State {
  const nodeGroupName = (args.inputs.nodeGroupName as string | undefined) ?? `${args.name}-${shortHash(id, 7)}`;
  const clusterName = (args.inputs.clusterName as string | undefined) ?? "cluster";
  const nodeGroupUuid = stableUuid(`${region}/${clusterName}/${nodeGroupName}`);
  return {
    nodeGroup: {
      nodeGroupName,
      clusterName,
      arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:nodegroup/${clusterName}/${nodeGroupName}/${nodeGroupUuid}`,
      status: "ACTIVE",
      capacityType: args.inputs.capacityType ?? "ON_DEMAND",
      instanceTypes: args.inputs.instanceTypes ?? ["t3.medium"],
      scalingConfig: args.inputs.scalingConfig,
      labels: args.inputs.labels ?? {},
      taints: args.inputs.taints ?? [],
      resources: [
        { autoscalingGroups: [{ name: `eks-${nodeGroupName}-${nodeGroupUuid}` }], remoteAccessSecurityGroupId: "" },
      ],
    },
    placementGroupName: "",
  };
}

/** Every VPC has one main route table, used by subnets without an explicit association. */
const mainRouteTableId = (vpcId: string) => `rtb-main-${shortHash(vpcId)}`;

/** "aws:sqs/queue:Queue" → "sqs". */
function serviceOf(type: string): string {
  const [pkg, module] = type.split(":");
  return pkg === "aws" ? module.split("/")[0] : pkg;
}
