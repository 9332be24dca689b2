import { loadConfig, LoglakeConfig, loglakeKeys, parseConfig } from "../config";
import { deployLoglake, StackOutputs } from "../program";
import { OfflineRun, RegisteredResource, runOffline } from "./engine";
import { MOCK_ACCOUNT_ID, MockOptions } from "./mocks";
import { existingVpcFixtures, resolvedOutputs } from "./stack";
import { readStackFile } from "./stack-file";

/**
 * `npm run plan -- --fresh-account`: plans every stack in the documented deploy order into an
 * empty simulated account and fails at the first step that needs something no earlier step made.
 *
 * `npm run plan -- <stack>` answers every StackReference by planning the referenced stack, and
 * every name it is given as if it existed; that hides a deploy order that cannot work. Here the
 * account starts empty and each step adds what it created, and a step may use only that and its
 * own resources:
 * - a StackReference sees the outputs of stacks deployed by earlier steps only;
 * - an RDS read replica's source (`replicateSourceDb`) must be an instance that exists in its region;
 * - an S3 replication rule's destination bucket must exist;
 * - an IAM service-linked role a resource names (a KMS grant's grantee) must exist: a fresh account
 *   has none until something creates it.
 * What it cannot see: names passed through config to things loglake does not create (an existing
 * VPC is taken as given, as `npm run plan` does), and the order of creation within one step.
 */

/** The order README documents ("Stacks and how they relate"): prod reads dr's replica targets. */
export const documentedOrder = ["dr", "prod", "dev"];

/** What the simulated account holds after the steps so far. */
export interface SimulatedAccount {
  /** Stack name → its outputs, for StackReferences. */
  stacks: Map<string, Record<string, unknown>>;
  /** `<region>/<identifier>` of every RDS instance. */
  rdsInstances: Set<string>;
  /** Every S3 bucket name (global). */
  buckets: Set<string>;
  /** AWS service principals (`autoscaling.amazonaws.com`) whose service-linked role exists. */
  serviceLinkedRoles: Set<string>;
}

export const emptyAccount = (): SimulatedAccount => ({
  stacks: new Map(),
  rdsInstances: new Set(),
  buckets: new Set(),
  serviceLinkedRoles: new Set(),
});

/** One thing a step needs that the account does not have. */
export interface Missing {
  resource: string;
  what: string;
}

export interface StepResult {
  step: number;
  stack: string;
  resources: number;
  missing: Missing[];
  /** The step could not be planned at all (a StackReference to a stack not deployed yet). */
  error?: string;
}

class NotYetDeployed extends Error {}

/** StackReference names (`organization/loglake/dr`, `dr`) end in the stack name. */
const stackOf = (reference: string) => reference.split("/").pop()!;

function fixtures(config: LoglakeConfig, account: SimulatedAccount): MockOptions {
  // The mocks look a referenced stack up by the name the program gives; answer only deployed ones.
  const stackOutputs = new Proxy({} as Record<string, Record<string, unknown>>, {
    get: (_, name) => {
      if (typeof name !== "string") return undefined;
      const outputs = account.stacks.get(stackOf(name));
      if (!outputs) {
        throw new NotYetDeployed(`StackReference ${name}: stack ${stackOf(name)} is not deployed by an earlier step`);
      }
      return outputs;
    },
  });
  return { defaultRegion: config.region, ...existingVpcFixtures(config), stackOutputs };
}

/** The region each resource is created in: its provider's, else the stack's. */
function regionOf(resources: RegisteredResource[], defaultRegion: string) {
  const providerRegions = new Map(
    resources
      .filter((r) => r.type === "pulumi:providers:aws")
      .map((r) => [r.urn, (r.inputs.region as string | undefined) ?? defaultRegion]),
  );
  return (r: RegisteredResource) => {
    const provider = r.options.provider ?? r.options.providers.aws;
    return (provider && providerRegions.get(provider.slice(0, provider.lastIndexOf("::")))) || defaultRegion;
  };
}

/** What one step creates, in the terms the checks use. */
function created(resources: RegisteredResource[], region: (r: RegisteredResource) => string): SimulatedAccount {
  const made = emptyAccount();
  for (const r of resources) {
    if (r.type === "aws:rds/instance:Instance" && typeof r.inputs.identifier === "string") {
      made.rdsInstances.add(`${region(r)}/${r.inputs.identifier}`);
    }
    if (r.type === "aws:s3/bucket:Bucket" && typeof r.inputs.bucket === "string") made.buckets.add(r.inputs.bucket);
    if (r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole" && typeof r.inputs.awsServiceName === "string") {
      made.serviceLinkedRoles.add(r.inputs.awsServiceName);
    }
  }
  return made;
}

const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);

/** Every string anywhere in a value. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === "object") for (const v of Object.values(value)) yield* strings(v);
}

/** What the step's resources name that neither the account nor the step itself has. */
export function missingThings(
  resources: RegisteredResource[],
  account: SimulatedAccount,
  defaultRegion: string,
): Missing[] {
  const region = regionOf(resources, defaultRegion);
  const own = created(resources, region);
  const rds = union(account.rdsInstances, own.rdsInstances);
  const buckets = union(account.buckets, own.buckets);
  const slrs = union(account.serviceLinkedRoles, own.serviceLinkedRoles);
  const missing: Missing[] = [];
  const label = (r: RegisteredResource) => `${r.type} ${r.name}`;
  for (const r of resources) {
    const source = r.type === "aws:rds/instance:Instance" ? r.inputs.replicateSourceDb : undefined;
    if (typeof source === "string") {
      // An ARN names its region; a bare identifier is in the replica's own region.
      const arn = /^arn:[\w-]+:rds:([\w-]+):\d*:db:(.+)$/.exec(source);
      const [sourceRegion, identifier] = arn ? [arn[1], arn[2]] : [region(r), source];
      if (!rds.has(`${sourceRegion}/${identifier}`)) {
        missing.push({ resource: label(r), what: `its replica source, RDS instance ${identifier} in ${sourceRegion}` });
      }
    }
    if (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
      for (const rule of (r.inputs.rules as { destination?: { bucket?: string } }[] | undefined) ?? []) {
        const bucket = rule.destination?.bucket?.replace(/^arn:[\w-]+:s3:::/, "");
        if (bucket && !buckets.has(bucket)) {
          missing.push({ resource: label(r), what: `its replication destination, S3 bucket ${bucket}` });
        }
      }
    }
    for (const text of new Set(strings(r.inputs))) {
      const slr = /^arn:[\w-]+:iam::\d*:role\/aws-service-role\/([\w.-]+)\/([\w+=,.@-]+)$/.exec(text);
      if (slr && !slrs.has(slr[1])) {
        missing.push({ resource: label(r), what: `the service-linked role ${slr[2]} (${slr[1]})` });
      }
    }
  }
  return missing;
}

/**
 * Plans `order` step by step into `account` (empty by default) and stops at the first step that
 * cannot be planned or that needs something missing. The account is left as the last good step made it.
 */
export async function simulateFreshAccount(
  order: string[] = documentedOrder,
  account: SimulatedAccount = emptyAccount(),
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [i, stack] of order.entries()) {
    const step = i + 1;
    const file = readStackFile(stack);
    const config = parseConfig(stack, loglakeKeys(file.config));
    let run: OfflineRun<StackOutputs>;
    try {
      run = await runOffline({
        stack,
        config: file.config,
        secretKeys: file.secretKeys,
        mocks: fixtures(config, account),
        program: () => deployLoglake(loadConfig()),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const notDeployed = /StackReference .*: stack .* is not deployed by an earlier step/.exec(message);
      results.push({ step, stack, resources: 0, missing: [], error: notDeployed ? notDeployed[0] : message });
      return results;
    }
    const missing = missingThings(run.resources, account, config.region);
    results.push({ step, stack, resources: run.resources.length, missing });
    if (missing.length) return results;
    const made = created(run.resources, regionOf(run.resources, config.region));
    made.rdsInstances.forEach((x) => account.rdsInstances.add(x));
    made.buckets.forEach((x) => account.buckets.add(x));
    made.serviceLinkedRoles.forEach((x) => account.serviceLinkedRoles.add(x));
    account.stacks.set(stack, await resolvedOutputs(run));
  }
  return results;
}

export const simulationPassed = (results: StepResult[], order: string[]) =>
  results.length === order.length && results.every((r) => !r.error && r.missing.length === 0);

export function renderSimulation(results: StepResult[], order: string[]): string {
  const lines = [`Fresh-account simulation: ${order.join(" → ")} into an empty account (${MOCK_ACCOUNT_ID}, offline)`];
  for (const r of results) {
    if (r.error) {
      lines.push(`step ${r.step} ${r.stack}: FAILED, cannot be planned: ${r.error}`);
    } else if (r.missing.length) {
      lines.push(`step ${r.step} ${r.stack}: FAILED, ${r.missing.length} thing(s) no earlier step creates:`);
      for (const m of r.missing) lines.push(`  - ${m.resource} needs ${m.what}`);
    } else {
      lines.push(`step ${r.step} ${r.stack}: ok (${r.resources} resources)`);
    }
  }
  const skipped = order.slice(results.length);
  if (skipped.length) lines.push(`not reached: ${skipped.join(", ")}`);
  lines.push(
    simulationPassed(results, order)
      ? "every step deploys in this order"
      : "this order does not deploy into a fresh account",
  );
  return lines.join("\n");
}
