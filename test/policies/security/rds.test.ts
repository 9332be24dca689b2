import { policyCases, TestResource } from "../support";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const parameterGroup = (parameters = [{ name: "rds.force_ssl", value: "1" }]): TestResource => ({
  type: "aws:rds/parameterGroup:ParameterGroup",
  name: "metastore-params",
  props: { family: "postgres16", parameters },
});

/** A Postgres instance as the metastore should be; cases change one input. */
const instance = (changes: Record<string, unknown> = {}): TestResource => ({
  type: "aws:rds/instance:Instance",
  name: "metastore",
  props: {
    engine: "postgres",
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY_ARN,
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    multiAz: true,
    parameterGroupName: "metastore-params",
    ...changes,
  },
  dependsOn: ["metastore-params"],
});

const withInstance = (changes: Record<string, unknown>) => [parameterGroup(), instance(changes)];
const good = withInstance({});

/** An in-region read replica as the metastore adds them: encryption, key and backups follow the source. */
const inRegionReplica: TestResource = {
  type: "aws:rds/instance:Instance",
  name: "metastore-replica-1",
  props: {
    replicateSourceDb: "metastore",
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    multiAz: false,
    deletionProtection: true,
    publiclyAccessible: false,
  },
  dependsOn: ["metastore"],
};
const CROSS_REGION_SOURCE = "arn:aws:rds:eu-west-1:123456789012:db:metastore";

const auroraCluster = (instances: number): TestResource[] => [
  {
    type: "aws:rds/cluster:Cluster",
    name: "aurora",
    props: {
      engine: "aurora-postgresql",
      storageEncrypted: true,
      kmsKeyId: KEY_ARN,
      backupRetentionPeriod: 7,
      deletionProtection: true,
      dbClusterParameterGroupName: "aurora-params",
    },
  },
  ...Array.from({ length: instances }, (_, i) => ({
    type: "aws:rds/clusterInstance:ClusterInstance",
    name: `aurora-${i}`,
    props: { clusterIdentifier: "aurora", engine: "aurora-postgresql", instanceClass: "db.serverless" },
    dependsOn: ["aurora"],
  })),
];

policyCases("rds-storage-encrypted", {
  compliant: {
    "an instance encrypted with a customer-managed key": good,
    "an Aurora cluster encrypted with a customer-managed key": auroraCluster(2),
    "an in-region read replica (its source's key)": [...good, inRegionReplica],
  },
  violations: {
    "a cross-region replica without this region's key": {
      resources: [
        {
          ...inRegionReplica,
          name: "standby",
          props: { ...inRegionReplica.props, replicateSourceDb: CROSS_REGION_SOURCE },
          dependsOn: [],
        },
      ],
      offender: "standby",
    },
    "an unencrypted instance": {
      resources: withInstance({ storageEncrypted: false, kmsKeyId: undefined }),
      offender: "metastore",
      says: /does not encrypt/,
    },
    "an instance encrypted with the AWS-managed key": {
      resources: withInstance({ kmsKeyId: undefined }),
      offender: "metastore",
      says: /aws\/rds/,
    },
  },
});

policyCases("rds-performance-insights-encrypted", {
  compliant: {
    "Performance Insights under a customer-managed key": good,
    "Performance Insights off": withInstance({
      performanceInsightsEnabled: false,
      performanceInsightsKmsKeyId: undefined,
    }),
  },
  violations: {
    "Performance Insights without a key": {
      resources: withInstance({ performanceInsightsKmsKeyId: undefined }),
      offender: "metastore",
    },
  },
});

policyCases("rds-not-public", {
  compliant: { "a private instance": good },
  violations: {
    "a publicly accessible instance": { resources: withInstance({ publiclyAccessible: true }), offender: "metastore" },
  },
});

policyCases("rds-backup-retention", {
  compliant: {
    "7 days of backups": good,
    "14 days when the stack asks for 14": {
      resources: withInstance({ backupRetentionPeriod: 14 }),
      config: { "rds-backup-retention": { minimumDays: 14 } },
    },
    "a read replica, backed up through its source": [...good, inRegionReplica],
  },
  violations: {
    "the API default of 1 day": {
      resources: withInstance({ backupRetentionPeriod: undefined }),
      offender: "metastore",
      says: /1 day/,
    },
    "7 days when the stack's config asks for 14": {
      resources: good,
      offender: "metastore",
      config: { "rds-backup-retention": { minimumDays: 14 } },
      says: /fewer than 14/,
    },
  },
});

policyCases("rds-deletion-protection", {
  compliant: { "deletion protection on": good },
  violations: {
    "deletion protection off": { resources: withInstance({ deletionProtection: false }), offender: "metastore" },
  },
});

policyCases("rds-multi-az", {
  compliant: {
    "a Multi-AZ instance": good,
    "an Aurora cluster with a writer and a reader": auroraCluster(2),
    "a single-AZ in-region read replica of a Multi-AZ primary": [...good, inRegionReplica],
  },
  violations: {
    "a single-AZ instance": { resources: withInstance({ multiAz: false }), offender: "metastore" },
    "an Aurora cluster with one instance": { resources: auroraCluster(1), offender: "aurora", says: /1 instance/ },
    "a single-AZ cross-region standby": {
      resources: [
        {
          ...inRegionReplica,
          name: "standby",
          props: { ...inRegionReplica.props, replicateSourceDb: CROSS_REGION_SOURCE, kmsKeyId: KEY_ARN },
          dependsOn: [],
        },
      ],
      offender: "standby",
    },
  },
});

policyCases("rds-force-ssl", {
  compliant: {
    "a Postgres parameter group with rds.force_ssl = 1": good,
    "a MySQL parameter group with require_secure_transport = ON": [
      {
        type: "aws:rds/parameterGroup:ParameterGroup",
        name: "mysql-params",
        props: { family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] },
      },
    ],
  },
  violations: {
    "a Postgres parameter group without rds.force_ssl": {
      resources: [parameterGroup([{ name: "log_min_duration_statement", value: "500" }]), instance()],
      offender: "metastore-params",
      says: /rds\.force_ssl/,
    },
    "rds.force_ssl = 0": {
      resources: [parameterGroup([{ name: "rds.force_ssl", value: "0" }]), instance()],
      offender: "metastore-params",
    },
    "an instance on the engine's default parameter group": {
      resources: [{ ...instance({ parameterGroupName: undefined }), dependsOn: [] }],
      offender: "metastore",
      says: /default parameter group/,
    },
  },
});
