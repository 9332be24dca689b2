import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountArgs, componentAccount } from "../security/account";
import { logRetentionProblem, rdsInstanceIdentifierPattern } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import * as random from "@pulumi/random";
import {
  ConnectionSecret,
  connectionSecretString,
  defaultEngineVersion,
  EngineVersion,
  InsightsMode,
  metastoreParameters,
  metastoreSizingProblems,
  MetastoreSizing,
  parseEngineVersion,
  passwordSpecialCharacters,
} from "./engine";

/**
 * AWS's PostgreSQL rotation applications in the Serverless Application Repository (publisher
 * 297356227824, the account AWS publishes them from; versions as aws-cdk-lib pins them). Single
 * user for the master login, alternating users for the Hive login.
 */
export const rotationApplications = {
  singleUser: {
    applicationId:
      "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.671",
  },
  multiUser: {
    applicationId:
      "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser",
    semanticVersion: "1.1.671",
  },
} as const;

/** The apps create the function's IAM role and the resource policy that lets Secrets Manager invoke it. */
const rotationAppCapabilities = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"];

const postgresPort = 5432;

/** How the rotation functions reach the Secrets Manager API over HTTPS. */
export type SecretsManagerReach =
  /** The security group of the VPC's `secretsmanager` interface endpoint (preferred: nothing else is reachable). */
  | { securityGroupId: pulumi.Input<string> }
  /**
   * A CIDR block: the VPC's CIDR when the endpoint's security group is not known, or "0.0.0.0/0"
   * when there is no interface endpoint and the API is reached through NAT.
   */
  | { cidrBlock: pulumi.Input<string> };

/** The dr stack's replica of the prod metastore, in this stack's (the DR) region. */
export interface MetastoreCrossRegionReplicaArgs {
  /** ARN of the instance to replicate, in another region: the prod stack's `instanceArn` output. */
  sourceDbArn: pulumi.Input<string>;
  /**
   * Failover: make the replica a standalone primary (RDS PromoteReadReplica, one way). It then gets
   * backups, Multi-AZ, a final snapshot, fresh secrets with rotation and the failure alarm like any
   * primary. Default: false.
   */
  promote?: boolean;
  /**
   * Create the replica. false on the dr stack's first deploy into a fresh account, before the
   * source exists (prod is deployed after dr, since prod replicates into dr's buckets): the
   * metastore's subnet group, parameter group, security group and monitoring role are created,
   * but no DB instance (nor its log groups); the instance outputs are empty. Default: true.
   */
  create?: boolean;
}

/** Database Insights / Performance Insights, encrypted with the metastore key. */
export interface MetastoreInsightsArgs {
  /** "standard" (free with 7 days) or "advanced" (fleet views, lock and plan analysis; needs retentionDays >= 465). */
  mode: InsightsMode;
  /** Days Performance Insights keeps data: 7, a multiple of 31 up to 713, or 731. */
  retentionDays: number;
}

/** The Hive metastore's PostgreSQL on RDS. */
export interface MetastoreArgs extends AccountArgs {
  /** VPC of the database and of the rotation functions. */
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ: the DB subnet group and the rotation functions' subnets. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * ARN of the metastore CMK in this stack's region: storage, Performance Insights, the secrets
   * (in the dr stack the DR-region key, which also encrypts the cross-region replica).
   */
  kmsKeyArn: pulumi.Input<string>;
  /** ARN of the CMK of CloudWatch Logs (the exported PostgreSQL logs); its policy must allow logs.<region>.amazonaws.com. */
  logsKmsKeyArn: pulumi.Input<string>;
  /**
   * ARN of the CMK encrypting the rotation-failure SNS topic; its policy must let events.amazonaws.com
   * use kms:GenerateDataKey* and kms:Decrypt (Keys' logs key does, for this account's alarm topics).
   */
  alarmTopicKmsKeyArn: pulumi.Input<string>;
  /**
   * IAM roles that may read the Hive login's secret (the Hive metastore service's), keyed by a stable
   * label used in the attachment's name. An unpromoted cross-region replica has no secret and grants
   * nothing. Default: none; `hiveSecretReadPolicyArn` is an output for roles created elsewhere.
   */
  hiveSecretReaderRoleNames?: Record<string, pulumi.Input<string>>;
  /** Security groups whose members may connect on 5432 (the EKS nodes). No CIDR is ever allowed in. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** Where the rotation functions may open HTTPS connections: the Secrets Manager endpoint, nothing else. */
  secretsManagerAccess: SecretsManagerReach;
  /**
   * RDS identifier of the primary (replicas get `-replica-<n>`); 1 to 40 of a-z, 0-9 and single
   * hyphens, starting with a letter. Default: the component's name.
   */
  identifier?: string;
  /** PostgreSQL "16" or "17", optionally pinned to a minor ("17.7" disables automatic minor upgrades). Default: "17.7". */
  engineVersion?: string;
  /** Instance class of the primary and its replicas. Default: "db.t4g.medium". */
  instanceClass?: string;
  /** Initial gp3 storage in GiB (20 or more). Default: 20. */
  allocatedStorageGb?: number;
  /** Storage autoscaling limit in GiB, at least 10% above allocatedStorageGb. Default: 100. */
  maxAllocatedStorageGb?: number;
  /** A standby in a second AZ with synchronous replication. Default: true. */
  multiAz?: boolean;
  /** Days of automated backups and point-in-time recovery (1 to 35). Default: 14. */
  backupRetentionDays?: number;
  /** Refuse deletion of the instance (and its replicas). Default: true. */
  deletionProtection?: boolean;
  /** Take a final snapshot when the primary is deleted. Default: true. */
  finalSnapshot?: boolean;
  /** In-region read replicas of the primary (0 to 5), same class and encryption. Default: 0. */
  readReplicas?: number;
  /** Days between automatic rotations of both logins (1 to 1000). Default: 30. */
  rotationDays?: number;
  /** Default: { mode: "standard", retentionDays: 7 }. */
  insights?: MetastoreInsightsArgs;
  /** Enhanced Monitoring interval: 1, 5, 10, 15, 30 or 60 seconds. Default: 60. */
  monitoringIntervalSeconds?: number;
  /** PostgreSQL max_connections (20 to 5000; a static parameter, applied at the next reboot). Default: 500. */
  maxConnections?: number;
  /** Days CloudWatch keeps the exported PostgreSQL logs. Default: 365. */
  logRetentionDays?: number;
  /** Database created for the metastore. Default: "metastore". */
  databaseName?: string;
  /** Master login name. Default: "metastore_admin". */
  masterUsername?: string;
  /** The Hive metastore's login; rotation alternates it with `<name>_clone`. Default: "hive". */
  hiveUsername?: string;
  /**
   * Let RDS generate and rotate the master password in its own secret instead of loglake's. Refused
   * with read replicas. The Hive rotation then reads the RDS API, so `secretsManagerAccess` must
   * also reach RDS (a CIDR through NAT). Default: false.
   */
  manageMasterUserPassword?: boolean;
  /** Make this the cross-region replica of another region's metastore (the dr stack). Default: a new primary. */
  crossRegionReplica?: MetastoreCrossRegionReplicaArgs;
}

/** Replicas add `-replica-<n>` to the primary's identifier, which must stay within RDS's 63 characters. */
const maxIdentifierLength = 40;

/** Every default of MetastoreArgs in one place. */
function withDefaults(name: string, args: MetastoreArgs) {
  return {
    identifier: args.identifier ?? name,
    engineVersion: args.engineVersion ?? defaultEngineVersion,
    instanceClass: args.instanceClass ?? "db.t4g.medium",
    allocatedStorageGb: args.allocatedStorageGb ?? 20,
    maxAllocatedStorageGb: args.maxAllocatedStorageGb ?? 100,
    multiAz: args.multiAz ?? true,
    backupRetentionDays: args.backupRetentionDays ?? 14,
    deletionProtection: args.deletionProtection ?? true,
    finalSnapshot: args.finalSnapshot ?? true,
    readReplicas: args.readReplicas ?? 0,
    rotationDays: args.rotationDays ?? 30,
    insights: args.insights ?? { mode: "standard" as InsightsMode, retentionDays: 7 },
    monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? 60,
    maxConnections: args.maxConnections ?? 500,
    logRetentionDays: args.logRetentionDays ?? 365,
    databaseName: args.databaseName ?? "metastore",
    masterUsername: args.masterUsername ?? "metastore_admin",
    hiveUsername: args.hiveUsername ?? "hive",
    manageMasterUserPassword: args.manageMasterUserPassword ?? false,
  } satisfies MetastoreSizing & Record<string, unknown>;
}
type Settings = ReturnType<typeof withDefaults>;

function argsProblems(s: Settings, args: MetastoreArgs): Problem[] {
  const problems = metastoreSizingProblems(s);
  const add = (key: string, message: string) => problems.push({ path: [key], message });
  if (s.identifier.length > maxIdentifierLength || !rdsInstanceIdentifierPattern.test(s.identifier)) {
    add(
      "identifier",
      `"${s.identifier}" must be 1 to 40 of a-z, 0-9 and single hyphens, starting with a letter and not ending with a hyphen`,
    );
  }
  const pgName = /^[a-z][a-z0-9_]{0,56}$/;
  for (const key of ["databaseName", "masterUsername", "hiveUsername"] as const) {
    if (!pgName.test(s[key])) add(key, `"${s[key]}" must be 1 to 57 of a-z, 0-9 and _, starting with a letter`);
  }
  if (s.masterUsername === s.hiveUsername) add("hiveUsername", "must differ from masterUsername");
  if (args.crossRegionReplica?.create === false && args.crossRegionReplica.promote) {
    add("crossRegionReplica", "a replica that is not created yet (create: false) cannot be promoted");
  }
  if (args.crossRegionReplica && !args.crossRegionReplica.promote && s.readReplicas > 0) {
    add("readReplicas", "a cross-region replica has no in-region replicas until it is promoted");
  }
  if (args.clientSecurityGroupIds.length === 0)
    add("clientSecurityGroupIds", "name at least one client security group (the EKS nodes)");
  const retention = logRetentionProblem(s.logRetentionDays);
  if (retention) add("logRetentionDays", retention);
  return problems;
}

/**
 * RDS for PostgreSQL for the Hive metastore: private, encrypted with the metastore CMK, TLS only,
 * IAM auth on, gp3 with storage autoscaling, Multi-AZ, backups, deletion protection and a final
 * snapshot, Performance Insights and Enhanced Monitoring, logs exported to encrypted log groups.
 *
 * The master and Hive logins live in loglake's own Secrets Manager secrets (metastore CMK) and
 * rotate on a schedule through AWS's rotation applications, deployed into the private subnets
 * with a security group that reaches only the database and the Secrets Manager endpoint; a failed
 * rotation publishes to an encrypted SNS topic.
 *
 * The Hive login must exist before its rotation is configured: HiveMetastore's bootstrap Job (master
 * secret → the Hive login, its rotation clone and their database rights) creates it, and sets its
 * password again after a DR promotion. HiveLoginRotation then starts the rotation, after that Job.
 */
export class Metastore extends pulumi.ComponentResource {
  /** "host:port" of the primary. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly databaseName: pulumi.Output<string>;
  /** ARN of the primary; the dr stack replicates it. */
  public readonly instanceArn: pulumi.Output<string>;
  /** "host:port" of each in-region read replica. */
  public readonly replicaEndpoints: pulumi.Output<string[]>;
  /** The database's security group (5432 from the clients and the rotation functions only). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Master login secret; undefined on a cross-region replica that is not promoted (it has no logins of its own). */
  public readonly masterSecretArn: pulumi.Output<string> | undefined;
  /** Hive login secret; undefined on a cross-region replica that is not promoted. */
  public readonly hiveSecretArn: pulumi.Output<string> | undefined;
  /** IAM policy reading the Hive secret (attach to the Hive metastore's IRSA role); undefined with no Hive secret. */
  public readonly hiveSecretReadPolicyArn: pulumi.Output<string> | undefined;
  /**
   * The Hive login's alternating-users rotation function; undefined with no Hive secret. Its rotation
   * is not configured here: Secrets Manager tests a rotation as soon as it is configured, and that
   * login test fails until the bootstrap Job has created the login (HiveLoginRotation waits for it).
   */
  public readonly hiveRotationFunctionArn: pulumi.Output<string> | undefined;
  /** Days between rotations of both logins. */
  public readonly rotationDays: number;
  /** SNS topic of rotation failures (subscribe the on-call); undefined with no secrets. */
  public readonly rotationAlarmTopicArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: MetastoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("loglake:metastore:Metastore", name, {}, opts);
    const s = withDefaults(name, args);
    refuseProblems("Metastore", name, argsProblems(s, args));
    const engine = parseEngineVersion(s.engineVersion) as EngineVersion;
    const replica = args.crossRegionReplica;
    const standbyReplica = replica !== undefined && !replica.promote;
    const deferredReplica = replica !== undefined && replica.create === false;

    const { accountId, partition, region, dnsSuffix } = componentAccount(args, this);
    this.rotationDays = s.rotationDays;

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds, description: "Hive metastore database: private subnets only" },
      { parent: this },
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: engine.family,
        description: "Hive metastore: TLS only, slow statements, pg_stat_statements",
        parameters: metastoreParameters(s.maxConnections),
      },
      { parent: this },
    );
    const dbSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-db`,
      {
        vpcId: args.vpcId,
        description: "Hive metastore database: 5432 from its clients and rotation functions",
        tags: { Name: `${s.identifier}-db` },
      },
      { parent: this },
    );
    args.clientSecurityGroupIds.forEach(
      (clientGroup, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-from-client-${i}`,
          {
            securityGroupId: dbSecurityGroup.id,
            referencedSecurityGroupId: clientGroup,
            ipProtocol: "tcp",
            fromPort: postgresPort,
            toPort: postgresPort,
            description: "PostgreSQL from a metastore client",
          },
          { parent: this },
        ),
    );

    const monitoringRole = new aws.iam.Role(
      `${name}-monitoring`,
      {
        description: "RDS Enhanced Monitoring of the Hive metastore",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "monitoring.rds.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
          ],
        }),
      },
      { parent: this },
    );
    const monitoringPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-monitoring`,
      {
        role: monitoringRole.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      },
      { parent: this },
    );

    const exportedLogs = ["postgresql", "upgrade"];
    /** An instance's log groups; RDS would create them on first export, unencrypted and kept forever. */
    const logGroupsOf = (logicalName: string, identifier: string) =>
      exportedLogs.map(
        (log) =>
          new aws.cloudwatch.LogGroup(
            `${logicalName}-${log}`,
            {
              name: `/aws/rds/instance/${identifier}/${log}`,
              retentionInDays: s.logRetentionDays,
              kmsKeyId: args.logsKmsKeyArn,
            },
            { parent: this },
          ),
      );

    /** What every instance here shares, primary or replica. */
    const instanceBase = (identifier: string) => ({
      identifier,
      instanceClass: s.instanceClass,
      parameterGroupName: parameterGroup.id,
      vpcSecurityGroupIds: [dbSecurityGroup.id],
      publiclyAccessible: false,
      storageType: "gp3",
      maxAllocatedStorage: s.maxAllocatedStorageGb,
      storageEncrypted: true,
      iamDatabaseAuthenticationEnabled: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: !engine.pinned,
      deletionProtection: s.deletionProtection,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: args.kmsKeyArn,
      performanceInsightsRetentionPeriod: s.insights.retentionDays,
      databaseInsightsMode: s.insights.mode,
      monitoringInterval: s.monitoringIntervalSeconds,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: exportedLogs,
    });
    const instanceOptions = (logicalName: string, identifier: string): pulumi.CustomResourceOptions => ({
      parent: this,
      dependsOn: [...logGroupsOf(logicalName, identifier), monitoringPolicy],
    });

    // RDS-managed master passwords are generated by RDS; a standby replica has the source's.
    const masterPassword =
      standbyReplica || s.manageMasterUserPassword ? undefined : this.password(`${name}-master-password`);
    /** What a primary (new, or a promoted replica) has and a standby replica must not. */
    const primarySettings = () => {
      const finalSnapshotSuffix = s.finalSnapshot
        ? new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this })
        : undefined;
      return {
        multiAz: s.multiAz,
        backupRetentionPeriod: s.backupRetentionDays,
        skipFinalSnapshot: !finalSnapshotSuffix,
        finalSnapshotIdentifier:
          finalSnapshotSuffix && pulumi.interpolate`${s.identifier}-final-${finalSnapshotSuffix.hex}`,
        // Automated backups outlive the instance (for their retention) so a mistaken delete can be undone.
        deleteAutomatedBackups: false,
        ...(s.manageMasterUserPassword
          ? { manageMasterUserPassword: true, masterUserSecretKmsKeyId: args.kmsKeyArn }
          : { password: masterPassword?.result }),
      };
    };

    // A cross-region replica needs this region's key and subnet group as much as a new primary does.
    const primaryBase = { ...instanceBase(s.identifier), kmsKeyId: args.kmsKeyArn, dbSubnetGroupName: subnetGroup.id };
    if (deferredReplica) {
      // No instance yet: its outputs are empty until a later deploy (create: true) makes the replica.
      this.endpoint = this.address = pulumi.output("");
      this.port = pulumi.output(0);
      this.databaseName = pulumi.output(s.databaseName);
      this.instanceArn = pulumi.output("");
      this.replicaEndpoints = pulumi.output([]);
      this.securityGroupId = dbSecurityGroup.id;
      this.registerMetastoreOutputs();
      return;
    }
    const primary = new aws.rds.Instance(
      `${name}-primary`,
      replica
        ? {
            ...primaryBase,
            // The source by ARN (another region). Promotion removes it and RDS promotes in place;
            // username and dbName come from the source: setting them would replace the instance.
            replicateSourceDb: replica.promote ? undefined : replica.sourceDbArn,
            ...(replica.promote ? primarySettings() : { multiAz: s.multiAz, skipFinalSnapshot: true }),
          }
        : {
            ...primaryBase,
            engine: "postgres",
            engineVersion: s.engineVersion,
            allocatedStorage: s.allocatedStorageGb,
            dbName: s.databaseName,
            username: s.masterUsername,
            port: postgresPort,
            ...primarySettings(),
          },
      instanceOptions(`${name}-primary`, s.identifier),
    );

    const replicas = Array.from({ length: s.readReplicas }, (_, i) => {
      const identifier = `${s.identifier}-replica-${i + 1}`;
      return new aws.rds.Instance(
        `${name}-replica-${i + 1}`,
        // Same region: the source by identifier; subnet group, engine and key follow the source.
        { ...instanceBase(identifier), replicateSourceDb: primary.identifier, multiAz: false, skipFinalSnapshot: true },
        instanceOptions(`${name}-replica-${i + 1}`, identifier),
      );
    });

    this.endpoint = primary.endpoint;
    this.address = primary.address;
    this.port = primary.port;
    this.databaseName = pulumi.output(s.databaseName);
    this.instanceArn = primary.arn;
    this.replicaEndpoints = pulumi.all(replicas.map((r) => r.endpoint));
    this.securityGroupId = dbSecurityGroup.id;

    if (!standbyReplica) {
      const credentials = this.credentials(name, s, args, {
        primary,
        masterPassword,
        dbSecurityGroup,
        secretsManagerHost: pulumi.interpolate`secretsmanager.${region}.${dnsSuffix}`,
      });
      this.masterSecretArn = credentials.masterSecretArn;
      this.hiveSecretArn = credentials.hiveSecretArn;
      this.hiveSecretReadPolicyArn = credentials.hiveSecretReadPolicyArn;
      this.hiveRotationFunctionArn = credentials.hiveRotationFunctionArn;
      this.rotationAlarmTopicArn = credentials.rotationAlarmTopicArn;
    }

    this.registerMetastoreOutputs();
  }

  /** A standby replica has no secrets: its undefined outputs are left out rather than registered. */
  private registerMetastoreOutputs(): void {
    this.registerOutputs({
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      databaseName: this.databaseName,
      instanceArn: this.instanceArn,
      replicaEndpoints: this.replicaEndpoints,
      securityGroupId: this.securityGroupId,
      ...(this.masterSecretArn && {
        masterSecretArn: this.masterSecretArn,
        hiveSecretArn: this.hiveSecretArn,
        hiveSecretReadPolicyArn: this.hiveSecretReadPolicyArn,
        hiveRotationFunctionArn: this.hiveRotationFunctionArn,
        rotationAlarmTopicArn: this.rotationAlarmTopicArn,
      }),
    });
  }

  /** A first password RDS accepts; the rotation functions replace it. */
  private password(name: string): random.RandomPassword {
    return new random.RandomPassword(
      name,
      {
        length: 40,
        special: true,
        overrideSpecial: passwordSpecialCharacters,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
      },
      { parent: this },
    );
  }

  /** The logins' secrets, their rotation, the rotation-failure alarm and the Hive read policy. */
  private credentials(
    name: string,
    s: Settings,
    args: MetastoreArgs,
    deps: {
      primary: aws.rds.Instance;
      /** Undefined when RDS manages the master password. */
      masterPassword: random.RandomPassword | undefined;
      dbSecurityGroup: aws.ec2.SecurityGroup;
      /** Regional Secrets Manager host: the rotation functions' endpoint and the key's kms:ViaService. */
      secretsManagerHost: pulumi.Output<string>;
    },
  ) {
    const { primary, dbSecurityGroup } = deps;
    const rotationSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-rotation`,
      {
        vpcId: args.vpcId,
        description: "Hive metastore secret rotation: the database and Secrets Manager only",
        tags: { Name: `${s.identifier}-rotation` },
      },
      { parent: this },
    );
    const rotationRules = [
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-rotation`,
        {
          securityGroupId: dbSecurityGroup.id,
          referencedSecurityGroupId: rotationSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: postgresPort,
          toPort: postgresPort,
          description: "PostgreSQL from the rotation functions",
        },
        { parent: this },
      ),
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-rotation-to-db`,
        {
          securityGroupId: rotationSecurityGroup.id,
          referencedSecurityGroupId: dbSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: postgresPort,
          toPort: postgresPort,
          description: "PostgreSQL to the metastore database",
        },
        { parent: this },
      ),
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-rotation-to-secretsmanager`,
        {
          securityGroupId: rotationSecurityGroup.id,
          ...("securityGroupId" in args.secretsManagerAccess
            ? { referencedSecurityGroupId: args.secretsManagerAccess.securityGroupId }
            : { cidrIpv4: args.secretsManagerAccess.cidrBlock }),
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: "HTTPS to the Secrets Manager API",
        },
        { parent: this },
      ),
    ];

    const subnetList = pulumi.output(args.subnetIds).apply((ids) => ids.join(","));
    /** One of AWS's rotation apps, deployed into the private subnets behind the rotation security group. */
    const rotationFunction = (
      suffix: string,
      app: (typeof rotationApplications)[keyof typeof rotationApplications],
      extra: Record<string, pulumi.Input<string>>,
    ) =>
      new aws.serverlessrepository.CloudFormationStack(
        `${name}-${suffix}`,
        {
          applicationId: app.applicationId,
          semanticVersion: app.semanticVersion,
          capabilities: rotationAppCapabilities,
          parameters: {
            endpoint: pulumi.interpolate`https://${deps.secretsManagerHost}`,
            functionName: `${s.identifier}-${suffix}`,
            vpcSubnetIds: subnetList,
            vpcSecurityGroupIds: rotationSecurityGroup.id,
            kmsKeyArn: args.kmsKeyArn,
            ...extra,
          },
        },
        { parent: this, dependsOn: rotationRules },
      ).outputs.apply((outputs) => outputs.RotationLambdaARN);

    /** A secret under the metastore CMK holding one login, written once: after that the rotation function owns it. */
    const loginSecret = (suffix: string, description: string, value: ConnectionSecretInput) => {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${suffix}`,
        { description, kmsKeyId: args.kmsKeyArn },
        { parent: this },
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${name}-${suffix}`,
        {
          secretId: secret.id,
          secretString: pulumi.secret(pulumi.output(value).apply((v) => connectionSecretString(v))),
        },
        // A later write would make the first password AWSCURRENT again and lock every client out.
        { parent: this, ignoreChanges: ["secretString"] },
      );
      return { secret, version };
    };

    const login = (
      username: string,
      password: pulumi.Input<string>,
      masterarn?: pulumi.Input<string>,
    ): ConnectionSecretInput => ({
      host: primary.address,
      port: primary.port,
      username,
      password,
      dbname: s.databaseName,
      ...(masterarn ? { masterarn } : {}),
    });

    let masterSecretArn: pulumi.Output<string>;
    let masterVersion: aws.secretsmanager.SecretVersion | undefined;
    if (!deps.masterPassword) {
      // RDS generated the master password into its own secret (under the metastore CMK) and rotates it itself.
      masterSecretArn = primary.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
      new aws.secretsmanager.SecretRotation(
        `${name}-master-rotation`,
        { secretId: masterSecretArn, rotationRules: { automaticallyAfterDays: s.rotationDays } },
        { parent: this },
      );
    } else {
      const master = loginSecret(
        "master",
        "Hive metastore database: master login",
        login(s.masterUsername, deps.masterPassword.result),
      );
      masterSecretArn = master.secret.arn;
      masterVersion = master.version;
      new aws.secretsmanager.SecretRotation(
        `${name}-master-rotation`,
        {
          secretId: master.secret.id,
          rotationLambdaArn: rotationFunction("master-rotation", rotationApplications.singleUser, {}),
          rotationRules: { automaticallyAfterDays: s.rotationDays },
          // The first password has been in Pulumi's state; replace it right away.
          rotateImmediately: true,
        },
        { parent: this, dependsOn: [master.version, primary] },
      );
    }

    const hivePassword = this.password(`${name}-hive-password`);
    const hive = loginSecret(
      "hive",
      "Hive metastore database: the metastore's login",
      login(s.hiveUsername, hivePassword.result, masterSecretArn),
    );
    // Deployed now, started by HiveLoginRotation once the bootstrap Job has created the login.
    const hiveRotationFunctionArn = rotationFunction("hive-rotation", rotationApplications.multiUser, {
      masterSecretArn,
      masterSecretKmsKeyArn: args.kmsKeyArn,
    });

    const rotationAlarmTopicArn = this.rotationFailureAlarm(name, args, [masterSecretArn, hive.secret.arn]);

    const hiveSecretReadPolicy = new aws.iam.Policy(
      `${name}-hive-secret-read`,
      {
        description: "Read the Hive metastore's database login",
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadHiveLogin",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
              Resource: hive.secret.arn,
            },
            {
              Sid: "DecryptThroughSecretsManager",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: args.kmsKeyArn,
              Condition: { StringEquals: { "kms:ViaService": deps.secretsManagerHost } },
            },
          ],
        }),
      },
      { parent: this },
    );

    for (const [label, role] of Object.entries(args.hiveSecretReaderRoleNames ?? {})) {
      new aws.iam.RolePolicyAttachment(
        `${name}-hive-secret-read-${label}`,
        { role, policyArn: hiveSecretReadPolicy.arn },
        { parent: this },
      );
    }

    /** A secret's ARN once its first value is written: a reader of the output never finds it empty. */
    const withValue = (arn: pulumi.Output<string>, version?: aws.secretsmanager.SecretVersion) =>
      version ? pulumi.all([arn, version.versionId]).apply(([secretArn]) => secretArn) : arn;
    return {
      masterSecretArn: withValue(masterSecretArn, masterVersion),
      hiveSecretArn: withValue(hive.secret.arn, hive.version),
      hiveRotationFunctionArn,
      hiveSecretReadPolicyArn: hiveSecretReadPolicy.arn,
      rotationAlarmTopicArn,
    };
  }

  /**
   * Secrets Manager records a failed rotation as the CloudTrail service event RotationFailed (the
   * secret's ARN in additionalEventData.SecretId); EventBridge sends those of these secrets to an
   * encrypted SNS topic.
   */
  private rotationFailureAlarm(
    name: string,
    args: MetastoreArgs,
    secretArns: pulumi.Input<string>[],
  ): pulumi.Output<string> {
    const topic = new aws.sns.Topic(
      `${name}-rotation-failures`,
      { displayName: "Hive metastore secret rotation failures", kmsMasterKeyId: args.alarmTopicKmsKeyArn },
      { parent: this },
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rotation-failed`,
      {
        description: "A Hive metastore database secret failed to rotate",
        eventPattern: pulumi.jsonStringify({
          source: ["aws.secretsmanager"],
          "detail-type": ["AWS Service Event via CloudTrail"],
          detail: {
            eventSource: ["secretsmanager.amazonaws.com"],
            eventName: ["RotationFailed"],
            additionalEventData: { SecretId: secretArns },
          },
        }),
      },
      { parent: this },
    );
    new aws.sns.TopicPolicy(
      `${name}-rotation-failures`,
      {
        arn: topic.arn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "RotationFailedEvents",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topic.arn,
              Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(`${name}-rotation-failed`, { rule: rule.name, arn: topic.arn }, { parent: this });
    return topic.arn;
  }
}

type ConnectionSecretInput = { [K in keyof ConnectionSecret]: pulumi.Input<ConnectionSecret[K]> };
