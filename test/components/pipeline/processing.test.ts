import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import {
  emrServiceAccountRoleSuffix,
  podTemplates,
  Processing,
  ProcessingArgs,
} from "../../../components/pipeline/processing";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, present, Registered, registered } from "../../support/offline";

const key = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;
const args = (kubernetesProvider: k8s.Provider): ProcessingArgs => ({
  clusterName: "acme-eks",
  oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC`,
  oidcProviderUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
  kubernetesProvider,
  lakeBucket: { name: "acme-lake", arn: "arn:aws:s3:::acme-lake" },
  rawBucketArn: "arn:aws:s3:::acme-raw",
  manifestsBucketArn: "arn:aws:s3:::acme-manifests",
  manifestPrefix: "manifests/",
  lakeKeyArn: key("lake"),
  manifestQueueArn: `arn:aws:sqs:eu-west-1:${MOCK_ACCOUNT_ID}:acme-manifests`,
  pipelineKeyArn: key("pipeline"),
  logsKeyArn: key("logs"),
  vpcId: "vpc-0abc12345def67890",
  subnetIds: ["subnet-0aaa1111bbbb2222c"],
  tables: ["logs.app"],
});

describe("Processing", () => {
  let resources: Registered;
  let processing: Processing;
  before(async () => {
    ({ resources, result: processing } = await registered(
      () => new Processing("acme", args(new k8s.Provider("k8s", { kubeconfig: "{}" }))),
    ));
  });

  it("refuses args EMR, S3 or Kubernetes would refuse, naming each", () => {
    const provider = undefined as unknown as k8s.Provider;
    assert.throws(
      () => new Processing("acme", { ...args(provider), releaseLabel: "7.9", tables: ["App"], namespace: "Spark" }),
      (error: Error) =>
        /releaseLabel: an EMR release/.test(error.message) &&
        /tables\[0\]: "App": <database>\.<table>/.test(error.message) &&
        /namespace: a Kubernetes namespace name/.test(error.message),
    );
  });

  it("runs a virtual cluster on its own namespace of the EKS cluster", () => {
    const vc = resources.get("aws:emrcontainers/virtualCluster:VirtualCluster", "acme-spark");
    assert.deepEqual(vc.inputs.containerProvider, {
      id: "acme-eks",
      type: "EKS",
      info: { eksInfo: { namespace: "spark-jobs" } },
    });
    const ns = resources.get("kubernetes:core/v1:Namespace", "acme-spark-jobs");
    assert.ok(vc.options.dependsOn.includes(ns.urn), "the namespace exists first");
  });

  it("trusts the job role to the runs' service accounts of this role only, through the cluster's OIDC provider", () => {
    const trust = policyOf(resources.get("aws:iam/role:Role", "acme-spark-jobs"), "assumeRolePolicy");
    const [statement] = trust.Statement;
    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
    const suffix = emrServiceAccountRoleSuffix("acme-spark-jobs");
    assert.deepEqual(present(statement.Condition, "the trust's condition").StringLike, {
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": `system:serviceaccount:spark-jobs:emr-containers-sa-*-*-${MOCK_ACCOUNT_ID}-${suffix}`,
    });
    // "ab" is the bytes 0x61 0x62 = 24930, in base 36 "j8i".
    assert.equal(emrServiceAccountRoleSuffix("ab"), "j8i");
  });

  it("lets jobs read raw and manifests, write only the warehouse, and use the lake key only through S3", () => {
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-spark-jobs")).Statement;
    const writes = statements.filter((s) => [s.Action].flat().some((a) => /^s3:(Put|Delete)/.test(a)));
    assert.deepEqual(
      writes.map((s) => s.Resource),
      ["arn:aws:s3:::acme-lake/warehouse/*"],
    );
    assert.deepEqual(statements[0].Resource, [
      "arn:aws:s3:::acme-raw/*",
      "arn:aws:s3:::acme-manifests/manifests/*",
      "arn:aws:s3:::acme-lake/jobs/*",
    ]);
  });

  it("uploads the jobs under a content hash and puts drivers on on-demand nodes, executors on the spot group", () => {
    const objects = resources.ofType("aws:s3/bucketObjectv2:BucketObjectv2").map((o) => o.inputs.key);
    const prefix = `jobs/${processing.jobsHash}/`;
    assert.match(processing.jobsHash, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      objects.sort(),
      ["driver.json", "executor.json", "loglake_spark.zip", "main.py"].map((f) => prefix + f),
    );
    const { driver, executor } = podTemplates();
    assert.deepEqual(JSON.parse(driver).spec.nodeSelector, {
      "loglake.io/pool": "system",
      "eks.amazonaws.com/capacityType": "ON_DEMAND",
    });
    assert.deepEqual(JSON.parse(executor).spec.tolerations, [
      { key: "loglake.io/pool", operator: "Equal", value: "spark", effect: "NoSchedule" },
    ]);
  });

  it("dispatches from the manifest queue and maintains daily, starting runs only as the job role", () => {
    const mapping = resources.get("aws:lambda/eventSourceMapping:EventSourceMapping", "acme-manifests");
    assert.equal(mapping.inputs.eventSourceArn, args(undefined as unknown as k8s.Provider).manifestQueueArn);
    assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
    const schedule = resources.get("aws:scheduler/schedule:Schedule", "acme-maintain");
    assert.equal(schedule.inputs.scheduleExpression, "cron(0 3 * * ? *)");
    assert.equal(JSON.parse((schedule.inputs.target as { input: string }).input).job, "maintain");
    const statements = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-dispatcher")).Statement;
    const start = present(
      statements.find((s) => s.Sid === "StartRunsAsTheJobRole"),
      "the StartJobRun statement",
    );
    assert.match(
      String(present(start.Condition, "its condition").ArnEquals["emr-containers:ExecutionRoleArn"]),
      /role\/acme-spark-jobs$/,
    );
    const fn = resources.get("aws:lambda/function:Function", "acme-dispatcher");
    assert.equal(fn.inputs.runtime, "nodejs24.x");
  });
});
