import { loadConfig, LoglakeConfig, loglakeKeys, parseConfig } from "../config";
import { deployLoglake, StackOutputs } from "../program";
import { OfflineRun, runOffline, valueOf } from "./engine";
import { MockOptions, SubnetFixture } from "./mocks";
import { readStackFile } from "./stack-file";

/**
 * The customer's own VPC, which loglake does not create, as lookups see it: its private subnets
 * spread over three AZs.
 */
export function existingVpcFixtures(config: LoglakeConfig): Pick<MockOptions, "subnets" | "vpcs"> {
  const { region, network } = config;
  const subnets: Record<string, SubnetFixture> = {};
  const vpcs: Record<string, { cidrBlock: string }> = {};
  if (network?.mode === "existing") {
    vpcs[network.vpcId] = { cidrBlock: "10.0.0.0/16" };
    network.privateSubnetIds.forEach((id, i) => {
      subnets[id] = {
        vpcId: network.vpcId,
        availabilityZone: `${region}${"abc"[i % 3]}`,
        cidrBlock: `10.0.${i * 16}.0/20`,
      };
    });
  }
  return { subnets, vpcs };
}

/**
 * What the offline engine answers for lookups of things loglake does not create: an existing VPC
 * and the outputs of the stacks this one references.
 */
async function fixturesFor(config: LoglakeConfig): Promise<MockOptions> {
  const { stack, region } = config;
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  const { enabled, drStack } = config.lake.replication;
  if (enabled && drStack) {
    const referenced = drStack.split("/").pop()!;
    if (referenced === stack) throw new Error(`stack ${stack} references itself as its DR stack`);
    stackOutputs[drStack] = await resolvedOutputs(await planStack(referenced));
  }
  return { defaultRegion: region, ...existingVpcFixtures(config), stackOutputs };
}

/** A run's stack outputs with every Output resolved, as a StackReference reads them. */
export async function resolvedOutputs(run: OfflineRun<StackOutputs>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(run.result).map(async ([k, v]) => [k, await valueOf(v)] as const));
  return Object.fromEntries(entries);
}

/**
 * Runs the real program for a shipped stack under the offline engine: its stack file, the shared
 * mocks, and (for stacks that read another stack's outputs) that stack planned first.
 */
export async function planStack(stack: string, stackFile?: string): Promise<OfflineRun<StackOutputs>> {
  const file = readStackFile(stack, stackFile);
  // Refuse bad config before planning any referenced stack or registering anything.
  const mocks = await fixturesFor(parseConfig(stack, loglakeKeys(file.config)));
  return runOffline({
    stack,
    config: file.config,
    secretKeys: file.secretKeys,
    mocks,
    program: () => deployLoglake(loadConfig()),
  });
}
