import { RegisteredResource } from "./engine";

/** How an offline run is shown: a resource tree for people, a JSON document for tools. */

type Inputs = Record<string, unknown>;

/** A nested input, or undefined when any step of the path is missing (as `a?.b?.c` reads it). */
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (v === undefined || v === null ? undefined : (v as Record<string | number, unknown>)[key]),
    value,
  );

/** A list input as rendered: absent is empty. */
const items = <T>(value: unknown): T[] => (value ?? []) as T[];

interface LifecycleRule {
  id?: string;
  status?: string;
  transitions?: { storageClass?: string; days?: number }[];
  expiration?: unknown;
  noncurrentVersionTransitions?: { storageClass?: string; noncurrentDays?: number }[];
  noncurrentVersionExpiration?: unknown;
  abortIncompleteMultipartUpload?: { daysAfterInitiation?: number };
}

interface EncryptionRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
  bucketKeyEnabled?: unknown;
}

interface ReplicationRule {
  destination?: {
    bucket?: string;
    encryptionConfiguration?: { replicaKmsKeyId?: string };
    replicationTime?: { status?: string };
  };
}

const list = (values: unknown) => (Array.isArray(values) ? values.join(", ") : String(values ?? ""));
const onOff = (value: unknown) => (value ? "on" : "off");
const parse = (json: unknown): unknown => (typeof json === "string" && json.startsWith("{") ? JSON.parse(json) : json);

function lifecycleSummary(inputs: Inputs): string {
  return items<LifecycleRule>(inputs.rules)
    .filter((rule) => rule.status === "Enabled")
    .map((rule) => {
      const expireDays = at(rule.expiration, 0, "days") ?? at(rule.expiration, "days");
      const steps = [
        ...(rule.transitions ?? []).map((t) => `${t.storageClass}@${t.days}d`),
        ...(expireDays ? [`expire@${expireDays}d`] : []),
        ...(rule.noncurrentVersionTransitions ?? []).map((t) => `noncurrent ${t.storageClass}@${t.noncurrentDays}d`),
        ...(rule.noncurrentVersionExpiration
          ? [
              `noncurrent expire@${at(rule.noncurrentVersionExpiration, "noncurrentDays") ?? at(rule.noncurrentVersionExpiration, 0, "noncurrentDays")}d`,
            ]
          : []),
        ...(rule.abortIncompleteMultipartUpload
          ? [`abort multipart@${rule.abortIncompleteMultipartUpload.daysAfterInitiation}d`]
          : []),
      ];
      return `${rule.id}: ${steps.join(" → ")}`;
    })
    .join("; ");
}

/** What a reviewer wants to see of each resource type; types not listed show nothing extra. */
const highlights: Record<string, (inputs: Inputs) => string> = {
  "pulumi:providers:aws": (i) =>
    `region ${i.region}, default tags ${list(Object.keys(at(parse(i.defaultTags), "tags") ?? {}))}`,
  "aws:kms/key:Key": (i) => `rotation ${onOff(i.enableKeyRotation)}, deletion window ${i.deletionWindowInDays}d`,
  "aws:kms/alias:Alias": (i) => `${i.name}`,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (i) =>
    items<EncryptionRule>(i.rules)
      .map(
        (r) =>
          `${r.applyServerSideEncryptionByDefault?.sseAlgorithm} ${r.applyServerSideEncryptionByDefault?.kmsMasterKeyId ?? ""}, bucket key ${onOff(r.bucketKeyEnabled)}`,
      )
      .join("; "),
  "aws:s3/bucketVersioning:BucketVersioning": (i) => `versioning ${at(i.versioningConfiguration, "status")}`,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (i) => {
    const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    return flags.every((f) => i[f])
      ? "public access blocked (all 4)"
      : `PUBLIC ACCESS OPEN: ${flags.filter((f) => !i[f]).join(", ")}`;
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": lifecycleSummary,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (i) =>
    items<ReplicationRule>(i.rules)
      .map(
        (r) =>
          `→ ${r.destination?.bucket} (replica key ${r.destination?.encryptionConfiguration?.replicaKmsKeyId}, RTC ${onOff(r.destination?.replicationTime?.status === "Enabled")})`,
      )
      .join("; "),
  "aws:ec2/flowLog:FlowLog": (i) => `traffic ${i.trafficType} → ${i.logDestinationType ?? "cloud-watch-logs"}`,
  "aws:cloudwatch/logGroup:LogGroup": (i) => `retention ${i.retentionInDays}d, kms ${i.kmsKeyId ? "yes" : "NO"}`,
  "awsx:ec2:Vpc": (i) =>
    `cidr ${i.cidrBlock}, AZs ${i.numberOfAvailabilityZones ?? list(i.availabilityZoneNames)}, NAT ${at(i.natGateways, "strategy")}`,
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i) =>
    `ingress ${i.ipProtocol} ${i.fromPort ?? ""}-${i.toPort ?? ""} from ${i.cidrIpv4 ?? i.cidrIpv6 ?? i.referencedSecurityGroupId ?? i.prefixListId}`,
  "aws:msk/cluster:Cluster": (i) =>
    `kafka ${i.kafkaVersion}, ${i.numberOfBrokerNodes} × ${at(i.brokerNodeGroupInfo, "instanceType")}, in transit ${at(i.encryptionInfo, "encryptionInTransit", "clientBroker")}, at rest ${at(i.encryptionInfo, "encryptionAtRestKmsKeyArn") ? "CMK" : "AWS key"}`,
  "aws:rds/instance:Instance": (i) =>
    `${i.engine} ${i.engineVersion ?? ""} ${i.instanceClass}, multi-AZ ${onOff(i.multiAz)}, encrypted ${onOff(i.storageEncrypted)}, public ${onOff(i.publiclyAccessible)}`,
  "eks:index:Cluster": (i) =>
    `k8s ${i.version}, private endpoint ${onOff(i.endpointPrivateAccess)}, public endpoint ${onOff(i.endpointPublicAccess)}`,
  "eks:index:ManagedNodeGroup": (i) =>
    `${i.capacityType ?? "ON_DEMAND"} ${list(i.instanceTypes)}, size ${at(i.scalingConfig, "minSize")}-${at(i.scalingConfig, "maxSize")}`,
};

function describe(resource: RegisteredResource): string {
  const flags = [resource.options.protect && "protected", resource.options.retainOnDelete && "retained"].filter(
    Boolean,
  );
  const extra = highlights[resource.type]?.(resource.inputs);
  return [`${resource.name} (${resource.type})`, flags.length ? `[${flags.join(", ")}]` : "", extra ? `— ${extra}` : ""]
    .filter(Boolean)
    .join(" ");
}

/** The resource tree (component → children) with the settings a reviewer checks on each resource. */
export function renderTree(resources: RegisteredResource[]): string {
  const children = new Map<string | undefined, RegisteredResource[]>();
  for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [];
  const walk = (resource: RegisteredResource, indent: string, last: boolean, root: boolean) => {
    lines.push(root ? describe(resource) : `${indent}${last ? "└─ " : "├─ "}${describe(resource)}`);
    // By name, so each bucket's (or role's) settings stand together; registration order breaks ties.
    const kids = [...(children.get(resource.urn) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    const nextIndent = root ? "" : indent + (last ? "   " : "│  ");
    kids.forEach((kid, i) => walk(kid, nextIndent, i === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, "", true, true);
  return lines.join("\n");
}

/** The `--json` document: every registration with its inputs exactly as registered (secrets redacted). */
export function planDocument(stack: string, resources: RegisteredResource[]) {
  return {
    stack,
    resources: resources.map(({ urn, type, name, parent, inputs, options }) => ({
      urn,
      type,
      name,
      parent,
      inputs,
      options,
    })),
  };
}
