import * as assert from "node:assert/strict";
import { RegisteredResource, valueOf } from "../../infra/offline/engine";
import { present } from "../support/offline";
import { plannedStack } from "../support/plans";
import { statefulTypes } from "../../infra/stack-defaults";
import { interfaceEndpointServices } from "../../components/network/network";

type Plan = Awaited<ReturnType<typeof plannedStack>>;
interface ReplicationDestination {
  bucket: string;
  encryptionConfiguration: { replicaKmsKeyId: string };
}
const plans: Record<string, Plan> = {};

const isAwsResource = (r: RegisteredResource) => r.custom && r.type.startsWith("aws:");
const stateful = (plan: Plan) => plan.resources.filter((r) => statefulTypes.has(r.type));

describe("the loglake program", () => {
  before(async () => {
    for (const stack of ["dev", "dr", "prod"]) plans[stack] = await plannedStack(stack);
  });

  it("creates every AWS resource through the stack's provider, which carries region and required tags", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      const providers = plan.resources.filter((r) => r.type === "pulumi:providers:aws");
      assert.equal(providers.length, 1, `${stack}: one AWS provider`);
      const [provider] = providers;
      const tags = JSON.parse(provider.inputs.defaultTags as string).tags;
      assert.deepEqual(Object.keys(tags).sort(), ["cost-center", "data-classification", "environment", "owner"], stack);
      assert.equal(tags.environment, stack);
      const reference = `${provider.urn}::`;
      const onProvider = (r: RegisteredResource) =>
        (r.remote ? r.options.providers.aws : r.options.provider)?.startsWith(reference);
      const elsewhere = plan.resources.filter((r) => (isAwsResource(r) || r.remote) && !onProvider(r));
      assert.deepEqual(
        elsewhere.map((r) => `${r.type} ${r.name}`),
        [],
        `${stack}: resources on another provider`,
      );
    }
  });

  it("deploys each stack into its own region", async () => {
    assert.equal(await valueOf(plans.dev.result.region), "eu-west-1");
    assert.equal(await valueOf(plans.prod.result.region), "eu-west-1");
    assert.equal(await valueOf(plans.dr.result.region), "eu-central-1");
  });

  it("protects and retains stateful resources in prod and dr, not in dev", () => {
    for (const stack of ["prod", "dr"]) {
      const unprotected = stateful(plans[stack]).filter((r) => !r.options.protect || !r.options.retainOnDelete);
      assert.ok(stateful(plans[stack]).length >= 10, `${stack} has buckets and keys`);
      assert.deepEqual(
        unprotected.map((r) => r.name),
        [],
        `${stack}: unprotected stateful resources`,
      );
    }
    assert.deepEqual(
      stateful(plans.dev)
        .filter((r) => r.options.protect)
        .map((r) => r.name),
      [],
    );
  });

  it("replicates prod's raw and lake buckets into the dr stack's buckets, encrypted with the dr key", async () => {
    const targets = (await valueOf(plans.dr.result.replicaTargets)) as Record<string, string>;
    const rules = plans.prod.resources
      .filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
      .flatMap((r) => (r.inputs.rules as { destination: ReplicationDestination }[]).map((rule) => rule.destination));
    assert.deepEqual(rules.map((d) => d.bucket).sort(), [targets.lakeBucketArn, targets.rawBucketArn].sort());
    for (const destination of rules)
      assert.equal(destination.encryptionConfiguration.replicaKmsKeyId, targets.kmsKeyArn);
    assert.match(targets.kmsKeyArn, /^arn:aws:kms:eu-central-1:/);
  });

  it("keeps a cross-region replica of prod's metastore in dr, named without reading the prod stack", async () => {
    const replica = plans.dr.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
    assert.equal(replica.inputs.replicateSourceDb, await valueOf(plans.prod.result.metastoreInstanceArn));
    assert.deepEqual(
      plans.dr.resources.filter((r) => r.type === "pulumi:pulumi:StackReference"),
      [],
    );
  });

  it("runs the Hive metastore where the stack has logins, rotates its login after the bootstrap Job, points Spark at it", async () => {
    for (const [stack, plan] of Object.entries(plans)) {
      const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
      const jobs = ofType("kubernetes:batch/v1:Job");
      const rotations = ofType("aws:secretsmanager/secretRotation:SecretRotation").filter((r) =>
        r.parent?.includes("HiveLoginRotation"),
      );
      const dispatcher = ofType("aws:lambda/function:Function").find((r) => r.name.endsWith("-dispatcher"));
      const variables = present(dispatcher, `${stack}: the dispatcher`).inputs.environment as {
        variables: Record<string, string>;
      };
      assert.equal(
        await valueOf(variables.variables.METASTORE_URI),
        "thrift://hive-metastore.hive.svc.cluster.local:9083",
        `${stack}: the Spark jobs' catalog`,
      );
      if (stack === "dr") {
        // A standby replica has no logins of its own: nothing to bootstrap, serve or rotate until promoted.
        assert.deepEqual([jobs.length, rotations.length], [0, 0], stack);
        continue;
      }
      const bootstrap = present(
        jobs.find((j) => j.name.endsWith("-bootstrap")),
        `${stack}: the bootstrap Job`,
      );
      assert.equal(rotations.length, 1, `${stack}: the Hive login's rotation`);
      assert.ok(rotations[0].options.dependsOn.includes(bootstrap.urn), `${stack}: rotation after the bootstrap Job`);
      const deployment = present(
        ofType("kubernetes:apps/v1:Deployment").find((d) => d.name.endsWith("-metastore")),
        `${stack}: the metastore Deployment`,
      );
      assert.equal((deployment.inputs.spec as { replicas: number }).replicas, stack === "prod" ? 2 : 1, stack);
    }
  });

  it("grants Spark and the lake writer the Kafka consumer policy and the Hive metastore its secret, where there is one", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      // A grant across components: an attachment in KafkaCluster or Metastore to a ComputeCluster role.
      const grants = plan.resources
        .filter(
          (r) =>
            r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && !r.parent?.includes("ComputeCluster"),
        )
        .map((r) => ({
          r,
          role: r.options.dependsOn.find((urn) => urn.includes("ComputeCluster$aws:iam/role:Role::")),
        }))
        .filter(({ role }) => role !== undefined)
        .map(({ r, role }) => ({
          grant: `${r.parent!.split("::").at(-2)!.split(":").at(-1)} ${r.name.split("-").slice(-2).join("-")}`,
          role: role!.split("::").at(-1),
        }));
      const prefix = stack === "prod" ? "loglake" : `loglake-${stack}`;
      const expected = [
        { grant: "KafkaCluster lake-writer", role: `${prefix}-lake-writer` },
        { grant: "KafkaCluster consumer-spark", role: `${prefix}-spark` },
      ];
      if (stack !== "dr") expected.push({ grant: "Metastore hive-metastore", role: `${prefix}-hive-metastore` });
      const byGrant = (a: { grant: string }, b: { grant: string }) => a.grant.localeCompare(b.grant);
      assert.deepEqual(grants.sort(byGrant), expected.sort(byGrant), stack);
    }
  });

  it("moves the grants that stacks deployed before held at the stack's root instead of replacing them", () => {
    const moved = plans.prod.resources
      .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.options.aliases)
      .map((r) => [r.name, r.options.aliases])
      .sort();
    assert.deepEqual(moved, [
      ["loglake-consumer-spark", [{ name: "loglake-spark-kafka-consumer", noParent: true }]],
      ["loglake-hive-secret-read-hive-metastore", [{ name: "loglake-hive-metastore-secret", noParent: true }]],
    ]);
  });

  it("tracks each stack's own raw bucket with the manifest builder, its table protected where state is", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      const prefix = stack === "prod" ? "loglake" : `loglake-${stack}`;
      const notification = plan.resources.find((r) => r.type === "aws:s3/bucketNotification:BucketNotification")!;
      assert.match(notification.inputs.bucket as string, new RegExp(`^${prefix}-raw-`), stack);
      const table = plan.resources.find((r) => r.type === "aws:dynamodb/table:Table")!;
      assert.equal(table.inputs.deletionProtectionEnabled, stack !== "dev", stack);
      const fn = plan.resources.find((r) => r.type === "aws:lambda/function:Function")!;
      assert.match(fn.inputs.kmsKeyArn as string, /^arn:aws:kms:/, stack);
    }
  });

  it("starts MSK broker log delivery only once the access-logs bucket's policy admits it", () => {
    for (const [stack, plan] of Object.entries(plans)) {
      const cluster = plan.resources.find((r) => r.type === "aws:msk/cluster:Cluster")!;
      assert.ok(
        cluster.options.dependsOn.some((urn) => /bucketPolicy:BucketPolicy::loglake(-[a-z]+)?-access-logs$/.test(urn)),
        `${stack}: the cluster does not wait for the access-logs bucket policy`,
      );
    }
  });

  it("replicates nothing from dev or dr", () => {
    for (const stack of ["dev", "dr"]) {
      assert.deepEqual(
        plans[stack].resources.filter((r) => r.type.includes("Replication")).map((r) => r.name),
        [],
        stack,
      );
      assert.deepEqual(
        plans[stack].resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => r.name),
        [],
        stack,
      );
    }
  });

  it("builds three AZs with NAT per AZ and endpoints in prod, two AZs and one NAT in dev", () => {
    const vpc = (stack: string) =>
      plans[stack].resources.find((r) => r.type === "awsx:ec2:Vpc")!.inputs as { natGateways: { strategy: string } };
    assert.equal(vpc("prod").natGateways.strategy, "OnePerAz");
    assert.equal(vpc("dev").natGateways.strategy, "Single");
    const endpoints = (stack: string) =>
      plans[stack].resources.filter(
        (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface",
      ).length;
    assert.equal(endpoints("dev"), 0);
    assert.equal(endpoints("prod"), interfaceEndpointServices.length);
    assert.ok(interfaceEndpointServices.includes("sqs"), "the manifest builder reaches SQS privately");
  });
});
