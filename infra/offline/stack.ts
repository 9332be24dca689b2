import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { loadConfig } from "../config";
import { deployLoglake, StackOutputs } from "../program";
import { OfflineRun, runOffline, valueOf } from "./engine";
import { MockOptions, SubnetFixture } from "./mocks";

export const stacksDir = path.resolve(__dirname, "../../stacks");

/** The stacks shipped in stacks/ (Pulumi.<name>.yaml). */
export function shippedStacks(): string[] {
  return fs
    .readdirSync(stacksDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

export interface StackFile {
  /** Flat config as the language host passes it: "namespace:key" → string (structured values as JSON). */
  config: Record<string, string>;
  /** Keys whose values are `secure:` ciphertext; offline they stand as a redacted placeholder. */
  secretKeys: string[];
}

/** Reads stacks/Pulumi.<stack>.yaml the way the Pulumi CLI hands it to the program. */
export function readStackFile(stack: string): StackFile {
  const file = path.join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${path.relative(process.cwd(), file)}; shipped stacks: ${shippedStacks().join(", ")}`);
  }
  const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value && typeof value === "object" && "secure" in value) {
      secretKeys.push(key);
      config[key] = "[secret]";
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/** The raw value of one `loglake:` key of a stack file, parsed. */
function rawKey(file: StackFile, key: string): any {
  const value = file.config[`loglake:${key}`];
  return value === undefined ? undefined : JSON.parse(value);
}

/**
 * What the offline engine answers for lookups of things loglake does not create: an existing VPC's
 * subnets (spread over three AZs) and the outputs of the stacks this one references.
 */
async function fixturesFor(stack: string, file: StackFile): Promise<MockOptions> {
  const region = file.config["loglake:region"] ?? "eu-west-1";
  const network = rawKey(file, "network");
  const subnets: Record<string, SubnetFixture> = {};
  const vpcs: Record<string, { cidrBlock: string }> = {};
  if (network?.mode === "existing") {
    vpcs[network.vpcId] = { cidrBlock: "10.0.0.0/16" };
    (network.privateSubnetIds as string[]).forEach((id, i) => {
      subnets[id] = { vpcId: network.vpcId, availabilityZone: `${region}${"abc"[i % 3]}`, cidrBlock: `10.0.${i * 16}.0/20` };
    });
  }
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  const drStack: string | undefined = rawKey(file, "lake")?.replication?.drStack;
  if (drStack) {
    const referenced = drStack.split("/").pop()!;
    if (referenced === stack) throw new Error(`stack ${stack} references itself as its DR stack`);
    stackOutputs[drStack] = await resolvedOutputs(await planStack(referenced));
  }
  return { defaultRegion: region, subnets, vpcs, stackOutputs };
}

async function resolvedOutputs(run: OfflineRun<StackOutputs>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(run.result).map(async ([k, v]) => [k, await valueOf(v)] as const));
  return Object.fromEntries(entries);
}

/**
 * Runs the real program for a shipped stack under the offline engine: its stack file, the shared
 * mocks, and (for stacks that read another stack's outputs) that stack planned first.
 */
export async function planStack(stack: string): Promise<OfflineRun<StackOutputs>> {
  const file = readStackFile(stack);
  const mocks = await fixturesFor(stack, file);
  return runOffline({ stack, config: file.config, secretKeys: file.secretKeys, mocks, program: () => deployLoglake(loadConfig()) });
}
