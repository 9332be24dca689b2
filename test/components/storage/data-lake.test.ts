import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketLifecycle } from "../../../components/storage/lifecycle";
import { DataLake, DataLakeArgs, LakeBucket, lakeBuckets } from "../../../components/storage/data-lake";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { PolicyDocument, policyOf, present, Registered, registered } from "../../support/offline";

const region = "eu-west-1";
const drRegion = "eu-central-1";
const lakeKeyArn = `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;
const drKeyArn = `arn:aws:kms:${drRegion}:${MOCK_ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555`;
const drRaw = `arn:aws:s3:::loglake-raw-${MOCK_ACCOUNT_ID}-${drRegion}`;
const drLake = `arn:aws:s3:::loglake-lake-${MOCK_ACCOUNT_ID}-${drRegion}`;

const tiered: BucketLifecycle = {
  transitions: [
    { days: 30, storageClass: "STANDARD_IA" },
    { days: 90, storageClass: "GLACIER_IR" },
    { days: 180, storageClass: "DEEP_ARCHIVE" },
  ],
  expirationDays: 730,
  noncurrentTransitions: [{ days: 30, storageClass: "STANDARD_IA" }],
  noncurrentExpirationDays: 60,
};
const intelligent: BucketLifecycle = {
  transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
  noncurrentTransitions: [],
  noncurrentExpirationDays: 90,
  intelligentTieringArchive: { archiveAccessDays: 120, deepArchiveAccessDays: 365 },
};
const shortLived: BucketLifecycle = {
  transitions: [],
  expirationDays: 90,
  noncurrentTransitions: [],
  noncurrentExpirationDays: 30,
};

const baseArgs: DataLakeArgs = {
  prefix: "loglake",
  kmsKeyArn: lakeKeyArn,
  lifecycles: { raw: tiered, lake: intelligent, manifests: shortLived, quarantine: shortLived, accessLogs: shortLived },
};
const replicating = (replicationTimeControl: boolean): DataLakeArgs => ({
  ...baseArgs,
  replication: {
    destination: { rawBucketArn: drRaw, lakeBucketArn: drLake, kmsKeyArn: drKeyArn },
    replicationTimeControl,
  },
});

const logicalName = (key: LakeBucket) => `lake-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const bucketName = (key: LakeBucket) =>
  `loglake-${logicalName(key).slice("lake-".length)}-${MOCK_ACCOUNT_ID}-${region}`;
const bucketArn = (key: LakeBucket) => `arn:aws:s3:::${bucketName(key)}`;
const kmsBuckets = lakeBuckets.filter((key) => key !== "accessLogs");

const T = {
  bucket: "aws:s3/bucket:Bucket",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  tiering: "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

/** A request as S3 authorizes it against a bucket policy. */
interface S3Request {
  action: string;
  resource: string;
  secureTransport?: boolean;
  headers?: Record<string, string>;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.?+^$()[\]{}|\\]/g, "\\$&"))
      .join(".*")}$`,
  );
const list = <V>(v: V | V[]) => (Array.isArray(v) ? v : [v]);

/** A nested input block as registered (a lifecycle rule, a replication destination). */
type Block = Record<string, unknown>;
type ReplicationRule = Block & { destination: Block & { bucket: string } };

/**
 * The Sids of the policy's Deny statements that match the request, evaluating the condition
 * operators the lake's guards use (Bool, Null, StringNotEquals) the way IAM does.
 */
function denials(policy: PolicyDocument, request: S3Request): (string | undefined)[] {
  const context: Record<string, string | undefined> = {
    "aws:SecureTransport": String(request.secureTransport ?? true),
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([h, v]) => [`s3:${h}`, v])),
  };
  const conditionHolds = (operator: string, key: string, values: string[]) => {
    const actual = context[key];
    switch (operator) {
      case "Bool":
        return actual !== undefined && values.includes(actual);
      case "Null":
        return values.includes(String(actual === undefined));
      case "StringNotEquals":
        return actual === undefined || !values.includes(actual);
      default:
        throw new Error(`the evaluator does not know ${operator}`);
    }
  };
  return policy.Statement.filter(
    (s) =>
      s.Effect === "Deny" &&
      list(s.Action).some((a: string) => glob(a).test(request.action)) &&
      list(s.Resource).some((r: string) => glob(r).test(request.resource)) &&
      Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys as Record<string, string | string[]>).every(([key, values]) =>
          conditionHolds(operator, key, list(values)),
        ),
      ),
  ).map((s) => s.Sid);
}

const statement = (policy: PolicyDocument, sid: string) => {
  const found = policy.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid} in ${JSON.stringify(policy, null, 2)}`);
  return found;
};

describe("DataLake", () => {
  let resources: Registered;
  let lake: DataLake;
  const childOf = (type: string, key: LakeBucket) => resources.get(type, logicalName(key));
  const dependsOnResource = (dependent: RegisteredResource, dependency: RegisteredResource) =>
    assert.ok(
      dependent.options.dependsOn.includes(dependency.urn),
      `${dependent.type} ${dependent.name} does not wait for ${dependency.type} ${dependency.name}`,
    );

  before(async () => {
    ({ resources, result: lake } = await registered(() => new DataLake("lake", baseArgs)));
  });

  it("creates the five buckets, named <prefix>-<bucket>-<account>-<region>", () => {
    assert.deepEqual(
      resources
        .ofType(T.bucket)
        .map((b) => b.inputs.bucket)
        .sort(),
      lakeBuckets.map(bucketName).sort(),
    );
  });

  it("keeps buckets that hold objects on destroy unless forceDestroy is set", async () => {
    for (const key of lakeBuckets) assert.equal(childOf(T.bucket, key).inputs.forceDestroy, false, key);
    const { resources: destroyable } = await registered(
      () => new DataLake("lake", { ...baseArgs, forceDestroy: true }),
    );
    assert.ok(destroyable.ofType(T.bucket).every((b) => b.inputs.forceDestroy === true));
  });

  it("parents every resource under the component", () => {
    const component = resources.get("loglake:storage:DataLake", "lake");
    assert.equal(
      resources.childrenOf(component).length,
      resources.all.length - 2,
      "every resource but the stack and the component itself",
    );
  });

  describe("guards on every bucket", () => {
    it("encrypts every bucket but access-logs with the lake key and S3 Bucket Keys", () => {
      for (const key of kmsBuckets) {
        assert.deepEqual(
          childOf(T.encryption, key).inputs.rules,
          [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: lakeKeyArn },
              bucketKeyEnabled: true,
            },
          ],
          key,
        );
      }
    });

    it("encrypts access-logs with SSE-S3, the only default encryption S3 log delivery supports", () => {
      assert.deepEqual(childOf(T.encryption, "accessLogs").inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
    });

    it("versions every bucket", () => {
      for (const key of lakeBuckets) {
        const versioning = childOf(T.versioning, key);
        assert.equal(versioning.inputs.bucket, bucketName(key));
        assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" }, key);
      }
    });

    it("blocks all four kinds of public access on every bucket", () => {
      for (const key of lakeBuckets) {
        const { bucket, ...blocks } = childOf(T.publicAccess, key).inputs;
        assert.equal(bucket, bucketName(key));
        assert.deepEqual(
          blocks,
          { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
          key,
        );
      }
    });

    it("disables ACLs on every bucket (BucketOwnerEnforced)", () => {
      for (const key of lakeBuckets) {
        assert.deepEqual(childOf(T.ownership, key).inputs.rule, { objectOwnership: "BucketOwnerEnforced" }, key);
      }
    });

    it("denies every request over plain HTTP, on the bucket and its objects", () => {
      for (const key of lakeBuckets) {
        const policy = policyOf(childOf(T.policy, key));
        for (const resource of [bucketArn(key), `${bucketArn(key)}/some/object`]) {
          assert.deepEqual(
            denials(policy, { action: "s3:GetObject", resource, secureTransport: false }),
            ["DenyInsecureTransport"],
            `${key} ${resource}`,
          );
          assert.deepEqual(denials(policy, { action: "s3:GetObject", resource }), [], `${key} allows TLS`);
        }
      }
    });

    it("lets uploads that rely on the default encryption or name the lake key through", () => {
      for (const key of kmsBuckets) {
        const policy = policyOf(childOf(T.policy, key));
        const put = (headers?: Record<string, string>) =>
          denials(policy, { action: "s3:PutObject", resource: `${bucketArn(key)}/a`, headers });
        assert.deepEqual(put(), [], `${key}: plain SDK upload`);
        assert.deepEqual(put({ "x-amz-server-side-encryption": "aws:kms" }), [], `${key}: SSE-KMS without a key id`);
        assert.deepEqual(
          put({ "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": lakeKeyArn }),
          [],
          key,
        );
      }
    });

    it("denies uploads that ask for another encryption or another KMS key", () => {
      for (const key of kmsBuckets) {
        const policy = policyOf(childOf(T.policy, key));
        const put = (headers: Record<string, string>) =>
          denials(policy, { action: "s3:PutObject", resource: `${bucketArn(key)}/a`, headers });
        assert.deepEqual(put({ "x-amz-server-side-encryption": "AES256" }), ["DenyOtherEncryption"], key);
        assert.deepEqual(put({ "x-amz-server-side-encryption": "aws:kms:dsse" }), ["DenyOtherEncryption"], key);
        assert.deepEqual(
          put({ "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": drKeyArn }),
          ["DenyOtherKmsKey"],
          key,
        );
      }
    });

    it("leaves S3 replication writes (s3:ReplicateObject) alone, so a lake can be a replica", () => {
      for (const key of lakeBuckets) {
        const policy = policyOf(childOf(T.policy, key));
        const headers = {
          "x-amz-server-side-encryption": "aws:kms",
          "x-amz-server-side-encryption-aws-kms-key-id": drKeyArn,
        };
        assert.deepEqual(
          denials(policy, { action: "s3:ReplicateObject", resource: `${bucketArn(key)}/a`, headers }),
          [],
          key,
        );
      }
    });

    it("denies uploads to access-logs that ask for anything but SSE-S3", () => {
      const policy = policyOf(childOf(T.policy, "accessLogs"));
      const put = (headers?: Record<string, string>) =>
        denials(policy, { action: "s3:PutObject", resource: `${bucketArn("accessLogs")}/a`, headers });
      assert.deepEqual(put(), []);
      assert.deepEqual(put({ "x-amz-server-side-encryption": "AES256" }), []);
      assert.deepEqual(
        put({ "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": lakeKeyArn }),
        ["DenyOtherEncryption"],
      );
    });

    it("puts each bucket policy after its public-access block", () => {
      for (const key of lakeBuckets) dependsOnResource(childOf(T.policy, key), childOf(T.publicAccess, key));
    });
  });

  describe("server access logging", () => {
    it("logs every other bucket into access-logs under its own prefix, partitioned by day", () => {
      assert.deepEqual(
        resources
          .ofType(T.logging)
          .map((l) => l.name)
          .sort(),
        kmsBuckets.map(logicalName).sort(),
        "access-logs does not log into itself",
      );
      for (const key of kmsBuckets) {
        const logging = childOf(T.logging, key);
        assert.equal(logging.inputs.bucket, bucketName(key));
        assert.equal(logging.inputs.targetBucket, bucketName("accessLogs"));
        assert.equal(logging.inputs.targetPrefix, `${logicalName(key).slice("lake-".length)}/`);
        assert.deepEqual(logging.inputs.targetObjectKeyFormat, {
          partitionedPrefix: { partitionDateSource: "EventTime" },
        });
        dependsOnResource(logging, childOf(T.policy, "accessLogs"));
      }
    });

    it("lets the S3 logging service write into access-logs only for this account's lake buckets", () => {
      const delivery = statement(policyOf(childOf(T.policy, "accessLogs")), "AllowServerAccessLogDelivery");
      assert.deepEqual(delivery.Principal, { Service: "logging.s3.amazonaws.com" });
      assert.equal(delivery.Action, "s3:PutObject");
      assert.equal(delivery.Resource, `${bucketArn("accessLogs")}/*`);
      assert.deepEqual(delivery.Condition, {
        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
        ArnLike: { "aws:SourceArn": kmsBuckets.map(bucketArn) },
      });
      for (const key of kmsBuckets) {
        assert.ok(
          !policyOf(childOf(T.policy, key)).Statement.some((s) => s.Effect === "Allow"),
          `${key} grants nothing`,
        );
      }
    });

    it("admits vended log delivery (e.g. MSK broker logs) only under the prefixes it is given", async () => {
      const withBrokerLogs = await registered(
        () => new DataLake("lake", { ...baseArgs, vendedLogPrefixes: ["msk-broker-logs/"] }),
      );
      const statements = policyOf(withBrokerLogs.resources.get(T.policy, logicalName("accessLogs"))).Statement;
      const write = present(
        statements.find((s) => s.Sid === "AWSLogDeliveryWriteMskBrokerLogs"),
        "broker log write statement",
      );
      assert.equal(write.Resource, `${bucketArn("accessLogs")}/msk-broker-logs/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
      assert.ok(statements.some((s) => s.Sid === "AWSLogDeliveryAclCheckMskBrokerLogs"));
      assert.ok(
        !policyOf(childOf(T.policy, "accessLogs")).Statement.some(
          (s) => s.Principal?.Service === "delivery.logs.amazonaws.com",
        ),
        "without prefixes nothing is admitted",
      );
    });
  });

  describe("lifecycle", () => {
    const rule = (key: LakeBucket) => {
      const rules = childOf(T.lifecycle, key).inputs.rules as Block[];
      assert.equal(rules.length, 1, key);
      return rules[0];
    };

    it("aborts incomplete multipart uploads after 7 days on every bucket, whole bucket, enabled", () => {
      for (const key of lakeBuckets) {
        assert.deepEqual(rule(key).abortIncompleteMultipartUpload, { daysAfterInitiation: 7 }, key);
        assert.deepEqual(rule(key).filter, {}, key);
        assert.equal(rule(key).status, "Enabled", key);
      }
    });

    it("renders transitions, expiration, noncurrent transitions and noncurrent expiry from the args", () => {
      const raw = rule("raw");
      assert.deepEqual(raw.transitions, tiered.transitions);
      assert.deepEqual(raw.expiration, { days: 730 });
      assert.deepEqual(raw.noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }]);
      assert.deepEqual(raw.noncurrentVersionExpiration, { noncurrentDays: 60 });
      const manifests = rule("manifests");
      assert.equal(manifests.transitions, undefined, "no transitions rendered when there are none");
      assert.deepEqual(manifests.expiration, { days: 90 });
      assert.deepEqual(manifests.noncurrentVersionExpiration, { noncurrentDays: 30 });
    });

    it("cleans up orphaned delete markers on a bucket whose current versions never expire", () => {
      assert.deepEqual(rule("lake").expiration, { expiredObjectDeleteMarker: true });
      assert.deepEqual(rule("lake").transitions, [{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
    });

    it("configures Intelligent-Tiering archive tiers only where the lifecycle asks for them", () => {
      assert.deepEqual(
        resources.ofType(T.tiering).map((t) => t.name),
        [logicalName("lake")],
      );
      const tiering = childOf(T.tiering, "lake");
      assert.equal(tiering.inputs.bucket, bucketName("lake"));
      assert.equal(tiering.inputs.status, "Enabled");
      assert.deepEqual(tiering.inputs.tierings, [
        { accessTier: "ARCHIVE_ACCESS", days: 120 },
        { accessTier: "DEEP_ARCHIVE_ACCESS", days: 365 },
      ]);
    });

    it("renders only the archive tiers that are set", async () => {
      const lifecycles = {
        ...baseArgs.lifecycles,
        lake: { ...intelligent, intelligentTieringArchive: { deepArchiveAccessDays: 200 } },
      };
      const { resources: only } = await registered(() => new DataLake("lake", { ...baseArgs, lifecycles }));
      assert.deepEqual(only.get(T.tiering, logicalName("lake")).inputs.tierings, [
        { accessTier: "DEEP_ARCHIVE_ACCESS", days: 200 },
      ]);
    });

    it("applies lifecycles and archive tiers only after versioning is on", () => {
      for (const key of lakeBuckets) dependsOnResource(childOf(T.lifecycle, key), childOf(T.versioning, key));
      dependsOnResource(childOf(T.tiering, "lake"), childOf(T.versioning, "lake"));
    });

    it("refuses a lifecycle S3 would refuse before registering anything, naming the bucket and the rule", () => {
      const lifecycles = {
        ...baseArgs.lifecycles,
        quarantine: {
          ...shortLived,
          transitions: [
            { days: 0, storageClass: "INTELLIGENT_TIERING" as const },
            { days: 40, storageClass: "STANDARD_IA" as const },
          ],
        },
      };
      assert.throws(
        () => new DataLake("refused", { ...baseArgs, lifecycles }),
        /lifecycles\.quarantine\.transitions\[1\]: S3 refuses transitions from INTELLIGENT_TIERING to STANDARD_IA/,
      );
    });

    it("refuses a prefix that cannot start a bucket name", () => {
      assert.throws(
        () => new DataLake("refused", { ...baseArgs, prefix: "LogLake_" }),
        /DataLake refused: invalid args:\n {2}prefix: 3 to 20 characters/,
      );
    });

    for (const prefix of ["xn--lake", "sthree-lake", "amzn-s3-demo-lake"]) {
      it(`refuses the prefix "${prefix}", a start S3 reserves in bucket names`, () => {
        assert.throws(
          () => new DataLake("refused", { ...baseArgs, prefix }),
          new RegExp(`prefix: S3 refuses bucket names starting with "${prefix.replace("lake", "")}"`),
        );
      });
    }
  });

  describe("without replication", () => {
    it("creates no replication role, policy or rules", () => {
      assert.deepEqual(resources.ofType(T.replication), []);
      assert.deepEqual(resources.ofType(T.role), []);
      assert.deepEqual(resources.ofType(T.rolePolicy), []);
      assert.equal(lake.replicationRoleArn, undefined);
    });

    it("exposes bucket names and ARNs, and its raw and lake buckets and key as replica targets", async () => {
      const buckets = await valueOf(lake.buckets);
      for (const key of lakeBuckets) {
        assert.deepEqual(await valueOf(buckets[key].name), bucketName(key));
        assert.deepEqual(await valueOf(buckets[key].arn), bucketArn(key));
      }
      assert.deepEqual(await valueOf(lake.replicaTargets), {
        rawBucketArn: bucketArn("raw"),
        lakeBucketArn: bucketArn("lake"),
        kmsKeyArn: lakeKeyArn,
      });
    });
  });

  describe("with replication to the DR region", () => {
    let replicated: Registered;
    let replicatingLake: DataLake;
    const rules = (key: "raw" | "lake") =>
      replicated.get(T.replication, logicalName(key)).inputs.rules as ReplicationRule[];
    const rolePolicy = () => policyOf(replicated.get(T.rolePolicy, "lake-replication"));

    before(async () => {
      ({ resources: replicated, result: replicatingLake } = await registered(
        () => new DataLake("lake", replicating(true)),
      ));
    });

    it("replicates raw and lake, and nothing else, into the DR buckets", () => {
      assert.deepEqual(
        replicated
          .ofType(T.replication)
          .map((r) => [r.inputs.bucket, (r.inputs.rules as ReplicationRule[])[0].destination.bucket])
          .sort(),
        [
          [bucketName("lake"), drLake],
          [bucketName("raw"), drRaw],
        ],
      );
    });

    it("replicates KMS-encrypted objects and delete markers with one V2 rule over the whole bucket", () => {
      for (const key of ["raw", "lake"] as const) {
        const [rule, ...others] = rules(key);
        assert.deepEqual(others, [], key);
        assert.equal(rule.status, "Enabled");
        assert.deepEqual(rule.filter, {}, "a filter makes it a V2 rule, which delete-marker replication needs");
        assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
      }
    });

    it("encrypts replicas with the DR region's key", () => {
      for (const key of ["raw", "lake"] as const) {
        assert.deepEqual(rules(key)[0].destination.encryptionConfiguration, { replicaKmsKeyId: drKeyArn }, key);
      }
    });

    it("turns on Replication Time Control with 15-minute metrics when asked", () => {
      for (const key of ["raw", "lake"] as const) {
        const { replicationTime, metrics } = rules(key)[0].destination;
        assert.deepEqual(replicationTime, { status: "Enabled", time: { minutes: 15 } }, key);
        assert.deepEqual(metrics, { status: "Enabled", eventThreshold: { minutes: 15 } }, key);
      }
    });

    it("leaves Replication Time Control and its metrics off when not asked", async () => {
      const { resources: withoutRtc } = await registered(() => new DataLake("lake", replicating(false)));
      for (const config of withoutRtc.ofType(T.replication)) {
        const { replicationTime, metrics } = (config.inputs.rules as ReplicationRule[])[0].destination;
        assert.equal(replicationTime, undefined, config.name);
        assert.equal(metrics, undefined, config.name);
      }
    });

    it("replicates only once versioning is on and the role may act", () => {
      for (const key of ["raw", "lake"] as const) {
        const config = replicated.get(T.replication, logicalName(key));
        dependsOnResource(config, replicated.get(T.versioning, logicalName(key)));
        dependsOnResource(config, replicated.get(T.rolePolicy, "lake-replication"));
      }
    });

    it("uses a role that only S3, acting for this account, can assume", async () => {
      const role = replicated.get(T.role, "lake-replication");
      assert.deepEqual(policyOf(role, "assumeRolePolicy").Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      for (const key of ["raw", "lake"] as const) {
        assert.equal(
          replicated.get(T.replication, logicalName(key)).inputs.role,
          await valueOf(replicatingLake.replicationRoleArn!),
        );
      }
    });

    it("scopes the role's S3 permissions to exactly the source and destination buckets", () => {
      const s3 = rolePolicy().Statement.filter((s) => list(s.Action).some((a: string) => a.startsWith("s3:")));
      assert.deepEqual(
        s3.map((s) => ({ Effect: s.Effect, Action: s.Action, Resource: s.Resource, Condition: s.Condition })),
        [
          {
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            Resource: [bucketArn("raw"), bucketArn("lake")],
            Condition: undefined,
          },
          {
            Effect: "Allow",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: [`${bucketArn("raw")}/*`, `${bucketArn("lake")}/*`],
            Condition: undefined,
          },
          {
            Effect: "Allow",
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            Resource: [`${drRaw}/*`, `${drLake}/*`],
            Condition: undefined,
          },
        ],
      );
    });

    it("lets the role decrypt with the lake key only through S3 in this region, for the source buckets", () => {
      const decrypt = statement(rolePolicy(), "DecryptSourceObjects");
      assert.deepEqual([decrypt.Effect, decrypt.Action, decrypt.Resource], ["Allow", "kms:Decrypt", lakeKeyArn]);
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": [
            bucketArn("raw"),
            bucketArn("lake"),
            `${bucketArn("raw")}/*`,
            `${bucketArn("lake")}/*`,
          ],
        },
      });
    });

    it("lets the role encrypt with the DR key only through S3 in the DR region, for the replica buckets", () => {
      const encrypt = statement(rolePolicy(), "EncryptReplicas");
      assert.deepEqual(
        [encrypt.Effect, encrypt.Action, encrypt.Resource],
        ["Allow", ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], drKeyArn],
      );
      assert.deepEqual(encrypt.Condition, {
        StringEquals: { "kms:ViaService": `s3.${drRegion}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [drRaw, drLake, `${drRaw}/*`, `${drLake}/*`] },
      });
    });

    it("grants the role nothing beyond those five statements", () => {
      const policy = rolePolicy();
      assert.equal(policy.Statement.length, 5);
      assert.ok(
        policy.Statement.every((s) => s.Effect === "Allow" && !list(s.Resource).includes("*")),
        JSON.stringify(policy),
      );
    });

    it("replicates into a DR lake through that lake's replicaTargets, encrypted with its DR-region key", async () => {
      const { resources: pair } = await registered(() => {
        const drProvider = new aws.Provider("dr-region", { region: drRegion });
        const dr = new DataLake("dr", { ...baseArgs, kmsKeyArn: drKeyArn }, { providers: { aws: drProvider } });
        return new DataLake("primary", {
          ...baseArgs,
          replication: { destination: dr.replicaTargets, replicationTimeControl: false },
        });
      });
      const destination = (pair.get(T.replication, "primary-raw").inputs.rules as ReplicationRule[])[0].destination;
      assert.equal(destination.bucket, `arn:aws:s3:::loglake-raw-${MOCK_ACCOUNT_ID}-${drRegion}`);
      assert.deepEqual(destination.encryptionConfiguration, { replicaKmsKeyId: drKeyArn });
      assert.deepEqual(
        pair.get(T.versioning, "dr-raw").inputs.versioningConfiguration,
        { status: "Enabled" },
        "the replica bucket is versioned",
      );
      assert.deepEqual(
        pair
          .ofType(T.replication)
          .map((r) => r.name)
          .sort(),
        ["primary-lake", "primary-raw"],
        "the DR lake replicates nothing",
      );
    });

    it("takes replica targets given as one Output, as a StackReference gives them", async () => {
      const { resources: fromOutput } = await registered(() => {
        const destination = pulumi.output({ rawBucketArn: drRaw, lakeBucketArn: drLake, kmsKeyArn: drKeyArn });
        return new DataLake("lake", { ...baseArgs, replication: { destination, replicationTimeControl: false } });
      });
      assert.equal(
        (fromOutput.get(T.replication, logicalName("lake")).inputs.rules as ReplicationRule[])[0].destination.bucket,
        drLake,
      );
    });
  });
});
