import type { BucketLifecycle, StorageClass } from "../../components/storage/lifecycle";
import type { LoglakeConfig } from "../config";
import type { UsageSettings } from "../settings/usage";
import type { PlanDocument, PlanResource } from "./plan-diff";
import { CostError, Prices } from "./cost-prices";

/**
 * What a planned stack costs per month: every resource of the offline plan priced from the dated
 * price table (cost-prices.ts) and the stack's `usage` section, for the first month after deploy and
 * for the steady state once the longest lifecycle (or usage.retentionDays) has run its course.
 */

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const GIB = 1024 ** 3;

/** One priced dimension of a resource. */
export interface CostLine {
  what: string;
  month1: number;
  steady: number;
  /** The price rows the line multiplies. */
  prices: string[];
}

export interface ResourceCost {
  urn: string;
  type: string;
  name: string;
  component: string;
  lines: CostLine[];
  month1: number;
  steady: number;
}

export interface ComponentCost {
  component: string;
  month1: number;
  steady: number;
  resources: number;
}

export interface Estimate {
  stack: string;
  region: string;
  priceDate: string;
  usage: UsageSettings;
  /** What the estimate assumed beyond the usage section, one sentence each. */
  assumptions: string[];
  resources: ResourceCost[];
  components: ComponentCost[];
  total: { month1: number; steady: number };
  /** Resource types in the plan that cost nothing themselves, with how many there are. */
  free: { type: string; count: number }[];
  /** Resource types the estimate neither prices nor lists as free: the estimate is short by them. */
  unpriced: { type: string; name: string }[];
  /** Price rows the estimate multiplies, sorted. */
  priceRowsUsed: string[];
  /** Of those, the rows no public page confirmed (`verified: false` in the table). */
  unverified: string[];
}

/** Resource types that have no charge of their own (or whose charge is priced on another resource). */
export const freeTypes: Record<string, string> = {
  "pulumi:pulumi:Stack": "Pulumi's stack root",
  "pulumi:providers:aws": "provider configuration",
  "random:index/randomPassword:RandomPassword": "generated locally",
  "random:index/randomId:RandomId": "generated locally",
  "aws:iam/role:Role": "IAM is free",
  "aws:iam/policy:Policy": "IAM is free",
  "aws:iam/rolePolicy:RolePolicy": "IAM is free",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": "IAM is free",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM is free",
  "aws:ec2/securityGroup:SecurityGroup": "security groups are free",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security groups are free",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security groups are free",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security groups are free",
  "aws:ec2/launchTemplate:LaunchTemplate": "free; its volumes are priced on the node group that uses it",
  "aws:ec2/flowLog:FlowLog": "free; the logs are priced on the log group (usage.logsGbPerDay)",
  "aws:autoscaling/tag:Tag": "tags are free",
  "aws:appautoscaling/target:Target": "Application Auto Scaling is free (MSK storage may grow: priced as provisioned)",
  "aws:appautoscaling/policy:Policy": "Application Auto Scaling is free",
  "aws:kms/alias:Alias": "aliases are free",
  "aws:kms/grant:Grant": "grants are free",
  "aws:s3/bucketPolicy:BucketPolicy": "bucket configuration is free",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket configuration is free",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket configuration is free",
  "aws:s3/bucketVersioning:BucketVersioning": "bucket configuration is free (noncurrent versions priced on the bucket)",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    "free; SSE-KMS requests priced on the bucket",
  "aws:s3/bucketLogging:BucketLogging": "free; log objects priced on the access-logs bucket",
  "aws:s3/bucketNotification:BucketNotification": "S3 event notifications are free; the queue is priced",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "free; transitions and classes priced on the bucket",
  "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration":
    "free; tiers and monitoring priced on the bucket",
  "aws:sqs/queuePolicy:QueuePolicy": "queue policies are free",
  "aws:sns/topicPolicy:TopicPolicy": "topic policies are free",
  "aws:sns/topic:Topic": "alarm notifications stay within SNS's free tier (1M publishes, 1,000 emails a month)",
  "aws:msk/configuration:Configuration": "free",
  "aws:msk/topic:Topic": "free; storage is priced on the cluster",
  "aws:rds/parameterGroup:ParameterGroup": "free",
  "aws:rds/subnetGroup:SubnetGroup": "free",
  "aws:secretsmanager/secretVersion:SecretVersion": "free; the secret is priced",
  "aws:secretsmanager/secretRotation:SecretRotation": "free; a few Lambda invocations a month",
  "aws:serverlessrepository/cloudFormationStack:CloudFormationStack":
    "the rotation function: a few invocations a month, within Lambda's free tier",
  "aws:cloudwatch/eventRule:EventRule": "rules on AWS service events are free",
  "aws:cloudwatch/eventTarget:EventTarget": "free",
  "aws:scheduler/schedule:Schedule": "an hourly schedule is 730 invocations, within the 14M free a month",
  "aws:lambda/eventSourceMapping:EventSourceMapping": "free; its polling is priced on the queue",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "free",
  "pulumi:providers:kubernetes": "provider configuration",
  "kubernetes:core/v1:Namespace": "a Kubernetes object inside the priced cluster",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": "a Kubernetes object inside the priced cluster",
  "kubernetes:helm.sh/v3:Release":
    "Kubernetes objects inside the priced cluster (the pods run on its nodes); persistent volumes are priced",
  "kubernetes:batch/v1:Job": "a Kubernetes object inside the priced cluster",
  "kubernetes:apps/v1:Deployment": "a Kubernetes object inside the priced cluster (the pods run on its nodes)",
  "kubernetes:core/v1:Service": "a ClusterIP Service: a Kubernetes object inside the priced cluster",
  "kubernetes:core/v1:ServiceAccount": "a Kubernetes object inside the priced cluster",
  "kubernetes:core/v1:ConfigMap": "a Kubernetes object inside the priced cluster",
  "kubernetes:policy/v1:PodDisruptionBudget": "a Kubernetes object inside the priced cluster",
  "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass": "a Kubernetes object inside the priced cluster",
  "kubernetes:core/v1:Secret": "a Kubernetes object inside the priced cluster (not Secrets Manager)",
  "kubernetes:storage.k8s.io/v1:StorageClass":
    "free; the volumes it provisions are priced on the release that claims them",
  "aws:eks/addon:Addon": "EKS add-ons are free; their pods run on the priced nodes",
  "aws:emrcontainers/virtualCluster:VirtualCluster":
    "virtual clusters are free; job runs pay the EMR on EKS uplift, priced on the spark node group",
  "aws:s3/bucketObjectv2:BucketObjectv2": "one small object; its storage and PUT round to $0",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy":
    "lifecycle policies are free; they bound the storage priced on the repository",
  "awsx:ecr:Image":
    "the build runs where `pulumi up` runs and the push into the region is free; its layers are priced on the repository",
  "aws:budgets/budgetAction:BudgetAction":
    "free itself; it makes its budget action-enabled, which is priced on the budget",
  "aws:lambda/permission:Permission": "resource-policy statements are free",
  "aws:cloudwatch/dashboard:Dashboard":
    "one per stack, within CloudWatch's always-free 3 dashboards of up to 50 metrics a month per account (https://aws.amazon.com/cloudwatch/pricing/); beyond them $3 a month",
};

/** Types the estimate prices; the test checks the plans hold no type outside this and freeTypes. */
export const pricedTypes = [
  "aws:msk/cluster:Cluster",
  "eks:index:Cluster",
  "eks:index:ManagedNodeGroup",
  "awsx:ec2:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:rds/instance:Instance",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "aws:kms/key:Key",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  "aws:lambda/function:Function",
  "aws:sqs/queue:Queue",
  "aws:dynamodb/table:Table",
  "aws:secretsmanager/secret:Secret",
  "aws:ecr/repository:Repository",
  "aws:budgets/budget:Budget",
  "kubernetes:helm.sh/v3:Release",
] as const;

/** vCPUs and GiB of the instance types the stacks and scenarios use (EMR on EKS bills both). */
export const instanceShapes: Record<string, { vcpu: number; memoryGib: number }> = {
  "t3.large": { vcpu: 2, memoryGib: 8 },
  "m6i.large": { vcpu: 2, memoryGib: 8 },
  "m6i.xlarge": { vcpu: 4, memoryGib: 16 },
  "m6i.2xlarge": { vcpu: 8, memoryGib: 32 },
  "m5.xlarge": { vcpu: 4, memoryGib: 16 },
  "r5.4xlarge": { vcpu: 16, memoryGib: 128 },
  "db.t4g.medium": { vcpu: 2, memoryGib: 4 },
  "db.t4g.large": { vcpu: 2, memoryGib: 8 },
  "db.r7g.large": { vcpu: 2, memoryGib: 16 },
};

/** Constants the estimate assumes; printed with the estimate so a reader can challenge them. */
export const constants = {
  manifestBytes: 16 * 1024,
  builderSecondsPerInvocation: 2,
  queuePollsPerMonth: 3 * 60 * 24 * DAYS_PER_MONTH,
  queuePollers: 5,
  trackingWritesPerObject: 3,
  trackingReadsPerObject: 2,
  trackingItemBytes: 1024,
  kmsRequestsPerS3Request: 0.01,
  accessLogBytesPerRequest: 350,
  rdsDailyChange: 0.02,
  crossRegionReplicaGb: 100,
  mskMetricsPerBroker: { DEFAULT: 0, PER_BROKER: 30, PER_TOPIC_PER_BROKER: 40, PER_TOPIC_PER_PARTITION: 60 } as Record<
    string,
    number
  >,
  /** Action-enabled budgets an account gets free (62 budget-days a month in the price list). */
  freeActionEnabledBudgets: 2,
};

/**
 * Days S3 bills an object in a class at least, however soon a lifecycle rule moves or expires it
 * (https://aws.amazon.com/s3/storage-classes/; confirmed by the "Min Duration" column of
 * https://costnimbus.com/article/s3-storage-classes-cost-guide, read 2026-12-02: Standard-IA and One
 * Zone-IA 30 days, Glacier Instant and Glacier Flexible 90, Deep Archive 180, Standard and
 * Intelligent-Tiering none).
 */
export const minimumStorageDays: Partial<Record<StorageClass, number>> = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

const assumptionText = (usage: UsageSettings): string[] => [
  `usage.gbIngestedPerDay at usage.recordBytes is ${fmtCount((usage.gbIngestedPerDay * GIB) / usage.recordBytes)} records a day; no price depends on the record count (MSK is priced by broker and volume, not throughput).`,
  `A month is ${HOURS_PER_MONTH} hours (${DAYS_PER_MONTH.toFixed(2)} days); prices are on-demand list prices without free tiers, savings plans or reservations.`,
  `Month 1 is the first month after deploy with empty buckets; steady state is after the longest lifecycle rule, with buckets that never expire data kept usage.retentionDays (${usage.retentionDays}) days.`,
  `Raw objects are pipeline.expectedFileBytes each; Parquet objects usage.lakeObjectBytes; a manifest ${constants.manifestBytes / 1024} KiB; quarantine and noncurrent versions of the lake (compaction rewrites) are not counted.`,
  `Spark reads each raw object once; queries read the last usage.queryWindowDays (${usage.queryWindowDays}) days of the lake, so Intelligent-Tiering moves older objects down (30 days idle: infrequent, 90: archive instant, then its archive configuration).`,
  `Spark nodes are billed only while converting (usage.sparkHoursPerTb), with the EMR on EKS uplift on their whole vCPU and memory; spot hours at the family's spot discount.`,
  `The manifest builder runs ${constants.builderSecondsPerInvocation} s per invocation; each tracked object costs ${constants.trackingWritesPerObject} writes and ${constants.trackingReadsPerObject} reads, each copied to the table's indexes.`,
  `S3 bucket keys cut KMS requests to ${constants.kmsRequestsPerS3Request * 100}% of S3 requests; the database's backups grow ${constants.rdsDailyChange * 100}% of its storage a day beyond the free 100%.`,
  `Every CloudWatch log group takes usage.logsGbPerDay; MSK enhanced monitoring publishes about ${constants.mskMetricsPerBroker.PER_BROKER} metrics per broker (PER_BROKER).`,
  `Between AZs: the lake writer reads every ingested GB from the partition's leader, which sits in another AZ for (AZs − 1)/AZs of the partitions, and each such GB is charged leaving one AZ and entering the other; MSK does not charge for replication between its brokers, and S3 (gateway endpoint), RDS Multi-AZ replication and the producers (outside the stack) are not counted.`,
  `Interface endpoints share usage.endpointGbPerDay (${usage.endpointGbPerDay} GB a day) equally; each ECR repository holds usage.imageGbPerRepository (${usage.imageGbPerRepository} GB) of image layers from month 1.`,
  `An object moved or expired before its class's minimum storage duration is billed for the rest of it (Standard-IA and One Zone-IA 30 days, Glacier IR and Glacier 90, Deep Archive 180).`,
  `The stack's action-enabled budgets are taken as the account's first, so the first ${constants.freeActionEnabledBudgets} are free; budgets without actions are free.`,
  `Not priced: data transfer to the internet (loglake sends almost none: NAT traffic is mostly inbound, which is free), Athena or another query engine, the per-object archive overhead, Lambda, KMS and ECR free tiers.`,
];

// ---------------------------------------------------------------- helpers

type Inputs = Record<string, unknown>;
const num = (v: unknown, fallback = 0): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Inputs => (v && typeof v === "object" && !Array.isArray(v) ? (v as Inputs) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const line = (what: string, month1: number, steady: number, prices: string[]): CostLine => ({
  what,
  month1,
  steady,
  prices,
});
/** A line that costs the same every month. */
const flat = (what: string, monthly: number, prices: string[]) => line(what, monthly, monthly, prices);

const family = (instanceType: string) => instanceType.split(".")[0];

// ---------------------------------------------------------------- S3 over time

/** Colder classes sit later; a noncurrent transition never moves an object to a warmer class. */
type Cls = StorageClass | "STANDARD";
const classRank: Record<Cls, number> = {
  STANDARD: 0,
  INTELLIGENT_TIERING: 1,
  STANDARD_IA: 2,
  ONEZONE_IA: 3,
  GLACIER_IR: 4,
  GLACIER: 5,
  DEEP_ARCHIVE: 6,
};

export interface BucketFlow {
  /** GB written to the bucket per day. */
  gbPerDay: number;
  /** Size of one object in bytes. */
  objectBytes: number;
}

export interface StorageOptions {
  /** Days objects are kept when the lifecycle never expires them. */
  retentionDays: number;
  /** Objects younger than this are read (Intelligent-Tiering keeps them frequent). */
  queryWindowDays: number;
}

/** The price key of an object of this age, as the lifecycle places it. */
function currentPriceKey(lifecycle: BucketLifecycle, age: number, options: StorageOptions): string {
  let cls: Cls = "STANDARD";
  for (const t of [...lifecycle.transitions].sort((a, b) => a.days - b.days)) if (t.days <= age) cls = t.storageClass;
  if (cls !== "INTELLIGENT_TIERING") return `s3.${cls}`;
  const idle = Math.max(0, age - options.queryWindowDays);
  const archive = lifecycle.intelligentTieringArchive;
  if (archive?.deepArchiveAccessDays !== undefined && idle >= archive.deepArchiveAccessDays)
    return "s3.INTELLIGENT_TIERING.deepArchive";
  if (archive?.archiveAccessDays !== undefined && idle >= archive.archiveAccessDays)
    return "s3.INTELLIGENT_TIERING.archive";
  if (idle >= 90) return "s3.INTELLIGENT_TIERING.archiveInstant";
  if (idle >= 30) return "s3.INTELLIGENT_TIERING.infrequent";
  return "s3.INTELLIGENT_TIERING.frequent";
}

function classOfKey(key: string): Cls {
  return key.split(".")[1] as Cls;
}

/** Price key per day of an object's life (current, then noncurrent after expiry on a versioned bucket). */
export function lifeOfAnObject(lifecycle: BucketLifecycle, options: StorageOptions): string[] {
  const current = lifecycle.expirationDays ?? options.retentionDays;
  const days: string[] = [];
  for (let age = 0; age < current; age++) days.push(currentPriceKey(lifecycle, age, options));
  if (lifecycle.expirationDays !== undefined) {
    const atExpiry = days[days.length - 1] ?? "s3.STANDARD";
    for (let d = 0; d < lifecycle.noncurrentExpirationDays; d++) {
      let key = atExpiry;
      for (const t of lifecycle.noncurrentTransitions)
        if (t.days <= d && classRank[t.storageClass] > classRank[classOfKey(key)]) key = `s3.${t.storageClass}`;
      days.push(key);
    }
  }
  return days;
}

/** Transition requests (class, age in days) an object goes through in its life. */
function transitionsOfAnObject(lifecycle: BucketLifecycle, options: StorageOptions): { cls: Cls; age: number }[] {
  const current = lifecycle.expirationDays ?? options.retentionDays;
  const out = lifecycle.transitions.filter((t) => t.days < current).map((t) => ({ cls: t.storageClass, age: t.days }));
  if (lifecycle.expirationDays !== undefined) {
    let cls = classOfKey(currentPriceKey(lifecycle, current - 1, options));
    for (const t of [...lifecycle.noncurrentTransitions].sort((a, b) => a.days - b.days)) {
      if (t.days < lifecycle.noncurrentExpirationDays && classRank[t.storageClass] > classRank[cls]) {
        cls = t.storageClass;
        out.push({ cls, age: current + t.days });
      }
    }
  }
  return out;
}

/** An object's life as runs of days in one price key: where it enters each class and for how long. */
function classRuns(life: string[]): { key: string; start: number; days: number }[] {
  const runs: { key: string; start: number; days: number }[] = [];
  life.forEach((key, age) => {
    const last = runs[runs.length - 1];
    if (last?.key === key) last.days += 1;
    else runs.push({ key, start: age, days: 1 });
  });
  return runs;
}

/** Days of the month window, from the day the bucket was created. */
const window = (start: number) => Array.from({ length: Math.round(DAYS_PER_MONTH) }, (_, i) => start + i);

/**
 * A bucket's storage and lifecycle lines over time: the stock of each day's cohort of objects, in
 * the class its age puts it in, averaged over month 1 and over a month once the oldest cohort is
 * deleted (steady state).
 */
export function bucketLines(
  lifecycle: BucketLifecycle,
  flow: BucketFlow,
  options: StorageOptions,
  prices: Prices,
): CostLine[] {
  if (flow.gbPerDay <= 0) return [];
  const life = lifeOfAnObject(lifecycle, options);
  const objectsPerDay = (flow.gbPerDay * GIB) / flow.objectBytes;
  const steadyStart = life.length + 1;
  const byKey = new Map<string, { month1: number; steady: number }>();
  const add = (key: string, which: "month1" | "steady", v: number) => {
    const entry = byKey.get(key) ?? { month1: 0, steady: 0 };
    entry[which] += v;
    byKey.set(key, entry);
  };
  for (const [which, days] of [
    ["month1", window(0)],
    ["steady", window(steadyStart)],
  ] as const) {
    for (const day of days) {
      // Cohorts written on days 0..day, aged day - written.
      for (let age = 0; age <= Math.min(day, life.length - 1); age++)
        add(life[age], which, flow.gbPerDay / days.length);
    }
  }
  const lines: CostLine[] = [];
  const label = (key: string) => key.replace(/^s3\./, "").replace("INTELLIGENT_TIERING.", "Intelligent-Tiering ");
  for (const [key, gb] of [...byKey].sort()) {
    const price = prices.usd(key);
    lines.push(
      line(
        `${label(key)} storage (${fmtGb(gb.month1)} → ${fmtGb(gb.steady)} average)`,
        gb.month1 * price,
        gb.steady * price,
        [key],
      ),
    );
  }
  // Intelligent-Tiering monitoring per object in the class.
  const itDays = life.filter((k) => k.startsWith("s3.INTELLIGENT_TIERING")).length;
  if (itDays > 0) {
    const month1Objects = objectsPerDay * Math.min(itDays, DAYS_PER_MONTH / 2);
    const steadyObjects = objectsPerDay * itDays;
    const price = prices.usd("s3.INTELLIGENT_TIERING.monitoring") / 1000;
    lines.push(
      line(
        `Intelligent-Tiering monitoring (${fmtCount(steadyObjects)} objects at steady state)`,
        month1Objects * price,
        steadyObjects * price,
        ["s3.INTELLIGENT_TIERING.monitoring"],
      ),
    );
  }
  // Lifecycle transition requests: in month 1 only those of objects old enough.
  for (const t of transitionsOfAnObject(lifecycle, options)) {
    const key = `s3.transition.${t.cls}`;
    const price = prices.usd(key) / 1000;
    const month1Days = Math.max(0, DAYS_PER_MONTH - t.age);
    lines.push(
      line(
        `transitions to ${t.cls} at ${t.age} days`,
        objectsPerDay * month1Days * price,
        objectsPerDay * DAYS_PER_MONTH * price,
        [key],
      ),
    );
  }
  // A cohort that leaves a class before its minimum duration is billed for the days it did not stay.
  // The last run ends in a deletion only where the lifecycle expires objects (otherwise it is the horizon).
  const runs = classRuns(life);
  runs.forEach((run, i) => {
    const minimum = minimumStorageDays[classOfKey(run.key) as StorageClass];
    const deleted = i < runs.length - 1 || lifecycle.expirationDays !== undefined;
    if (minimum === undefined || run.days >= minimum || !deleted) return;
    const charged = flow.gbPerDay * prices.usd(run.key) * (minimum - run.days);
    const leaves = run.start + run.days;
    lines.push(
      line(
        `${label(run.key)} minimum duration: ${run.days} of ${minimum} days stayed, the rest billed`,
        (charged * Math.max(0, DAYS_PER_MONTH - leaves)) / DAYS_PER_MONTH,
        charged,
        [run.key],
      ),
    );
  });
  return lines;
}

/** Requests a bucket serves per month, priced with their KMS share. */
export function requestLines(puts: number, gets: number, kms: boolean, prices: Prices): CostLine[] {
  const lines: CostLine[] = [];
  if (puts > 0)
    lines.push(flat(`PUT requests (${fmtCount(puts)}/month)`, (puts / 1000) * prices.usd("s3.put"), ["s3.put"]));
  if (gets > 0)
    lines.push(flat(`GET requests (${fmtCount(gets)}/month)`, (gets / 1000) * prices.usd("s3.get"), ["s3.get"]));
  if (kms && puts + gets > 0) {
    const requests = (puts + gets) * constants.kmsRequestsPerS3Request;
    lines.push(
      flat("SSE-KMS requests (bucket key)", (requests / 10000) * prices.usd("kms.requests"), ["kms.requests"]),
    );
  }
  return lines;
}

// ---------------------------------------------------------------- compute

/** Spark node-hours for a month of usage, priced on the spark pool's first instance type. */
export function sparkLines(
  instanceType: string,
  capacityType: string,
  volumeGb: number,
  nodeHours: number,
  spotShare: number,
  prices: Prices,
): CostLine[] {
  if (nodeHours <= 0) return [];
  const onDemand = prices.usd(`ec2.${instanceType}`);
  const spot = capacityType === "SPOT" ? spotShare : 0;
  const discountKey = `spot.discount.${family(instanceType)}`;
  const discount = spot > 0 ? prices.usd(discountKey) : 0;
  const hourly = onDemand * (1 - spot * discount);
  const shape = instanceShapes[instanceType];
  if (!shape)
    throw new CostError(`no vCPU and memory for ${instanceType} in instanceShapes (infra/offline/cost-model.ts)`);
  const uplift = shape.vcpu * prices.usd("emrEks.vcpu") + shape.memoryGib * prices.usd("emrEks.memory");
  return [
    flat(`${fmtCount(nodeHours)} ${instanceType} node-hours, ${Math.round(spot * 100)}% spot`, nodeHours * hourly, [
      `ec2.${instanceType}`,
      ...(spot > 0 ? [discountKey] : []),
    ]),
    flat("EMR on EKS uplift (vCPU and memory hours)", nodeHours * uplift, ["emrEks.vcpu", "emrEks.memory"]),
    flat(
      `gp3 root volumes (${volumeGb} GB while running)`,
      (nodeHours / HOURS_PER_MONTH) * volumeGb * prices.usd("ebs.gp3"),
      ["ebs.gp3"],
    ),
  ];
}

/** MSK brokers and their storage. */
export function mskLines(instanceType: string, brokers: number, volumeGb: number, monitoring: string, prices: Prices) {
  const key = `msk.broker.${instanceType}`;
  const lines = [
    flat(`${brokers} × ${instanceType} brokers`, brokers * HOURS_PER_MONTH * prices.usd(key), [key]),
    flat(`broker storage ${brokers} × ${volumeGb} GB`, brokers * volumeGb * prices.usd("msk.storage"), ["msk.storage"]),
  ];
  const metrics = brokers * (constants.mskMetricsPerBroker[monitoring] ?? 0);
  if (metrics > 0)
    lines.push(flat(`enhanced monitoring (${metrics} metrics)`, metrics * prices.usd("cw.metric"), ["cw.metric"]));
  return lines;
}

// ---------------------------------------------------------------- the estimate

export interface EstimateInput {
  plan: PlanDocument;
  config: Pick<LoglakeConfig, "stack" | "region" | "prefix" | "lake" | "pipeline" | "usage">;
  prices: Prices;
}

const bucketKeys: Record<string, keyof LoglakeConfig["lake"]["buckets"]> = {
  raw: "raw",
  lake: "lake",
  manifests: "manifests",
  quarantine: "quarantine",
  "access-logs": "accessLogs",
};

/** The lake bucket a bucket resource is, from its logical name `<prefix>-<bucket>`. */
function lakeBucketOf(resource: PlanResource, prefix: string) {
  const suffix = resource.name.startsWith(`${prefix}-`) ? resource.name.slice(prefix.length + 1) : resource.name;
  return bucketKeys[suffix];
}

/** The nearest loglake component above a resource, e.g. storage:DataLake. */
function componentOf(resource: PlanResource, byUrn: Map<string, PlanResource>): string {
  let parent = resource.parent ? byUrn.get(resource.parent) : undefined;
  while (parent) {
    if (parent.type.startsWith("loglake:")) return parent.type.slice("loglake:".length);
    parent = parent.parent ? byUrn.get(parent.parent) : undefined;
  }
  return resource.type.startsWith("loglake:") ? resource.type.slice("loglake:".length) : "stack";
}

export function estimate({ plan, config, prices }: EstimateInput): Estimate {
  const { usage, pipeline, lake } = config;
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  const storageOptions = { retentionDays: usage.retentionDays, queryWindowDays: usage.queryWindowDays };

  // Daily volumes the usage section implies.
  const ingested = usage.gbIngestedPerDay;
  const landing = ingested + usage.replicatedInGbPerDay;
  const rawObjectsPerDay = (ingested * GIB) / pipeline.expectedFileBytes;
  const lakeGbPerDay = landing * usage.parquetRatio;
  const lakeObjectsPerDay = (ingested * usage.parquetRatio * GIB) / usage.lakeObjectBytes;
  const manifestsPerDay = rawObjectsPerDay / pipeline.maxFilesPerManifest;
  const month = (perDay: number) => perDay * DAYS_PER_MONTH;
  const queryGets = month(usage.queriesPerDay * usage.objectsReadPerQuery);
  const s3Requests = month(rawObjectsPerDay * 2 + lakeObjectsPerDay + manifestsPerDay * 2) + queryGets;
  const interfaceEndpoints = of("aws:ec2/vpcEndpoint:VpcEndpoint").filter(
    (r) => str(r.inputs.vpcEndpointType) === "Interface",
  ).length;
  // A budget is action-enabled when an action names it (or, with the name unknown at plan time, sits beside it).
  const actions = of("aws:budgets/budgetAction:BudgetAction");
  const actionEnabledBudgets = of("aws:budgets/budget:Budget")
    .filter((b) =>
      actions.some((a) =>
        typeof a.inputs.budgetName === "string"
          ? a.inputs.budgetName === (str(b.inputs.name) ?? b.name)
          : a.parent !== undefined && a.parent === b.parent,
      ),
    )
    .map((b) => b.urn);

  const launchTemplateVolume = (id: string | undefined): number => {
    const lt = of("aws:ec2/launchTemplate:LaunchTemplate").find((t) => id?.startsWith(t.name));
    return num(
      obj(arr(lt?.inputs.blockDeviceMappings)[0]).ebs
        ? obj(obj(arr(lt?.inputs.blockDeviceMappings)[0]).ebs).volumeSize
        : 0,
    );
  };

  const price = (resource: PlanResource): CostLine[] | undefined => {
    const i = resource.inputs;
    switch (resource.type) {
      case "aws:msk/cluster:Cluster": {
        const broker = obj(i.brokerNodeGroupInfo);
        const volume = num(obj(obj(broker.storageInfo).ebsStorageInfo).volumeSize, 1000);
        const brokers = num(i.numberOfBrokerNodes);
        const lines = mskLines(
          str(broker.instanceType) ?? "?",
          brokers,
          volume,
          str(i.enhancedMonitoring) ?? "DEFAULT",
          prices,
        );
        const azs = arr(broker.clientSubnets).length || Math.min(brokers, 3);
        const crossAzGb = (month(ingested) * (azs - 1)) / azs;
        if (crossAzGb > 0)
          lines.push(
            flat(
              `lake writer reads across AZs (${fmtGb(crossAzGb)}/month, out of one AZ and into another)`,
              crossAzGb * 2 * prices.usd("transfer.interAz"),
              ["transfer.interAz"],
            ),
          );
        return lines;
      }
      case "eks:index:Cluster": {
        const lines = [flat("control plane", HOURS_PER_MONTH * prices.usd("eks.cluster"), ["eks.cluster"])];
        if (str(obj(i.upgradePolicy).supportType) !== "STANDARD") {
          lines.push(
            // The extended-support rate replaces the standard one; it is not added to it.
            line(
              "extended support once the version leaves standard support (upgradePolicy EXTENDED)",
              0,
              HOURS_PER_MONTH * (prices.usd("eks.extendedSupport") - prices.usd("eks.cluster")),
              ["eks.extendedSupport", "eks.cluster"],
            ),
          );
        }
        return lines;
      }
      case "eks:index:ManagedNodeGroup": {
        const types = arr(i.instanceTypes).map(String);
        const type = types[0] ?? "?";
        const capacity = str(i.capacityType) ?? "ON_DEMAND";
        const volume = launchTemplateVolume(str(obj(i.launchTemplate).id));
        const desired = num(obj(i.scalingConfig).desiredSize);
        const lines: CostLine[] = [];
        if (desired > 0) {
          const hourly = prices.usd(`ec2.${type}`);
          lines.push(
            flat(
              `${desired} × ${type} ${capacity.toLowerCase().replace("_", "-")}`,
              desired * HOURS_PER_MONTH * hourly,
              [`ec2.${type}`],
            ),
          );
          lines.push(
            flat(`${desired} × ${volume} GB gp3 root volumes`, desired * volume * prices.usd("ebs.gp3"), ["ebs.gp3"]),
          );
        }
        // The spark pool scales from zero: its hours come from the usage section.
        if (str(obj(i.labels)["loglake.io/pool"]) === "spark") {
          const nodeHours = month((ingested / 1024) * usage.sparkHoursPerTb);
          lines.push(...sparkLines(type, capacity, volume, nodeHours, usage.spotShare, prices));
        }
        return lines;
      }
      case "awsx:ec2:Vpc": {
        const strategy = str(obj(i.natGateways).strategy) ?? "Single";
        const azs = num(i.numberOfAvailabilityZones, 3);
        const gateways = strategy === "None" ? 0 : strategy === "OnePerAz" ? azs : 1;
        if (gateways === 0) return [];
        return [
          flat(`${gateways} NAT gateway(s)`, gateways * HOURS_PER_MONTH * prices.usd("nat.hour"), ["nat.hour"]),
          flat(`${gateways} public IPv4 address(es)`, gateways * HOURS_PER_MONTH * prices.usd("ipv4.hour"), [
            "ipv4.hour",
          ]),
          flat(
            `NAT data processed (${fmtGb(month(usage.natGbPerDay))}/month)`,
            month(usage.natGbPerDay) * prices.usd("nat.gb"),
            ["nat.gb"],
          ),
        ];
      }
      case "aws:ec2/vpcEndpoint:VpcEndpoint": {
        if (str(i.vpcEndpointType) !== "Interface") return [flat("gateway endpoint (free)", 0, [])];
        const azs = arr(i.subnetIds).length || 1;
        const gb = month(usage.endpointGbPerDay) / interfaceEndpoints;
        return [
          flat(`interface endpoint in ${azs} AZ(s)`, azs * HOURS_PER_MONTH * prices.usd("vpce.interface.hour"), [
            "vpce.interface.hour",
          ]),
          flat(`data processed (${fmtGb(gb)}/month)`, gb * prices.usd("vpce.interface.gb"), ["vpce.interface.gb"]),
        ];
      }
      case "aws:rds/instance:Instance":
        return rdsLines(resource, plan, prices);
      case "aws:s3/bucket:Bucket": {
        const key = lakeBucketOf(resource, config.prefix);
        // A bucket the usage section says nothing about is reported as unpriced, not guessed.
        if (!key) return undefined;
        const lifecycle = lake.buckets[key];
        const flows: Record<string, { flow: BucketFlow; puts: number; gets: number; kms: boolean }> = {
          raw: {
            flow: { gbPerDay: landing, objectBytes: pipeline.expectedFileBytes },
            puts: month(rawObjectsPerDay),
            gets: month(rawObjectsPerDay),
            kms: true,
          },
          lake: {
            flow: { gbPerDay: lakeGbPerDay, objectBytes: usage.lakeObjectBytes },
            puts: month(lakeObjectsPerDay),
            gets: queryGets,
            kms: true,
          },
          manifests: {
            flow: { gbPerDay: (manifestsPerDay * constants.manifestBytes) / GIB, objectBytes: constants.manifestBytes },
            puts: month(manifestsPerDay),
            gets: month(manifestsPerDay),
            kms: true,
          },
          quarantine: { flow: { gbPerDay: 0, objectBytes: pipeline.expectedFileBytes }, puts: 0, gets: 0, kms: true },
          accessLogs: {
            flow: {
              gbPerDay: ((s3Requests / DAYS_PER_MONTH) * constants.accessLogBytesPerRequest) / GIB,
              objectBytes: 256 * 1024,
            },
            puts: 0,
            gets: 0,
            kms: false,
          },
        };
        const f = flows[key];
        return [
          ...bucketLines(lifecycle, f.flow, storageOptions, prices),
          ...requestLines(f.puts, f.gets, f.kms, prices),
        ];
      }
      case "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
        const key = lakeBucketOf(resource, config.prefix);
        const gbPerDay = key === "raw" ? ingested : key === "lake" ? ingested * usage.parquetRatio : 0;
        const objects = month(key === "raw" ? rawObjectsPerDay : key === "lake" ? lakeObjectsPerDay : 0);
        const rtc = arr(i.rules).some((r) => str(obj(obj(obj(r).destination).replicationTime).status) === "Enabled");
        const lines = [
          flat(
            `inter-region transfer (${fmtGb(month(gbPerDay))}/month)`,
            month(gbPerDay) * prices.usd("s3.replication.transfer"),
            ["s3.replication.transfer"],
          ),
          flat("replication PUT requests", (objects / 1000) * prices.usd("s3.put"), ["s3.put"]),
        ];
        if (rtc)
          lines.push(
            flat("Replication Time Control", month(gbPerDay) * prices.usd("s3.replication.rtc"), [
              "s3.replication.rtc",
            ]),
          );
        return lines;
      }
      case "aws:kms/key:Key": {
        const rotates = i.enableKeyRotation === true;
        return [
          line(
            rotates ? "customer managed key (+$1 for each of its first two yearly rotations)" : "customer managed key",
            prices.usd("kms.key"),
            prices.usd("kms.key") + (rotates ? 2 * prices.usd("kms.rotation") : 0),
            ["kms.key", ...(rotates ? ["kms.rotation"] : [])],
          ),
        ];
      }
      case "aws:cloudwatch/logGroup:LogGroup": {
        const gbPerDay = usage.logsGbPerDay;
        const retention = num(i.retentionInDays, 0) || usage.retentionDays;
        const month1Stock = gbPerDay * Math.min(retention, DAYS_PER_MONTH / 2);
        const steadyStock = gbPerDay * retention;
        return [
          flat(`ingestion (${fmtGb(month(gbPerDay))}/month)`, month(gbPerDay) * prices.usd("logs.ingest"), [
            "logs.ingest",
          ]),
          line(
            `storage (${retention} days kept)`,
            month1Stock * prices.usd("logs.storage"),
            steadyStock * prices.usd("logs.storage"),
            ["logs.storage"],
          ),
        ];
      }
      case "aws:cloudwatch/metricAlarm:MetricAlarm": {
        const metrics = arr(i.metricQueries).filter((q) => obj(q).metric !== undefined).length || 1;
        return [flat(`alarm on ${metrics} metric(s)`, metrics * prices.usd("cw.alarm.metric"), ["cw.alarm.metric"])];
      }
      case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
        // One metric without dimensions: one custom metric-month.
        return [flat("custom metric it publishes", prices.usd("cw.metric"), ["cw.metric"])];
      case "aws:lambda/function:Function": {
        const mapping = of("aws:lambda/eventSourceMapping:EventSourceMapping")[0];
        const batch = num(mapping?.inputs.batchSize, 10);
        const invocations = month(rawObjectsPerDay / batch) + HOURS_PER_MONTH;
        const gbSeconds = invocations * constants.builderSecondsPerInvocation * (num(i.memorySize, 128) / 1024);
        const arm = arr(i.architectures).includes("arm64");
        if (!arm) throw new CostError(`${resource.name}: only arm64 functions are priced (add lambda.x86.gbSecond)`);
        return [
          flat(`${fmtCount(invocations)} invocations`, (invocations / 1e6) * prices.usd("lambda.requests"), [
            "lambda.requests",
          ]),
          flat(`${fmtCount(gbSeconds)} GB-seconds (arm64)`, gbSeconds * prices.usd("lambda.arm.gbSecond"), [
            "lambda.arm.gbSecond",
          ]),
        ];
      }
      case "aws:sqs/queue:Queue": {
        const polls = constants.queuePollers * constants.queuePollsPerMonth;
        const messages = resource.name.endsWith("raw-created")
          ? month(rawObjectsPerDay)
          : resource.name.endsWith("manifests")
            ? month(manifestsPerDay)
            : 0;
        if (messages === 0) return [flat("dead-letter or failure queue (idle)", 0, [])];
        const requests = messages * 3 + polls;
        return [
          flat(
            `${fmtCount(requests)} requests (send, receive, delete, long polls)`,
            (requests / 1e6) * prices.usd("sqs.requests"),
            ["sqs.requests"],
          ),
        ];
      }
      case "aws:dynamodb/table:Table": {
        const copies = 1 + arr(i.globalSecondaryIndexes).length;
        const objects = month(rawObjectsPerDay);
        const writes = objects * constants.trackingWritesPerObject * copies;
        const reads = objects * constants.trackingReadsPerObject;
        const retention = pipeline.trackingRetentionDays;
        const gb = (item: number) => (item * constants.trackingItemBytes * copies) / GIB;
        const month1Gb = gb(rawObjectsPerDay * Math.min(retention, DAYS_PER_MONTH / 2));
        const steadyGb = gb(rawObjectsPerDay * retention);
        const lines = [
          flat(`${fmtCount(writes)} write units (on demand)`, (writes / 1e6) * prices.usd("ddb.write"), ["ddb.write"]),
          flat(`${fmtCount(reads)} read units`, (reads / 1e6) * prices.usd("ddb.read"), ["ddb.read"]),
          line("storage", month1Gb * prices.usd("ddb.storage"), steadyGb * prices.usd("ddb.storage"), ["ddb.storage"]),
        ];
        if (obj(i.pointInTimeRecovery).enabled === true)
          lines.push(
            line("point-in-time recovery", month1Gb * prices.usd("ddb.pitr"), steadyGb * prices.usd("ddb.pitr"), [
              "ddb.pitr",
            ]),
          );
        return lines;
      }
      case "aws:secretsmanager/secret:Secret":
        return [flat("secret", prices.usd("secretsmanager.secret"), ["secretsmanager.secret"])];
      case "aws:ecr/repository:Repository":
        return [
          flat(
            `${fmtGb(usage.imageGbPerRepository)} of image layers`,
            usage.imageGbPerRepository * prices.usd("ecr.storage"),
            ["ecr.storage"],
          ),
        ];
      case "aws:budgets/budget:Budget": {
        const rank = actionEnabledBudgets.indexOf(resource.urn);
        if (rank < 0) return [flat("budget without actions (free)", 0, [])];
        if (rank < constants.freeActionEnabledBudgets)
          return [
            flat(
              `action-enabled budget, one of the account's first ${constants.freeActionEnabledBudgets} (free)`,
              0,
              [],
            ),
          ];
        return [
          flat(
            `action-enabled budget beyond the account's first ${constants.freeActionEnabledBudgets}`,
            DAYS_PER_MONTH * prices.usd("budgets.actionEnabled"),
            ["budgets.actionEnabled"],
          ),
        ];
      }
      case "kubernetes:helm.sh/v3:Release": {
        const volumes = releaseVolumes(obj(i.values));
        if (volumes.length === 0) return undefined;
        return volumes.map(({ what, gib }) =>
          flat(`${what}: ${gib} GiB gp3 volume`, gib * prices.usd("ebs.gp3"), ["ebs.gp3"]),
        );
      }
      default:
        return undefined;
    }
  };

  const resources: ResourceCost[] = [];
  const freeCounts = new Map<string, number>();
  const unpriced: { type: string; name: string }[] = [];
  for (const resource of plan.resources) {
    const lines = price(resource);
    if (lines === undefined) {
      if (!(resource.type in freeTypes) && !resource.type.startsWith("loglake:")) {
        unpriced.push({ type: resource.type, name: resource.name });
        continue;
      }
      freeCounts.set(resource.type, (freeCounts.get(resource.type) ?? 0) + 1);
      continue;
    }
    const sum = (w: "month1" | "steady") => lines.reduce((s, l) => s + l[w], 0);
    resources.push({
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      component: componentOf(resource, byUrn),
      lines,
      month1: sum("month1"),
      steady: sum("steady"),
    });
  }
  const components = new Map<string, ComponentCost>();
  for (const r of resources) {
    const c = components.get(r.component) ?? { component: r.component, month1: 0, steady: 0, resources: 0 };
    c.month1 += r.month1;
    c.steady += r.steady;
    c.resources += 1;
    components.set(r.component, c);
  }
  return {
    stack: config.stack,
    region: prices.region,
    priceDate: prices.file.date,
    usage,
    assumptions: assumptionText(usage),
    resources,
    components: [...components.values()].sort((a, b) => b.steady - a.steady),
    total: {
      month1: resources.reduce((s, r) => s + r.month1, 0),
      steady: resources.reduce((s, r) => s + r.steady, 0),
    },
    unpriced,
    priceRowsUsed: [...new Set(resources.flatMap((r) => r.lines.flatMap((l) => l.prices)))].sort(),
    unverified: prices.unverified(resources.flatMap((r) => r.lines.flatMap((l) => l.prices))),
    free: [...freeCounts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type)),
  };
}

/** "50Gi" as GiB; a size in other units is not one the programs write, and prices as nothing. */
const gibOf = (quantity: unknown): number => {
  const match = /^(\d+)Gi$/.exec(str(quantity) ?? "");
  return match ? Number(match[1]) : 0;
};

/**
 * The EBS volumes a Helm release claims through its chart (kube-prometheus-stack): Prometheus's
 * volume claim template per replica, and Grafana's persistent volume. Priced per GiB as GB-months,
 * from the moment the release exists (the volumes are provisioned at its first start).
 */
export function releaseVolumes(values: Inputs): { what: string; gib: number }[] {
  const volumes: { what: string; gib: number }[] = [];
  const prometheus = obj(obj(values.prometheus).prometheusSpec);
  const claim = obj(obj(obj(obj(prometheus.storageSpec).volumeClaimTemplate).spec).resources).requests;
  const prometheusGib = gibOf(obj(claim).storage);
  const replicas = num(prometheus.replicas, 1);
  if (prometheusGib > 0) volumes.push({ what: `Prometheus × ${replicas}`, gib: prometheusGib * replicas });
  const grafana = obj(obj(values.grafana).persistence);
  if (grafana.enabled === true && gibOf(grafana.size) > 0) volumes.push({ what: "Grafana", gib: gibOf(grafana.size) });
  return volumes;
}

function rdsLines(resource: PlanResource, plan: PlanDocument, prices: Prices): CostLine[] {
  const i = resource.inputs;
  const cls = str(i.instanceClass) ?? "?";
  const multiAz = i.multiAz === true;
  const copies = multiAz ? 2 : 1;
  const source = str(i.replicateSourceDb);
  const primary = source
    ? plan.resources.find((r) => r.type === resource.type && r.inputs.identifier === source)
    : undefined;
  const storage = source
    ? num(primary?.inputs.allocatedStorage, constants.crossRegionReplicaGb)
    : num(i.allocatedStorage, 20);
  const lines = [
    flat(
      `${cls}${multiAz ? " Multi-AZ" : ""}${source ? " replica" : ""}`,
      copies * HOURS_PER_MONTH * prices.usd(`rds.${cls}`),
      [`rds.${cls}`],
    ),
    flat(
      `${storage} GB gp3${multiAz ? " × 2 (Multi-AZ)" : ""}${source && !primary ? " (cross-region source assumed)" : ""}`,
      copies * storage * prices.usd("rds.gp3"),
      ["rds.gp3"],
    ),
  ];
  const retention = num(i.backupRetentionPeriod, source ? 0 : 7);
  if (retention > 0) {
    const billed = storage * constants.rdsDailyChange * retention;
    lines.push(
      line(
        `backups beyond the free ${storage} GB (${retention} days)`,
        billed * prices.usd("rds.backup") * Math.min(1, DAYS_PER_MONTH / 2 / retention),
        billed * prices.usd("rds.backup"),
        ["rds.backup"],
      ),
    );
  }
  if (i.performanceInsightsEnabled === true && num(i.performanceInsightsRetentionPeriod, 7) > 7) {
    const vcpu = instanceShapes[cls]?.vcpu;
    if (!vcpu) throw new CostError(`no vCPU count for ${cls} in instanceShapes (infra/offline/cost-model.ts)`);
    lines.push(
      flat(
        `Performance Insights ${i.performanceInsightsRetentionPeriod} days retention (${vcpu} vCPU)`,
        vcpu * HOURS_PER_MONTH * prices.usd("rds.insights.vcpu"),
        ["rds.insights.vcpu"],
      ),
    );
  }
  return lines;
}

export const fmtUsd = (v: number) => (v >= 100 ? `$${Math.round(v).toLocaleString("en-US")}` : `$${v.toFixed(2)}`);
export const fmtGb = (gb: number) => (gb >= 1024 ? `${(gb / 1024).toFixed(1)} TB` : `${gb.toFixed(1)} GB`);
export const fmtCount = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)}B`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)}M`
      : n >= 1e3
        ? `${(n / 1e3).toFixed(1)}k`
        : n.toFixed(0);
