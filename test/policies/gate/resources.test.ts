import * as assert from "node:assert/strict";
import { analyzable, fromResourceList, fromStackExport, providersByUrn } from "../../../policies/gate/resources";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const STACK = "urn:pulumi:prod::loglake::pulumi:pulumi:Stack::loglake-prod";
const PROVIDER = "urn:pulumi:prod::loglake::pulumi:providers:aws::loglake-eu-west-1";
const BUCKET = "urn:pulumi:prod::loglake::loglake:storage:DataLake$aws:s3/bucket:Bucket::loglake-lake";

const exported = {
  version: 3,
  deployment: {
    resources: [
      { urn: STACK, type: "pulumi:pulumi:Stack", custom: false },
      {
        urn: PROVIDER,
        type: "pulumi:providers:aws",
        custom: true,
        id: "prov-1",
        inputs: { region: "eu-west-1" },
        outputs: { region: "eu-west-1" },
      },
      {
        urn: BUCKET,
        type: "aws:s3/bucket:Bucket",
        custom: true,
        id: "loglake-lake-123",
        parent: STACK,
        provider: `${PROVIDER}::prov-1`,
        inputs: { bucket: "loglake-lake-123" },
        outputs: {
          bucket: "loglake-lake-123",
          arn: "arn:aws:s3:::loglake-lake-123",
          tags: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" },
        },
        propertyDependencies: {},
        protect: true,
      },
      {
        urn: "urn:pulumi:prod::loglake::aws:iam/policy:Policy::reveal",
        type: "aws:iam/policy:Policy",
        custom: true,
        inputs: {
          policy: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify('{"Statement":[]}') },
        },
      },
      {
        urn: "urn:pulumi:prod::loglake::aws:sqs/queue:Queue::old",
        type: "aws:sqs/queue:Queue",
        custom: true,
        delete: true,
      },
    ],
  },
};

describe("gate resources", () => {
  it("reads a `pulumi stack export`: outputs over inputs, id, graph edges, provider and protect", () => {
    const resources = fromStackExport(exported);
    const bucket = resources.find((r) => r.urn === BUCKET)!;
    assert.equal(bucket.name, "loglake-lake");
    assert.equal(bucket.props.arn, "arn:aws:s3:::loglake-lake-123");
    assert.equal(bucket.props.id, "loglake-lake-123");
    assert.equal(bucket.parent, STACK);
    assert.equal(bucket.provider, `${PROVIDER}::prov-1`);
    assert.equal(bucket.options.protect, true);
    assert.ok(providersByUrn(resources).has(PROVIDER));
    assert.deepEqual(
      resources.filter(analyzable).map((r) => r.name),
      ["loglake-lake", "reveal"],
      "providers and the root stack are not analyzed",
    );
  });

  it("redacts encrypted secrets and reveals plaintext ones (--show-secrets), and skips resources pending deletion", () => {
    const resources = fromStackExport(exported);
    assert.equal(resources.find((r) => r.urn === BUCKET)!.props.tags, "[secret]");
    assert.equal(resources.find((r) => r.name === "reveal")!.props.policy, '{"Statement":[]}');
    assert.ok(!resources.some((r) => r.name === "old"));
  });

  it("refuses documents that are not stack exports or resource lists", () => {
    assert.throws(() => fromStackExport({ resources: [] }), /deployment\.resources\[\] is missing/);
    assert.throws(() => fromResourceList({ type: "x" }), /JSON array/);
    assert.throws(
      () => fromResourceList([{ type: "aws:s3/bucket:Bucket" }]),
      /resources\[0\] needs string "type" and "name"/,
    );
  });

  it("gives resources of a plain list URNs of their type and name", () => {
    const [bucket] = fromResourceList([{ type: "aws:s3/bucket:Bucket", name: "site", props: { acl: "public-read" } }]);
    assert.equal(bucket.urn, "urn:pulumi:resources::loglake::aws:s3/bucket:Bucket::site");
    assert.deepEqual(bucket.props, { acl: "public-read" });
  });
});
