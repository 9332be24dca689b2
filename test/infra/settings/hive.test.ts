import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { parseConfig } from "../../../infra/config";
import { environments } from "../../../infra/settings/common";
import { hiveMetastoreArgs, hiveSection, secretsStoreArgs } from "../../../infra/settings/hive";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (environment: "dev" | "prod", raw: Record<string, unknown>) =>
  parseConfig(environment, { ...required, prefix: "acme", region: "eu-west-1", drRegion: "eu-central-1", ...raw });

describe("hive settings", () => {
  it("accepts every environment's defaults: one metastore pod in dev, two in prod and dr", () => {
    for (const environment of environments)
      assert.ok(hiveSection.schema.safeParse(hiveSection.defaults(environment, undefined)).success, environment);
    assert.equal(stackConfig("dev", {}).hive.replicas, 1);
    assert.equal(stackConfig("prod", {}).hive.replicas, 2);
  });

  it("refuses one metastore pod in prod, and values Kubernetes or the driver would not take", () => {
    assert.throws(
      () => stackConfig("prod", { hive: { replicas: 1 } }),
      /loglake:hive\.replicas = 1: prod runs at least 2/,
    );
    assert.throws(
      () =>
        stackConfig("dev", {
          hive: {
            resources: { requests: { cpu: "half", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
            secretRotationPollInterval: "2 minutes",
          },
        }),
      (error: Error) => {
        assert.match(error.message, /loglake:hive\.resources\.requests\.cpu = "half": a Kubernetes quantity/);
        assert.match(error.message, /loglake:hive\.secretRotationPollInterval = "2 minutes": a duration/);
        return true;
      },
    );
  });

  it("refuses the retired metastore.hiveLoginBootstrapped, saying what replaced it", () => {
    assert.throws(
      () => stackConfig("dev", { metastore: { hiveLoginBootstrapped: true } }),
      /loglake:metastore\.hiveLoginBootstrapped = true: no longer used: the Hive metastore's bootstrap Job creates the Hive login/,
    );
  });

  it("maps the section onto the HiveMetastore's and the CSI driver's args", () => {
    const config = stackConfig("prod", {
      hive: {
        replicas: 3,
        resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
        secretRotationPollInterval: "5m",
      },
    });
    const kubernetesProvider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const deps = {
      kubernetesProvider,
      oidcProviderArn: "arn",
      oidcProviderUrl: "https://oidc",
      roleArn: "role",
      database: {
        address: "db",
        port: 5432,
        name: "metastore",
        masterSecretArn: "m",
        hiveSecretArn: "h",
        secretsKmsKeyArn: "k",
      },
      imagesKmsKeyArn: "i",
      vpcCidr: "10.0.0.0/16",
      roleName: "role-name",
      lake: { bucketName: "lake", bucketArn: "arn:aws:s3:::lake", kmsKeyArn: "key" },
      kubernetesVersion: "1.36",
      waitFor: [],
      account: {
        accountId: "1",
        callerArn: "c",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        region: "eu-west-1",
      },
    };
    const args = hiveMetastoreArgs(config, deps);
    assert.equal(args.replicas, 3);
    assert.deepEqual(args.resources?.limits, { cpu: "2", memory: "2Gi" });
    assert.equal(args.roleArn, "role");
    assert.equal(secretsStoreArgs(config, { kubernetesProvider }).rotationPollInterval, "5m");
    assert.equal(secretsStoreArgs(stackConfig("dev", {}), { kubernetesProvider }).rotationPollInterval, undefined);
  });
});
