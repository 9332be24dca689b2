import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { interfaceEndpointServices, NetworkArgs } from "../../components/network/network";
import { AwsAccount } from "../../components/security/account";
import { parseIpv4Cidr } from "../../components/shared/cidr";
import { Environment, ipv4Cidr, logRetention, section } from "./common";

const shared = {
  interfaceEndpoints: z
    .boolean()
    .describe(`Interface endpoints (${interfaceEndpointServices.join(", ")}) keep AWS API traffic off NAT.`),
  flowLogRetentionDays: logRetention.describe("Days the VPC flow logs are kept."),
};

/** A VPC loglake creates. */
const createVpc = z.strictObject({
  mode: z.literal("create").describe("Create a VPC (default)."),
  cidr: ipv4Cidr
    .refine((c) => {
      // A malformed block has its own message already.
      const mask = parseIpv4Cidr(c)?.mask;
      return mask === undefined || (mask >= 16 && mask <= 24);
    }, "a prefix length from /16 to /24")
    .describe("The VPC's IPv4 CIDR block, /16 to /24, split into a private and a public subnet per AZ."),
  azCount: z.number().int().min(2).max(6).describe("Availability zones to spread subnets over (2 to 6)."),
  natGateways: z
    .enum(["single", "onePerAz"])
    .describe("NAT gateways: one shared (cheap, one AZ's outage cuts egress) or one per AZ (highly available)."),
  ...shared,
});

/** A VPC the customer already has. */
const existingVpc = z.strictObject({
  mode: z.literal("existing").describe("Use a VPC the customer already has."),
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]{8,17}$/, "a VPC id such as vpc-0abc12345def67890")
    .describe("The existing VPC's id."),
  privateSubnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "a subnet id such as subnet-0abc12345def67890"))
    .min(2, "at least two private subnets, in different AZs")
    .describe("Private subnets for workloads in at least two AZs (checked against AWS when the stack runs)."),
  ...shared,
});

export const networkSchema = z.discriminatedUnion("mode", [createVpc, existingVpc]);
export type NetworkSettings = z.infer<typeof networkSchema>;

const createDefaults: Record<Environment, z.input<typeof createVpc>> = {
  dev: {
    mode: "create",
    cidr: "10.40.0.0/16",
    azCount: 2,
    natGateways: "single",
    interfaceEndpoints: false,
    flowLogRetentionDays: 30,
  },
  prod: {
    mode: "create",
    cidr: "10.20.0.0/16",
    azCount: 3,
    natGateways: "onePerAz",
    interfaceEndpoints: true,
    flowLogRetentionDays: 365,
  },
  dr: {
    mode: "create",
    cidr: "10.30.0.0/16",
    azCount: 3,
    natGateways: "onePerAz",
    interfaceEndpoints: true,
    flowLogRetentionDays: 365,
  },
};

/** Defaults for the chosen mode: an existing VPC takes only the settings both modes share. */
function networkDefaults(environment: Environment, raw: unknown): Partial<z.input<typeof networkSchema>> {
  const defaults = createDefaults[environment];
  if ((raw as { mode?: unknown } | undefined)?.mode !== "existing") return defaults;
  return { interfaceEndpoints: defaults.interfaceEndpoints, flowLogRetentionDays: defaults.flowLogRetentionDays };
}

export const networkSection = section({ key: "network", schema: networkSchema, defaults: networkDefaults });

/** The Network's args for a stack: a new VPC or the customer's, flow logs under the logs key. */
export function networkArgs(
  config: { network: NetworkSettings },
  deps: { logsKeyArn: pulumi.Input<string>; account: pulumi.Input<AwsAccount> },
): NetworkArgs {
  const { network } = config;
  return {
    ...(network.mode === "create"
      ? { cidr: network.cidr, azCount: network.azCount, natGateways: network.natGateways }
      : { existingVpc: { vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds } }),
    interfaceEndpoints: network.interfaceEndpoints,
    flowLogRetentionDays: network.flowLogRetentionDays,
    logsKeyArn: deps.logsKeyArn,
    account: deps.account,
  };
}
