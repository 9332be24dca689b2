import * as assert from "node:assert/strict";
import { StateBackend, StateBackendArgs } from "../../../components/account/state-backend";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, Registered, registered } from "../../support/offline";

const run = (args: Partial<StateBackendArgs> = {}) =>
  registered(() => new StateBackend("acme", { prefix: "acme", ...args }));

describe("StateBackend", () => {
  let resources: Registered;
  let backend: StateBackend;
  before(async () => {
    ({ resources, result: backend } = await run());
  });

  it("names the bucket after the account and region, and hands out the backend and secrets-provider URLs", async () => {
    const bucket = resources.get("aws:s3/bucket:Bucket", "acme-pulumi-state");
    assert.equal(bucket.inputs.bucket, `acme-pulumi-state-${MOCK_ACCOUNT_ID}-eu-west-1`);
    assert.equal(bucket.inputs.forceDestroy, false);
    assert.equal(
      await valueOf(backend.backendUrl),
      `s3://acme-pulumi-state-${MOCK_ACCOUNT_ID}-eu-west-1?region=eu-west-1&awssdk=v2`,
    );
    assert.equal(await valueOf(backend.secretsProvider), "awskms://alias/acme-pulumi-secrets?region=eu-west-1");
  });

  it("encrypts the bucket under its own rotated key, apart from the secrets key", async () => {
    const keys = resources.ofType("aws:kms/key:Key");
    assert.deepEqual(keys.map((k) => k.name).sort(), ["acme-pulumi-secrets", "acme-pulumi-state"]);
    for (const key of keys) {
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(key.inputs.deletionWindowInDays, 30);
    }
    const sse = resources.get(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "acme-pulumi-state",
    );
    const rule = (sse.inputs.rules as { applyServerSideEncryptionByDefault: Record<string, string> }[])[0];
    assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
    assert.equal(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, await valueOf(backend.stateKeyArn));
    assert.notEqual(await valueOf(backend.stateKeyArn), await valueOf(backend.secretsKeyArn));
  });

  it("is versioned, blocks public access, disables ACLs and refuses plain HTTP", () => {
    const versioning = resources.get("aws:s3/bucketVersioning:BucketVersioning", "acme-pulumi-state");
    assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
    const block = resources.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "acme-pulumi-state");
    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
      assert.equal(block.inputs[flag], true, flag);
    }
    const ownership = resources.get("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "acme-pulumi-state");
    assert.deepEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    const tls = policyOf(resources.get("aws:s3/bucketPolicy:BucketPolicy", "acme-pulumi-state")).Statement.find(
      (s) => s.Sid === "DenyInsecureTransport",
    );
    assert.deepEqual(tls?.Condition, { Bool: { "aws:SecureTransport": "false" } });
  });

  it("expires noncurrent state versions after 90 days, keeping the 10 newest", () => {
    const lifecycle = resources.get(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "acme-pulumi-state",
    );
    const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
    assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 90, newerNoncurrentVersions: 10 });
    assert.deepEqual(rule.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
  });

  it("protects and retains the bucket and both keys", () => {
    for (const r of [
      ...resources.ofType("aws:kms/key:Key"),
      resources.get("aws:s3/bucket:Bucket", "acme-pulumi-state"),
    ]) {
      assert.equal(r.options.protect, true, r.name);
      assert.equal(r.options.retainOnDelete, true, r.name);
    }
  });

  it("takes another retention", async () => {
    const { resources: other } = await run({ noncurrentVersionExpirationDays: 30, noncurrentVersionsKept: 3 });
    const [rule] = other.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "acme-pulumi-state")
      .inputs.rules as Record<string, unknown>[];
    assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 30, newerNoncurrentVersions: 3 });
  });

  it("refuses retention S3 or KMS would refuse, and a bad prefix, before registering anything", () => {
    assert.throws(
      () =>
        new StateBackend("x", {
          prefix: "A",
          noncurrentVersionExpirationDays: 0,
          noncurrentVersionsKept: 101,
          deletionWindowDays: 3,
        }),
      (err: Error) => {
        for (const key of [
          "prefix",
          "noncurrentVersionExpirationDays: 0",
          "noncurrentVersionsKept: 101",
          "deletionWindowDays: 3",
        ]) {
          assert.ok(err.message.includes(key), `${key} in ${err.message}`);
        }
        return true;
      },
    );
  });
});
