import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { HiveLoginRotation, HiveLoginRotationArgs } from "../../../components/metastore/hive-login-rotation";
import { registered } from "../../support/offline";

const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-hive-AbCdEf";
const functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:acme-metastore-hive-rotation";

describe("HiveLoginRotation", () => {
  const run = () =>
    registered(() => {
      const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
      // Stands for HiveMetastore's bootstrap Job.
      const job = new k8s.batch.v1.Job("bootstrap", { spec: { template: { spec: { containers: [] } } } }, { provider });
      const args: HiveLoginRotationArgs = {
        secretArn,
        rotationFunctionArn: functionArn,
        rotationDays: 30,
        loginReady: [job],
      };
      return { rotation: new HiveLoginRotation("acme", args), job };
    });

  it("configures the rotation only after the login exists, and rotates the stateful first password at once", async () => {
    const { resources } = await run();
    const rotation = resources.get("aws:secretsmanager/secretRotation:SecretRotation", "acme-hive-rotation");
    const job = resources.get("kubernetes:batch/v1:Job", "bootstrap");
    assert.ok(rotation.options.dependsOn.includes(job.urn), "the rotation waits for the bootstrap Job");
    assert.equal(rotation.inputs.secretId, secretArn);
    assert.equal(rotation.inputs.rotationLambdaArn, functionArn);
    assert.deepEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
    assert.equal(rotation.inputs.rotateImmediately, true);
  });

  it("refuses a period Secrets Manager does not offer", () => {
    assert.throws(
      () =>
        new HiveLoginRotation("acme", { secretArn, rotationFunctionArn: functionArn, rotationDays: 0, loginReady: [] }),
      /rotationDays: 0: Secrets Manager rotates every 1 to 1000 days/,
    );
  });
});
