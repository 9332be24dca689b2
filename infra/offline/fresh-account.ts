import { loadConfig, LoglakeConfig, loglakeKeys, parseConfig } from "../config";
import { deployLoglake, StackOutputs } from "../program";
import { OfflineRun, RegisteredResource, runOffline } from "./engine";
import { MOCK_ACCOUNT_ID, MockOptions } from "./mocks";
import { bootstrapPlanName, planBootstrap } from "./bootstrap";
import { existingVpcFixtures, resolvedOutputs } from "./stack";
import { readStackFile } from "./stack-file";

/**
 * `npm run plan -- --fresh-account`: plans the account bootstrap and then every stack in the
 * documented deploy order into an empty simulated account and fails at the first step that needs
 * something no earlier step made.
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
 * - an IAM service-linked role is account-wide: one stack creates it, once (a second creation
 *   collides), and keeps it (a later deploy of that stack without it would delete it).
 * A step may `pulumi config set` keys of its stack first (documentedSequence); they stay set.
 * The step named `bootstrap` is the account bootstrap (infra/bootstrap) with its shipped stack file.
 * What it cannot see: names passed through config to things loglake does not create (an existing
 * VPC is taken as given, as `npm run plan` does), and the order of creation within one step.
 */

/**
 * One deploy in the sequence: `pulumi up` of `stack` after `pulumi config set --path` of each entry
 * of `set` ("<key under loglake:>" → value). What a step sets stays in that stack's config for
 * the later steps, as it does in a real stack.
 */
export interface Step {
  stack: string;
  set?: Record<string, unknown>;
  /** Why the step is there, as README's sequence says it. */
  why?: string;
}

/**
 * The sequence README documents ("Deploying into your own account") from an empty account. The
 * account bootstrap comes first: it creates the account-wide Auto Scaling service-linked role the
 * stacks' node volume grants name, once. prod replicates its buckets into dr's, so dr comes next;
 * dr's metastore replicates prod's, so the first dr deploy creates no replica and a second dr
 * deploy, after prod, does.
 */
export const documentedSequence: Step[] = [
  {
    stack: bootstrapPlanName,
    why: "the state bucket, the secrets key, the CI roles and the account's Auto Scaling role",
  },
  {
    stack: "dr",
    set: { "metastore.crossRegionReplica.create": false },
    why: "dr's buckets for prod to replicate into; no metastore replica yet",
  },
  { stack: "prod", why: "prod's metastore, the replica's source" },
  {
    stack: "dr",
    set: { "metastore.crossRegionReplica.create": true },
    why: "the metastore replica of prod's",
  },
  { stack: "dev" },
];

/** The stacks of the documented sequence, in order (the bootstrap first, dr twice). */
export const documentedOrder = documentedSequence.map((s) => s.stack);

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
  /** Service principal → the stack that created its service-linked role (absent: it was there before). */
  serviceLinkedRoleOwners: Map<string, string>;
}

export const emptyAccount = (): SimulatedAccount => ({
  stacks: new Map(),
  rdsInstances: new Set(),
  buckets: new Set(),
  serviceLinkedRoles: new Set(),
  serviceLinkedRoleOwners: new Map(),
});

/** One thing a step needs that the account does not have. */
export interface Missing {
  resource: string;
  what: string;
}

export interface StepResult {
  step: number;
  stack: string;
  /** The config the step set (`key=value`), for the report. */
  set: string[];
  resources: number;
  /** What the step registered (for checks that run on each step, such as the policy gate). */
  registered?: RegisteredResource[];
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

/**
 * What the step's resources name that neither the account nor the step itself has; and, for
 * `stack`, an account-wide service-linked role it creates although it exists already (IAM refuses
 * the second) or no longer creates although it did (its deploy would delete what every stack uses).
 */
export function missingThings(
  resources: RegisteredResource[],
  account: SimulatedAccount,
  defaultRegion: string,
  stack?: string,
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
    const service = r.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole" ? r.inputs.awsServiceName : undefined;
    if (typeof service === "string" && account.serviceLinkedRoles.has(service)) {
      const owner = account.serviceLinkedRoleOwners.get(service);
      if (owner !== stack) {
        missing.push({
          resource: label(r),
          what: `the service-linked role of ${service} not to exist yet: ${owner ? `${owner === bootstrapPlanName ? "the account bootstrap" : `stack ${owner}`} created it` : "the account has it"}, and IAM creates it once per account (the bootstrap owns it: leave compute.createAutoscalingServiceLinkedRole off)`,
        });
      }
    }
    for (const text of new Set(strings(r.inputs))) {
      const slr = /^arn:[\w-]+:iam::\d*:role\/aws-service-role\/([\w.-]+)\/([\w+=,.@-]+)$/.exec(text);
      if (slr && !slrs.has(slr[1])) {
        missing.push({
          resource: label(r),
          what: `the service-linked role ${slr[2]} (${slr[1]}), which the account bootstrap creates: deploy it first`,
        });
      }
    }
  }
  if (stack) {
    for (const [service, owner] of account.serviceLinkedRoleOwners) {
      if (owner === stack && !own.serviceLinkedRoles.has(service)) {
        missing.push({
          resource: `stack ${stack}`,
          what: `to keep the service-linked role of ${service} it created (without it this deploy deletes the role; keep compute.createAutoscalingServiceLinkedRole true)`,
        });
      }
    }
  }
  return missing;
}

/** `pulumi config set --path loglake:<path> <value>` on a flat stack config. */
export function setConfig(config: Record<string, string>, path: string, value: unknown): Record<string, string> {
  const [top, ...rest] = path.split(".");
  const key = `loglake:${top}`;
  if (!rest.length) return { ...config, [key]: typeof value === "string" ? value : JSON.stringify(value) };
  const root = (config[key] === undefined ? {} : JSON.parse(config[key])) as Record<string, unknown>;
  let node = root;
  for (const part of rest.slice(0, -1)) {
    const next = node[part];
    node = node[part] = next && typeof next === "object" ? (next as Record<string, unknown>) : {};
  }
  node[rest[rest.length - 1]] = value;
  return { ...config, [key]: JSON.stringify(root) };
}

const asSteps = (order: (string | Step)[]): Step[] => order.map((s) => (typeof s === "string" ? { stack: s } : s));

/**
 * Plans `order` step by step into `account` (empty by default) and stops at the first step that
 * cannot be planned or that needs something missing. The account is left as the last good step made it.
 */
export async function simulateFreshAccount(
  order: (string | Step)[] = documentedSequence,
  account: SimulatedAccount = emptyAccount(),
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  // Each stack's config as the steps so far left it: stacks/Pulumi.<stack>.yaml plus what they set.
  const configs = new Map<string, Record<string, string>>();
  for (const [i, { stack, set = {} }] of asSteps(order).entries()) {
    const step = i + 1;
    if (stack === bootstrapPlanName) {
      if (Object.keys(set).length > 0) {
        const error = "the bootstrap step plans its shipped stack file as is (edit it instead of setting config)";
        results.push({ step, stack, set: [], resources: 0, missing: [], error });
        return results;
      }
      const run = await planBootstrap();
      const missing = missingThings(run.resources, account, regionOfRun(run.resources), stack);
      results.push({ step, stack, set: [], resources: run.resources.length, registered: run.resources, missing });
      if (missing.length) return results;
      record(account, stack, run.resources, regionOfRun(run.resources));
      account.stacks.set(stack, await resolvedOutputs(run));
      continue;
    }
    const file = readStackFile(stack);
    let stackConfig = configs.get(stack) ?? file.config;
    for (const [path, value] of Object.entries(set)) stackConfig = setConfig(stackConfig, path, value);
    configs.set(stack, stackConfig);
    const changes = Object.entries(set).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
    let config: LoglakeConfig;
    let run: OfflineRun<StackOutputs>;
    try {
      config = parseConfig(stack, loglakeKeys(stackConfig));
      run = await runOffline({
        stack,
        config: stackConfig,
        secretKeys: file.secretKeys,
        mocks: fixtures(config, account),
        program: () => deployLoglake(loadConfig()),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const notDeployed = /StackReference .*: stack .* is not deployed by an earlier step/.exec(message);
      results.push({
        step,
        stack,
        set: changes,
        resources: 0,
        missing: [],
        error: notDeployed ? notDeployed[0] : message,
      });
      return results;
    }
    const missing = missingThings(run.resources, account, config.region, stack);
    results.push({ step, stack, set: changes, resources: run.resources.length, registered: run.resources, missing });
    if (missing.length) return results;
    record(account, stack, run.resources, config.region);
    account.stacks.set(stack, await resolvedOutputs(run));
  }
  return results;
}

/** The region of a run's own AWS provider (the bootstrap's). */
function regionOfRun(resources: RegisteredResource[]): string {
  const provider = resources.find((r) => r.type === "pulumi:providers:aws");
  return (provider?.inputs.region as string | undefined) ?? "";
}

/** Adds what a step created to the account; a service-linked role's first creator owns it. */
function record(account: SimulatedAccount, stack: string, resources: RegisteredResource[], defaultRegion: string) {
  const made = created(resources, regionOf(resources, defaultRegion));
  made.rdsInstances.forEach((x) => account.rdsInstances.add(x));
  made.buckets.forEach((x) => account.buckets.add(x));
  for (const service of made.serviceLinkedRoles) {
    if (!account.serviceLinkedRoles.has(service)) account.serviceLinkedRoleOwners.set(service, stack);
    account.serviceLinkedRoles.add(service);
  }
}

export const simulationPassed = (results: StepResult[], order: (string | Step)[]) =>
  results.length === order.length && results.every((r) => !r.error && r.missing.length === 0);

export function renderSimulation(results: StepResult[], order: (string | Step)[]): string {
  const steps = asSteps(order);
  const lines = [
    `Fresh-account simulation: ${steps.map((s) => s.stack).join(" → ")} into an empty account (${MOCK_ACCOUNT_ID}, offline)`,
  ];
  for (const r of results) {
    const name = `step ${r.step} ${r.stack}${r.set.length ? ` (config set ${r.set.join(", ")})` : ""}`;
    if (r.error) {
      lines.push(`${name}: FAILED, cannot be planned: ${r.error}`);
    } else if (r.missing.length) {
      lines.push(`${name}: FAILED, ${r.missing.length} thing(s) no earlier step creates:`);
      for (const m of r.missing) lines.push(`  - ${m.resource} needs ${m.what}`);
    } else {
      lines.push(`${name}: ok (${r.resources} resources)`);
    }
  }
  const skipped = steps.slice(results.length).map((s, i) => `step ${results.length + i + 1} ${s.stack}`);
  if (skipped.length) lines.push(`not reached: ${skipped.join(", ")}`);
  lines.push(
    simulationPassed(results, order)
      ? "every step deploys in this order"
      : "this order does not deploy into a fresh account",
  );
  return lines.join("\n");
}
