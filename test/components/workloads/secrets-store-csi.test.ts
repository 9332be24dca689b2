import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { poolLabel } from "../../../components/compute/compute-cluster";
import {
  SecretsStoreCsiDriver,
  SecretsStoreCsiDriverArgs,
  secretsStoreAwsProviderChart,
  secretsStoreCsiChart,
} from "../../../components/workloads/secrets-store-csi";
import { RegisteredResource } from "../../../infra/offline/engine";
import { Registered, registered } from "../../support/offline";

const args = (change: Partial<SecretsStoreCsiDriverArgs> = {}): SecretsStoreCsiDriverArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  ...change,
});
const releaseType = "kubernetes:helm.sh/v3:Release";
const values = (r: RegisteredResource) => r.inputs.values as Record<string, unknown>;

describe("SecretsStoreCsiDriver", () => {
  let resources: Registered;
  let driver: RegisteredResource;
  let provider: RegisteredResource;
  before(async () => {
    ({ resources } = await registered(() => new SecretsStoreCsiDriver("acme", args())));
    driver = resources.get(releaseType, "acme-secrets-store-csi");
    provider = resources.get(releaseType, "acme-secrets-store-aws");
  });

  it("installs the upstream driver and AWS provider charts at exact versions into kube-system", () => {
    for (const [release, chart] of [
      [driver, secretsStoreCsiChart],
      [provider, secretsStoreAwsProviderChart],
    ] as const) {
      assert.equal(release.inputs.chart, chart.chart);
      assert.equal(release.inputs.version, chart.version);
      assert.match(chart.version, /^\d+\.\d+\.\d+$/, "an exact version, not a range");
      assert.deepEqual(release.inputs.repositoryOpts, { repo: chart.repo });
      assert.equal(release.inputs.namespace, "kube-system");
      assert.equal(release.inputs.atomic, true);
    }
    assert.deepEqual(
      values(provider)["secrets-store-csi-driver"],
      { install: false },
      "its bundled driver is unpinned",
    );
    assert.ok(provider.options.dependsOn.includes(driver.urn), "the provider registers with a running driver");
  });

  it("follows rotated secrets every 2 minutes and never copies them into Kubernetes Secrets", () => {
    const v = values(driver);
    assert.equal(v.enableSecretRotation, true);
    assert.equal(v.rotationPollInterval, "2m");
    assert.deepEqual(v.syncSecret, { enabled: false });
  });

  it("hands the provider the pod's token for STS, with which it assumes the pod's IRSA role", () => {
    assert.deepEqual(values(driver).tokenRequests, [{ audience: "sts.amazonaws.com" }]);
  });

  it("runs on the system nodes only, tolerating no taint (the chart's default tolerates all)", () => {
    const placement = { nodeSelector: { [poolLabel]: "system" }, tolerations: [] };
    assert.deepEqual(values(driver).linux, placement);
    assert.deepEqual(values(provider).nodeSelector, placement.nodeSelector);
    assert.deepEqual(values(provider).tolerations, []);
  });

  it("refuses a poll interval the driver cannot parse", () => {
    assert.throws(
      () => new SecretsStoreCsiDriver("acme", args({ rotationPollInterval: "2 minutes" })),
      /rotationPollInterval: "2 minutes": a duration such as 90s, 2m or 1h/,
    );
  });
});
