import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { parseConfig } from "../../../infra/config";
import { environments } from "../../../infra/settings/common";
import { monitoringArgs, monitoringSection } from "../../../infra/settings/monitoring";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (monitoring: Record<string, unknown>) =>
  parseConfig("dev", { ...required, prefix: "acme", region: "eu-west-1", monitoring });

describe("monitoring settings", () => {
  it("accepts every environment's defaults: monitoring on, prod keeping 30 days on 100 GiB", () => {
    for (const environment of environments) {
      const defaults = monitoringSection.defaults(environment, undefined);
      assert.ok(monitoringSection.schema.safeParse(defaults).success, environment);
      assert.equal(defaults.enabled, true, environment);
    }
    assert.deepEqual(monitoringSection.defaults("prod", undefined), {
      enabled: true,
      retentionDays: 30,
      storageGiB: 100,
      grafanaStorageGiB: 10,
    });
    assert.equal(stackConfig({ retentionDays: 3 }).monitoring.storageGiB, 20, "unset keys keep dev's defaults");
  });

  it("refuses what Prometheus or EBS would refuse, naming key and value", () => {
    assert.throws(
      () => stackConfig({ retentionDays: 0, storageGiB: 20000, grafanaStorageGiB: 2.5, enabled: "yes" }),
      (error: Error) => {
        assert.match(error.message, /loglake:monitoring\.retentionDays = 0: /);
        assert.match(error.message, /loglake:monitoring\.storageGiB = 20000: /);
        assert.match(error.message, /loglake:monitoring\.grafanaStorageGiB = 2\.5: /);
        assert.match(error.message, /loglake:monitoring\.enabled = "yes": /);
        return true;
      },
    );
    assert.throws(() => stackConfig({ replicas: 2 }), /loglake:monitoring\.replicas = 2: not a setting loglake knows/);
  });

  it("maps the section onto the component's args, and to none when monitoring is off", () => {
    const deps = {
      kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
      vpcCidr: "10.20.0.0/16",
      kafkaBootstrapBrokers: "b-1.acme.kafka.eu-west-1.amazonaws.com:9098",
      volumeKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/volumes",
      waitFor: [],
    };
    const config = {
      monitoring: monitoringSection.schema.parse(monitoringSection.defaults("prod", undefined)),
      compute: { kubernetesVersion: "1.35" },
    };
    const args = monitoringArgs(config, deps);
    assert.equal(args?.retentionDays, 30);
    assert.equal(args?.storageGiB, 100);
    assert.equal(args?.grafanaStorageGiB, 10);
    assert.equal(args?.kubernetesVersion, "1.35");
    assert.equal(args?.kafkaBootstrapBrokers, deps.kafkaBootstrapBrokers);
    assert.equal(monitoringArgs(stackConfig({ enabled: false }), deps), undefined);
  });
});
