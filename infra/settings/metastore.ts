import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { metastoreSizingProblems } from "../../components/metastore/engine";
import type { MetastoreArgs, SecretsManagerReach } from "../../components/metastore/metastore";
import type { AwsAccount } from "../../components/security/account";
import { rdsInstanceArnPattern, rdsInstanceIdentifierPattern } from "../../components/shared/aws-limits";
import { arn, awsRegion, Environment, logRetention, Problem, section } from "./common";

const crossRegionReplica = z
  .strictObject({
    sourceIdentifier: z
      .string()
      .regex(
        rdsInstanceIdentifierPattern,
        "an RDS DB instance identifier (a-z, 0-9 and single hyphens, starting with a letter)",
      )
      .optional()
      .describe(
        "The primary's DB instance identifier in this account (prod's `<prefix>-metastore`); no other stack is read.",
      ),
    sourceRegion: awsRegion
      .optional()
      .describe("The primary's region. Default: loglake:drRegion (for the dr stack, the primary region)."),
    sourceDbArn: arn("rds")
      .regex(rdsInstanceArnPattern, "an RDS DB instance ARN (arn:aws:rds:<region>:<account>:db:<identifier>)")
      .optional()
      .describe("Or the full ARN of the instance to replicate (a primary in another account)."),
    promote: z
      .boolean()
      .describe("Failover: promote the replica to a standalone primary (one way; see the README's runbook)."),
    create: z
      .boolean()
      .optional()
      .describe(
        "false only for the dr stack's first deploy into a fresh account, before prod's metastore (the source) exists: its subnet, parameter and security groups and monitoring role are created, but no DB instance (its outputs are empty). Default: true.",
      ),
  })
  .superRefine((value, ctx) => {
    if (!value.sourceIdentifier === !value.sourceDbArn) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "a cross-region replica needs exactly one of sourceIdentifier or sourceDbArn",
      });
    }
    if (value.create === false && value.promote) {
      ctx.addIssue({
        code: "custom",
        path: ["promote"],
        message:
          "a replica that is not created yet (create: false) cannot be promoted: deploy it with create: true first",
      });
    }
  });

export const metastoreSchema = z
  .strictObject({
    engineVersion: z
      .string()
      .describe('PostgreSQL "16" or "17", or a pinned minor such as "17.7" (no automatic minor upgrades).'),
    instanceClass: z
      .string()
      .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, "an RDS instance class such as db.r7g.large")
      .describe("RDS instance class of the primary and its replicas, e.g. db.r7g.large."),
    allocatedStorageGb: z.number().int().describe("Initial gp3 storage (GiB, 20 or more)."),
    maxAllocatedStorageGb: z
      .number()
      .int()
      .describe("Storage autoscaling limit (GiB), at least 10% above allocatedStorageGb."),
    multiAz: z.boolean().describe("A synchronous standby in a second AZ. Required in prod."),
    backupRetentionDays: z.number().int().describe("Days of automated backups (1 to 35; 14 or more in prod)."),
    readReplicas: z.number().int().describe("In-region read replicas (0 to 5). Not with manageMasterUserPassword."),
    rotationDays: z.number().int().describe("Days between rotations of the master and Hive logins (1 to 1000)."),
    hiveLoginBootstrapped: z
      .boolean()
      .optional()
      .describe(
        "Deprecated and refused: the bootstrap Job (HiveMetastore) creates the Hive login and its rotation starts after it. Delete the key.",
      ),
    deletionProtection: z.boolean().describe("Refuse deleting the database. Required in prod."),
    finalSnapshot: z.boolean().describe("Snapshot the database when it is deleted. Required in prod."),
    insights: z
      .strictObject({
        mode: z
          .enum(["standard", "advanced"])
          .describe(
            "Database Insights: standard, or advanced (fleet views, lock and plan analysis; needs retentionDays of 465 or more).",
          ),
        retentionDays: z
          .number()
          .int()
          .describe("Days Performance Insights keeps data: 7 (free), a multiple of 31 up to 713, or 731."),
      })
      .describe("Database Insights and Performance Insights, encrypted with the metastore key."),
    monitoringIntervalSeconds: z
      .number()
      .int()
      .describe("Enhanced Monitoring interval (1, 5, 10, 15, 30 or 60 seconds)."),
    maxConnections: z
      .number()
      .int()
      .describe("PostgreSQL max_connections (20 to 5000); a replica's must be at least its source's."),
    logRetentionDays: logRetention.describe("Days the exported PostgreSQL logs are kept."),
    manageMasterUserPassword: z
      .boolean()
      .describe("Let RDS manage the master password itself (refused with read replicas)."),
    crossRegionReplica: crossRegionReplica
      .optional()
      .describe("Make this stack's metastore a cross-region replica of another stack's (the dr stack)."),
  })
  .superRefine((value, ctx) => {
    for (const problem of metastoreSizingProblems(value))
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  });
export type MetastoreSettings = z.infer<typeof metastoreSchema>;

const shared = {
  engineVersion: "17.7",
  allocatedStorageGb: 20,
  rotationDays: 30,
  manageMasterUserPassword: false,
  readReplicas: 0,
};

export const metastoreDefaults: Record<Environment, MetastoreSettings> = {
  dev: {
    ...shared,
    instanceClass: "db.t4g.medium",
    maxAllocatedStorageGb: 100,
    multiAz: false,
    backupRetentionDays: 7,
    deletionProtection: false,
    finalSnapshot: false,
    insights: { mode: "standard", retentionDays: 7 },
    monitoringIntervalSeconds: 60,
    maxConnections: 200,
    logRetentionDays: 30,
  },
  prod: {
    ...shared,
    instanceClass: "db.r7g.large",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 1000,
    multiAz: true,
    backupRetentionDays: 30,
    readReplicas: 1,
    deletionProtection: true,
    finalSnapshot: true,
    insights: { mode: "standard", retentionDays: 31 },
    monitoringIntervalSeconds: 15,
    maxConnections: 1000,
    logRetentionDays: 365,
  },
  dr: {
    ...shared,
    // A standby that only replays WAL; scale it up (and set multiAz) when promoting it.
    instanceClass: "db.t4g.large",
    maxAllocatedStorageGb: 1000,
    multiAz: false,
    // Applies from promotion on; a replica has no backups of its own.
    backupRetentionDays: 30,
    deletionProtection: true,
    finalSnapshot: true,
    insights: { mode: "standard", retentionDays: 7 },
    monitoringIntervalSeconds: 60,
    // PostgreSQL refuses to run a standby with fewer connections than its primary (prod: 1000).
    maxConnections: 1000,
    logRetentionDays: 365,
    // The dr stack reads nothing from the primary region when it deploys: the source is named, not looked up.
    crossRegionReplica: { sourceIdentifier: "loglake-metastore", promote: false },
  },
};

/** What the metastore's cross-section checks need of the whole config. */
export interface MetastoreConfigView {
  environment: Environment;
  region: string;
  drRegion?: string;
  metastore: MetastoreSettings;
}

/** The region a cross-region replica's source lives in. */
const sourceRegionOf = (config: Pick<MetastoreConfigView, "drRegion" | "metastore">): string | undefined => {
  const replica = config.metastore.crossRegionReplica;
  return replica?.sourceDbArn?.split(":")[3] ?? replica?.sourceRegion ?? config.drRegion;
};

/** Rules that depend on the environment or region: prod's safety floor and a replica's source region. */
export function metastoreProblems(config: MetastoreConfigView): Problem[] {
  const { metastore } = config;
  const problems: Problem[] = [];
  const at = (key: string, message: string) => problems.push({ path: ["metastore", key], message });
  if (config.environment === "prod") {
    if (metastore.backupRetentionDays < 14) at("backupRetentionDays", "prod keeps automated backups at least 14 days");
    if (!metastore.multiAz) at("multiAz", "prod runs the metastore Multi-AZ");
    if (!metastore.deletionProtection) at("deletionProtection", "prod protects the metastore from deletion");
    if (!metastore.finalSnapshot) at("finalSnapshot", "prod snapshots the metastore when it is deleted");
  }
  if (metastore.hiveLoginBootstrapped !== undefined)
    at(
      "hiveLoginBootstrapped",
      "no longer used: the Hive metastore's bootstrap Job creates the Hive login and its rotation starts once that Job has succeeded; delete this key",
    );
  const replica = metastore.crossRegionReplica;
  if (replica && config.environment !== "dr")
    at("crossRegionReplica", "only the dr stack replicates another stack's metastore");
  if (replica) {
    const sourceRegion = sourceRegionOf(config);
    const key = replica.sourceDbArn ? "sourceDbArn" : "sourceRegion";
    if (!sourceRegion) {
      problems.push({
        path: ["metastore", "crossRegionReplica", key],
        message: "name the source's region here or in loglake:drRegion",
      });
    } else if (sourceRegion === config.region) {
      problems.push({
        path: ["metastore", "crossRegionReplica", key],
        message: `the source must be in another region than this stack's (${config.region})`,
      });
    }
  }
  return problems;
}

export const metastoreSection = section({
  key: "metastore",
  schema: metastoreSchema,
  defaults: (e) => metastoreDefaults[e],
  problems: metastoreProblems,
});

/** What the program hands the metastore besides its settings. */
export interface MetastoreDeps {
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The metastore CMK of this stack's region (Keys). */
  metastoreKeyArn: pulumi.Input<string>;
  /** The logs CMK of this stack's region (Keys): the exported logs and the rotation-failure topic, which EventBridge may publish to under it. */
  logsKeyArn: pulumi.Input<string>;
  /** The EKS node security group. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** The secretsmanager interface endpoint's security group, or a CIDR when there is none (see SecretsManagerReach). */
  secretsManagerAccess: SecretsManagerReach;
  /** Roles of the Hive metastore service, which reads the Hive login, by label. */
  hiveSecretReaderRoleNames?: Record<string, pulumi.Input<string>>;
  /** This stack's account, which a replica's source named by identifier shares. */
  account: pulumi.Input<AwsAccount>;
}

/** The Metastore's args for a stack's validated config; the instance is `<prefix>-metastore`. */
export function metastoreArgs(
  config: { prefix: string; drRegion?: string; metastore: MetastoreSettings },
  deps: MetastoreDeps,
): MetastoreArgs {
  const { crossRegionReplica, hiveLoginBootstrapped: _refused, ...sizing } = config.metastore;
  const account = pulumi.output(deps.account);
  const replica: MetastoreArgs["crossRegionReplica"] = crossRegionReplica && {
    sourceDbArn:
      crossRegionReplica.sourceDbArn ??
      pulumi.interpolate`arn:${account.partition}:rds:${sourceRegionOf(config)}:${account.accountId}:db:${crossRegionReplica.sourceIdentifier}`,
    promote: crossRegionReplica.promote,
    create: crossRegionReplica.create ?? true,
  };
  return {
    ...sizing,
    identifier: `${config.prefix}-metastore`,
    vpcId: deps.vpcId,
    subnetIds: deps.privateSubnetIds,
    kmsKeyArn: deps.metastoreKeyArn,
    logsKmsKeyArn: deps.logsKeyArn,
    alarmTopicKmsKeyArn: deps.logsKeyArn,
    clientSecurityGroupIds: deps.clientSecurityGroupIds,
    secretsManagerAccess: deps.secretsManagerAccess,
    crossRegionReplica: replica,
    hiveSecretReaderRoleNames: deps.hiveSecretReaderRoleNames,
    account: deps.account,
  };
}
