import { randomUUID } from "node:crypto";
import * as assert from "node:assert/strict";
import { connectionSecretString } from "../../../components/metastore/engine";
import { Metastore, MetastoreArgs, rotationApplications } from "../../../components/metastore/metastore";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { policyOf, present, Registered, registered } from "../../support/offline";

const metastoreKey = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const logsKey = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000";
const prodInstanceArn = "arn:aws:rds:eu-central-1:123456789012:db:loglake-metastore";

const baseArgs: MetastoreArgs = {
  vpcId: "vpc-0abc12345def67890",
  subnetIds: ["subnet-0aaa1111bbbb2222c", "subnet-0bbb1111bbbb2222c", "subnet-0ccc1111bbbb2222c"],
  kmsKeyArn: metastoreKey,
  logsKmsKeyArn: logsKey,
  alarmTopicKmsKeyArn: logsKey,
  clientSecurityGroupIds: ["sg-0nodes000000000001"],
  secretsManagerAccess: { securityGroupId: "sg-0endpoint00000001" },
};

const T = {
  instance: "aws:rds/instance:Instance",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  sar: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sg: "aws:ec2/securityGroup:SecurityGroup",
};

/** Registers a Metastore; it is returned inside an object so its undefined outputs are not taken for stack outputs. */
async function run(args: Partial<MetastoreArgs> = {}) {
  const { resources, result } = await registered(() => ({
    metastore: new Metastore("metastore", { ...baseArgs, ...args }),
  }));
  return { resources, result: result.metastore };
}

/** The physical id the mocks gave a registered resource, as other inputs refer to it. */
const urnOf = (r: RegisteredResource) => r.urn;

describe("Metastore", () => {
  let defaults: { resources: Registered; result: Metastore };
  before(async () => {
    defaults = await run();
  });
  const primaryOf = (resources: Registered) => resources.get(T.instance, "metastore-primary").inputs;

  describe("the primary instance", () => {
    it("is private, on the private subnets, encrypted with the metastore key, gp3 with storage autoscaling", () => {
      const primary = primaryOf(defaults.resources);
      assert.equal(primary.publiclyAccessible, false);
      assert.equal(primary.storageEncrypted, true);
      assert.equal(primary.kmsKeyId, metastoreKey, "storage must use the metastore CMK");
      assert.equal(primary.storageType, "gp3");
      assert.equal(primary.allocatedStorage, 20);
      assert.equal(primary.maxAllocatedStorage, 100, "storage autoscaling needs a limit");
      const subnetGroup = defaults.resources.get("aws:rds/subnetGroup:SubnetGroup", "metastore-subnets");
      assert.deepEqual(subnetGroup.inputs.subnetIds, baseArgs.subnetIds);
      assert.match(String(primary.dbSubnetGroupName), /^metastore-subnets-/, "the instance must use this subnet group");
    });

    it("defaults to Multi-AZ, 14 days of backups, deletion protection, a final snapshot and kept automated backups", () => {
      const primary = primaryOf(defaults.resources);
      assert.equal(primary.multiAz, true);
      assert.equal(primary.backupRetentionPeriod, 14);
      assert.equal(primary.deletionProtection, true);
      assert.equal(primary.skipFinalSnapshot, false);
      assert.match(String(primary.finalSnapshotIdentifier), /^metastore-final-[0-9a-f]{8}$/);
      assert.equal(primary.deleteAutomatedBackups, false);
      assert.equal(primary.copyTagsToSnapshot, true);
    });

    it("turns on IAM database authentication and takes the master password as a secret", () => {
      const primary = primaryOf(defaults.resources);
      assert.equal(primary.iamDatabaseAuthenticationEnabled, true);
      assert.equal(primary.password, "[secret]", "the master password must reach the engine as a secret");
      assert.equal(primary.manageMasterUserPassword, undefined);
      assert.equal(primary.username, "metastore_admin");
      assert.equal(primary.dbName, "metastore");
    });

    it("runs a pinned PostgreSQL 17 minor with automatic minor upgrades off, and follows RDS's minors for a bare major", async () => {
      assert.equal(primaryOf(defaults.resources).engine, "postgres");
      assert.equal(primaryOf(defaults.resources).engineVersion, "17.7");
      assert.equal(primaryOf(defaults.resources).autoMinorVersionUpgrade, false);
      const { resources } = await run({ engineVersion: "16" });
      assert.equal(primaryOf(resources).autoMinorVersionUpgrade, true);
      assert.equal(
        resources.get("aws:rds/parameterGroup:ParameterGroup", "metastore-params").inputs.family,
        "postgres16",
      );
    });

    it("encrypts Performance Insights with the metastore key and turns on Database Insights and Enhanced Monitoring", () => {
      const primary = primaryOf(defaults.resources);
      assert.equal(primary.performanceInsightsEnabled, true);
      assert.equal(primary.performanceInsightsKmsKeyId, metastoreKey);
      assert.equal(primary.performanceInsightsRetentionPeriod, 7);
      assert.equal(primary.databaseInsightsMode, "standard");
      assert.equal(primary.monitoringInterval, 60);
      const role = defaults.resources.get("aws:iam/role:Role", "metastore-monitoring");
      assert.equal(primary.monitoringRoleArn, "arn:aws:iam::123456789012:role/metastore-monitoring");
      const trust = policyOf(role, "assumeRolePolicy");
      assert.deepEqual(
        trust.Statement.map((s) => s.Principal?.Service),
        ["monitoring.rds.amazonaws.com"],
      );
      assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
      const attachment = defaults.resources.get(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "metastore-monitoring",
      );
      assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
    });

    it("exports the postgresql and upgrade logs into encrypted log groups it creates before the instance", () => {
      const primary = defaults.resources.get(T.instance, "metastore-primary");
      assert.deepEqual(primary.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
      for (const log of ["postgresql", "upgrade"]) {
        const group = defaults.resources.get("aws:cloudwatch/logGroup:LogGroup", `metastore-primary-${log}`);
        assert.equal(group.inputs.name, `/aws/rds/instance/metastore/${log}`);
        assert.equal(group.inputs.kmsKeyId, logsKey);
        assert.equal(group.inputs.retentionInDays, 365);
        assert.ok(primary.options.dependsOn.includes(urnOf(group)), `the instance must wait for its ${log} log group`);
      }
    });
  });

  describe("the parameter group", () => {
    it("matches the engine's family and applies static parameters at the next reboot only", () => {
      const group = defaults.resources.get("aws:rds/parameterGroup:ParameterGroup", "metastore-params");
      assert.equal(group.inputs.family, "postgres17");
      const byName = Object.fromEntries(
        (group.inputs.parameters as { name: string; value: string; applyMethod?: string }[]).map((p) => [p.name, p]),
      );
      assert.equal(byName["rds.force_ssl"].value, "1");
      assert.equal(byName.log_min_duration_statement.value, "2000");
      assert.equal(byName.shared_preload_libraries.value, "pg_stat_statements");
      assert.equal(byName.max_connections.value, "500");
      assert.equal(byName.shared_preload_libraries.applyMethod, "pending-reboot");
      assert.equal(byName.max_connections.applyMethod, "pending-reboot");
      assert.equal(byName["rds.force_ssl"].applyMethod, "immediate");
      assert.match(
        String(primaryOf(defaults.resources).parameterGroupName),
        /^metastore-params-/,
        "the instance must use this group",
      );
    });
  });

  describe("network access", () => {
    it("allows 5432 only from the client and rotation security groups, never from a CIDR", () => {
      const dbGroup = defaults.resources.get(T.sg, "metastore-db");
      assert.equal(dbGroup.inputs.ingress, undefined, "no inline rules: every rule is its own resource");
      const ingress = defaults.resources.ofType(T.ingress);
      assert.deepEqual(ingress.map((r) => r.name).sort(), ["metastore-from-client-0", "metastore-from-rotation"]);
      for (const rule of ingress) {
        assert.equal(rule.inputs.cidrIpv4, undefined, `${rule.name} must not open a CIDR`);
        assert.equal(rule.inputs.cidrIpv6, undefined, `${rule.name} must not open a CIDR`);
        assert.ok(rule.inputs.referencedSecurityGroupId, `${rule.name} must name a security group`);
        assert.deepEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 5432, 5432]);
      }
      assert.equal(
        defaults.resources.get(T.ingress, "metastore-from-client-0").inputs.referencedSecurityGroupId,
        "sg-0nodes000000000001",
      );
    });

    it("lets the rotation functions reach only the database and the Secrets Manager endpoint", async () => {
      const egress = defaults.resources.ofType(T.egress);
      const toDb = defaults.resources.get(T.egress, "metastore-rotation-to-db").inputs;
      const toApi = defaults.resources.get(T.egress, "metastore-rotation-to-secretsmanager").inputs;
      assert.equal(egress.length, 2, `unexpected egress rules: ${egress.map((r) => r.name).join(", ")}`);
      assert.deepEqual([toDb.fromPort, toDb.toPort], [5432, 5432]);
      assert.equal(toDb.referencedSecurityGroupId, await valueOf(defaults.result.securityGroupId));
      assert.deepEqual(
        [toApi.fromPort, toApi.toPort, toApi.referencedSecurityGroupId],
        [443, 443, "sg-0endpoint00000001"],
      );

      const { resources } = await run({ secretsManagerAccess: { cidrBlock: "10.20.0.0/16" } });
      const viaCidr = resources.get(T.egress, "metastore-rotation-to-secretsmanager").inputs;
      assert.deepEqual([viaCidr.cidrIpv4, viaCidr.referencedSecurityGroupId], ["10.20.0.0/16", undefined]);
    });
  });

  describe("credentials", () => {
    it("keeps both logins in secrets encrypted with the metastore key, written once and as secrets", () => {
      const secrets = defaults.resources.ofType(T.secret);
      assert.deepEqual(secrets.map((s) => s.name).sort(), ["metastore-hive", "metastore-master"]);
      for (const secret of secrets)
        assert.equal(secret.inputs.kmsKeyId, metastoreKey, `${secret.name} must use the metastore CMK`);
      for (const version of defaults.resources.ofType(T.secretVersion)) {
        assert.equal(version.inputs.secretString, "[secret]", `${version.name} must be registered as a secret`);
        assert.deepEqual(
          version.options.ignoreChanges,
          ["secretString"],
          "Pulumi must never write a stale password back",
        );
      }
      const passwords = defaults.resources.ofType("random:index/randomPassword:RandomPassword");
      for (const password of passwords) {
        assert.doesNotMatch(String(password.inputs.overrideSpecial), /[/@" :'\\]/, 'RDS refuses / @ " and space');
        assert.ok((password.inputs.length as number) >= 32);
      }
    });

    it("writes logins in the JSON shape AWS's rotation functions read, TLS required", () => {
      const password = randomUUID();
      const login = JSON.parse(
        connectionSecretString({
          host: "db.example",
          port: 5432,
          username: "hive",
          password,
          dbname: "metastore",
          masterarn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m-abcdef",
        }),
      );
      assert.deepEqual(login, {
        engine: "postgres",
        ssl: true,
        host: "db.example",
        port: 5432,
        username: "hive",
        password,
        dbname: "metastore",
        masterarn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m-abcdef",
      });
    });

    it("rotates the master login with the single-user app and the Hive login with the alternating-users app", async () => {
      const master = defaults.resources.get(T.sar, "metastore-master-rotation").inputs;
      const hive = defaults.resources.get(T.sar, "metastore-hive-rotation").inputs;
      assert.equal(
        master.applicationId,
        "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
      );
      assert.equal(
        hive.applicationId,
        "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser",
      );
      assert.equal(master.semanticVersion, rotationApplications.singleUser.semanticVersion);
      const masterSecretArn = await valueOf(defaults.result.masterSecretArn);
      const rotationGroupId = defaults.resources.get(T.egress, "metastore-rotation-to-db").inputs.securityGroupId;
      for (const app of [master, hive]) {
        assert.deepEqual(app.capabilities, ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]);
        const p = app.parameters as Record<string, string>;
        assert.equal(p.endpoint, "https://secretsmanager.eu-west-1.amazonaws.com");
        assert.equal(p.vpcSubnetIds, (baseArgs.subnetIds as string[]).join(","));
        assert.equal(p.vpcSecurityGroupIds, rotationGroupId, "the functions run in the rotation security group");
        assert.equal(p.kmsKeyArn, metastoreKey);
      }
      assert.equal((master.parameters as Record<string, unknown>).functionName, "metastore-master-rotation");
      assert.equal((hive.parameters as Record<string, unknown>).masterSecretArn, masterSecretArn);
      assert.equal((hive.parameters as Record<string, unknown>).masterSecretKmsKeyArn, metastoreKey);
      assert.equal((master.parameters as Record<string, unknown>).masterSecretArn, undefined);
    });

    it("rotates the master every 30 days by default and right away", async () => {
      const master = defaults.resources.get(T.rotation, "metastore-master-rotation").inputs;
      assert.equal(
        master.rotationLambdaArn,
        "arn:aws:lambda:eu-west-1:123456789012:function:metastore-master-rotation",
      );
      assert.deepEqual(master.rotationRules, { automaticallyAfterDays: 30 });
      assert.equal(master.rotateImmediately, true);
      const { resources, result } = await run({ rotationDays: 7 });
      assert.deepEqual(resources.get(T.rotation, "metastore-master-rotation").inputs.rotationRules, {
        automaticallyAfterDays: 7,
      });
      assert.equal(result.rotationDays, 7, "HiveLoginRotation takes the same period");
    });

    it("deploys the Hive login's rotation function but leaves its rotation to HiveLoginRotation, after the bootstrap Job", async () => {
      assert.deepEqual(
        defaults.resources.ofType(T.rotation).map((r) => r.name),
        ["metastore-master-rotation"],
      );
      defaults.resources.get(T.sar, "metastore-hive-rotation");
      assert.equal(
        await valueOf(present(defaults.result.hiveRotationFunctionArn, "hiveRotationFunctionArn")),
        "arn:aws:lambda:eu-west-1:123456789012:function:metastore-hive-rotation",
      );
      assert.ok(defaults.result.hiveSecretArn, "the Hive secret exists for the bootstrap job to read");
    });

    it("publishes failed rotations of its secrets to an SNS topic encrypted with a CMK", async () => {
      const rule = defaults.resources.get("aws:cloudwatch/eventRule:EventRule", "metastore-rotation-failed");
      const pattern = JSON.parse(rule.inputs.eventPattern as string);
      assert.deepEqual(pattern.source, ["aws.secretsmanager"]);
      assert.deepEqual(pattern["detail-type"], ["AWS Service Event via CloudTrail"]);
      assert.deepEqual(pattern.detail.eventName, ["RotationFailed"]);
      assert.deepEqual(
        pattern.detail.additionalEventData.SecretId.sort(),
        [await valueOf(defaults.result.masterSecretArn), await valueOf(defaults.result.hiveSecretArn)].sort(),
      );
      const topic = defaults.resources.get("aws:sns/topic:Topic", "metastore-rotation-failures");
      assert.equal(topic.inputs.kmsMasterKeyId, logsKey, "the topic's key must be one EventBridge may use");
      const topicArn = await valueOf(defaults.result.rotationAlarmTopicArn);
      assert.equal(
        defaults.resources.get("aws:cloudwatch/eventTarget:EventTarget", "metastore-rotation-failed").inputs.arn,
        topicArn,
      );
      const policy = policyOf(defaults.resources.get("aws:sns/topicPolicy:TopicPolicy", "metastore-rotation-failures"));
      assert.deepEqual(policy.Statement[0].Principal, { Service: "events.amazonaws.com" });
      assert.equal(policy.Statement[0].Action, "sns:Publish");
      assert.ok(
        String(present(policy.Statement[0].Condition, "condition").ArnEquals["aws:SourceArn"]).startsWith(
          "arn:aws:events:eu-west-1:",
        ),
        "only this rule may publish",
      );
    });

    it("gives the Hive metastore a policy that reads its own secret and nothing else", async () => {
      const policy = policyOf(defaults.resources.get("aws:iam/policy:Policy", "metastore-hive-secret-read"));
      const [read, decrypt] = policy.Statement;
      assert.deepEqual(read.Action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
      assert.equal(read.Resource, await valueOf(defaults.result.hiveSecretArn));
      assert.equal(decrypt.Action, "kms:Decrypt");
      assert.equal(decrypt.Resource, metastoreKey);
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
      });
      assert.ok(!JSON.stringify(policy).includes("*"), "no wildcard actions or resources");
      assert.match(
        (await valueOf(defaults.result.hiveSecretReadPolicyArn)) as string,
        /^arn:aws:iam::123456789012:policy\//,
      );
    });

    it("accepts an RDS-managed master password without replicas, rotating it on the schedule and naming it as the Hive login's master", async () => {
      const { resources, result } = await run({ manageMasterUserPassword: true });
      const primary = primaryOf(resources);
      assert.equal(primary.manageMasterUserPassword, true);
      assert.equal(primary.masterUserSecretKmsKeyId, metastoreKey);
      assert.equal(primary.password, undefined);
      assert.deepEqual(
        resources.ofType(T.secret).map((s) => s.name),
        ["metastore-hive"],
      );
      assert.deepEqual(
        resources.ofType("random:index/randomPassword:RandomPassword").map((p) => p.name),
        ["metastore-hive-password"],
        "RDS generates the master password",
      );
      assert.deepEqual(
        resources.ofType(T.sar).map((s) => s.name),
        ["metastore-hive-rotation"],
      );
      const masterRotation = resources.get(T.rotation, "metastore-master-rotation").inputs;
      const rdsSecret = await valueOf(result.masterSecretArn);
      assert.match(rdsSecret as string, /:secret:rds!db-/);
      assert.equal(masterRotation.secretId, rdsSecret);
      assert.equal(masterRotation.rotationLambdaArn, undefined, "RDS rotates its own secret");
      assert.equal(
        (resources.get(T.sar, "metastore-hive-rotation").inputs.parameters as Record<string, unknown>).masterSecretArn,
        rdsSecret,
      );
    });
  });

  describe("read replicas", () => {
    it("creates in-region replicas of the primary by identifier, encrypted, monitored and without logins of their own", async () => {
      const { resources, result } = await run({ readReplicas: 2 });
      for (const n of [1, 2]) {
        const replica = resources.get(T.instance, `metastore-replica-${n}`).inputs;
        assert.equal(replica.identifier, `metastore-replica-${n}`);
        assert.equal(replica.replicateSourceDb, "metastore");
        assert.equal(replica.storageEncrypted, true);
        assert.equal(replica.publiclyAccessible, false);
        assert.equal(replica.performanceInsightsKmsKeyId, metastoreKey);
        assert.equal(replica.skipFinalSnapshot, true);
        for (const key of ["password", "username", "dbName", "backupRetentionPeriod"])
          assert.equal(replica[key], undefined, `a replica must not set ${key}`);
      }
      const endpoints = await valueOf(result.replicaEndpoints);
      assert.equal(endpoints.length, 2);
      assert.match(endpoints[0], /^metastore-replica-1\..*:5432$/);
    });

    it("replicates another region's instance by ARN with this region's key and subnet group, and holds no logins", async () => {
      const { resources, result } = await run({ crossRegionReplica: { sourceDbArn: prodInstanceArn }, multiAz: false });
      const replica = primaryOf(resources);
      assert.equal(replica.replicateSourceDb, prodInstanceArn);
      assert.equal(replica.kmsKeyId, metastoreKey, "a cross-region replica needs the DR region's key");
      assert.match(
        String(replica.dbSubnetGroupName),
        /^metastore-subnets-/,
        "a cross-region replica needs a subnet group in this VPC",
      );
      assert.equal(replica.skipFinalSnapshot, true);
      for (const key of [
        "password",
        "username",
        "dbName",
        "engine",
        "backupRetentionPeriod",
        "finalSnapshotIdentifier",
      ]) {
        assert.equal(replica[key], undefined, `a replica must not set ${key}`);
      }
      assert.equal(resources.ofType(T.secret).length, 0);
      assert.equal(resources.ofType(T.sar).length, 0);
      assert.equal(result.masterSecretArn, undefined, "a standby replica has no master secret output");
      assert.equal(result.hiveSecretArn, undefined);
      assert.equal(result.hiveSecretReadPolicyArn, undefined);
    });

    it("promote: true renders a standalone instance with backups, a final snapshot and rotated logins", async () => {
      const { resources, result } = await run({
        crossRegionReplica: { sourceDbArn: prodInstanceArn, promote: true },
        backupRetentionDays: 30,
      });
      const promoted = primaryOf(resources);
      assert.equal(promoted.replicateSourceDb, undefined, "promotion is removing the source");
      assert.equal(promoted.backupRetentionPeriod, 30);
      assert.equal(promoted.multiAz, true);
      assert.equal(promoted.skipFinalSnapshot, false);
      assert.match(String(promoted.finalSnapshotIdentifier), /^metastore-final-/);
      assert.equal(promoted.password, "[secret]", "promotion resets the master password to the new master secret's");
      assert.equal(
        promoted.username,
        undefined,
        "username comes from the source; setting it would replace the instance",
      );
      assert.equal(promoted.dbName, undefined, "dbName comes from the source; setting it would replace the instance");
      assert.deepEqual(
        resources
          .ofType(T.secret)
          .map((s) => s.name)
          .sort(),
        ["metastore-hive", "metastore-master"],
      );
      assert.deepEqual(
        resources.ofType(T.rotation).map((r) => r.name),
        ["metastore-master-rotation"],
        "the Hive login rotates once the bootstrap Job has set its new password (HiveLoginRotation)",
      );
      assert.match(String(await valueOf(result.hiveSecretArn)), /^arn:aws:secretsmanager:eu-west-1:/);
    });
  });

  describe("outputs", () => {
    it("gives the endpoint, address, port, database name and instance ARN", async () => {
      const { result } = defaults;
      const address = await valueOf(result.address);
      assert.match(address, /^metastore\..*\.eu-west-1\.rds\.amazonaws\.com$/);
      assert.equal(await valueOf(result.endpoint), `${address}:5432`);
      assert.equal(await valueOf(result.port), 5432);
      assert.equal(await valueOf(result.databaseName), "metastore");
      assert.equal(await valueOf(result.instanceArn), "arn:aws:rds:eu-west-1:123456789012:db:metastore");
      assert.deepEqual(await valueOf(result.replicaEndpoints), []);
    });
  });

  describe("refuses", () => {
    const refuses = (args: Partial<MetastoreArgs>, message: RegExp) => assert.rejects(run(args), message);

    it("an RDS-managed master password on an instance with read replicas", () =>
      refuses(
        { manageMasterUserPassword: true, readReplicas: 1 },
        /manageMasterUserPassword: an RDS-managed master password cannot be used on an instance with read replicas/,
      ));
    it("an engine family the Hive metastore and RDS do not both support", async () => {
      await refuses({ engineVersion: "15.8" }, /engineVersion: unknown engine family/);
      await refuses({ engineVersion: "18.1" }, /engineVersion: unknown engine family/);
      await refuses({ engineVersion: "latest" }, /engineVersion: unknown engine family/);
    });
    it("turning automated backups off", () =>
      refuses({ backupRetentionDays: 0 }, /backupRetentionDays: RDS keeps automated backups 1 to 35 days/));
    it("a storage limit that leaves autoscaling no room", () =>
      refuses({ allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }, /maxAllocatedStorageGb: .*110 GiB or more/));
    it("advanced Database Insights without 15 months of Performance Insights", () =>
      refuses(
        { insights: { mode: "advanced", retentionDays: 31 } },
        /insights.retentionDays: .*advanced mode needs .*465/,
      ));
    it("a Performance Insights retention AWS does not offer", () =>
      refuses({ insights: { mode: "standard", retentionDays: 30 } }, /insights.retentionDays/));
    it("in-region replicas on a cross-region replica that is not promoted", () =>
      refuses(
        { crossRegionReplica: { sourceDbArn: prodInstanceArn }, readReplicas: 1 },
        /readReplicas: a cross-region replica has no in-region replicas/,
      ));
    it("a database nobody may connect to", () => refuses({ clientSecurityGroupIds: [] }, /clientSecurityGroupIds/));
    it("an identifier RDS would refuse", () => refuses({ identifier: "Metastore--1" }, /identifier: "Metastore--1"/));
  });
});
