import * as assert from "node:assert/strict";
import {
  autoscalerOwnerTag,
  clusterAutoscalerPolicy,
  describeOnlyOnAnyResource,
  lakeWriterPolicy,
  nodeTrustPolicy,
  PolicyDocument,
  serviceAccountTrustPolicy,
  sparkPolicy,
} from "../../../components/compute/policies";
import { testAccount } from "../../support/account";

const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";

const bySid = (doc: PolicyDocument, sid: string) => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}: ${JSON.stringify(doc)}`);
  return found;
};
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => [s.Action].flat() as string[]);
const govCloud = { ...testAccount, partition: "aws-us-gov", region: "us-gov-west-1", accountId: "210987654321" };

describe("compute IAM documents", () => {
  describe("serviceAccountTrustPolicy", () => {
    it("lets only the one service account's STS tokens from the cluster's OIDC provider assume the role", () => {
      assert.deepEqual(serviceAccountTrustPolicy(OIDC_ARN, ISSUER, { namespace: "loglake", name: "lake-writer" }), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ServiceAccountViaClusterOidc",
            Effect: "Allow",
            Principal: { Federated: OIDC_ARN },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${ISSUER}:sub`]: "system:serviceaccount:loglake:lake-writer",
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      });
    });

    it("pins sub with StringEquals, so no wildcard lets another service account in", () => {
      const doc = serviceAccountTrustPolicy(OIDC_ARN, ISSUER, { namespace: "jobs", name: "spark" });
      assert.ok(!JSON.stringify(doc).includes("StringLike"));
      assert.ok(!JSON.stringify(doc).includes("*"));
    });
  });

  it("nodeTrustPolicy lets only EC2 assume the node role", () => {
    assert.deepEqual(nodeTrustPolicy.Statement, [
      { Sid: "Ec2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  describe("lakeWriterPolicy", () => {
    const doc = lakeWriterPolicy(
      { rawBucketArn: "arn:aws:s3:::acme-raw", rawPrefix: "raw/", lakeKeyArn: KEY },
      testAccount,
    );

    it("writes and reads back below the raw prefix only, and never deletes", () => {
      assert.deepEqual(bySid(doc, "WriteRawPrefix"), {
        Sid: "WriteRawPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: "arn:aws:s3:::acme-raw/raw/*",
      });
      assert.deepEqual(
        actions(doc).filter((a) => /Delete/.test(a)),
        [],
      );
    });

    it("may check the raw bucket at startup (HeadBucket is authorised as s3:ListBucket) and list nothing else", () => {
      assert.deepEqual(bySid(doc, "CheckRawBucket"), {
        Sid: "CheckRawBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: "arn:aws:s3:::acme-raw",
      });
      assert.deepEqual(
        actions(doc).filter((a) => /List/.test(a)),
        ["s3:ListBucket"],
      );
    });

    it("uses the lake key only through S3 in the account's region and partition", () => {
      assert.deepEqual(bySid(doc, "LakeKeyThroughS3").Condition, {
        StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
      });
      const cn = lakeWriterPolicy(
        { rawBucketArn: "arn:aws-cn:s3:::acme-raw", rawPrefix: "raw/", lakeKeyArn: KEY },
        { ...testAccount, partition: "aws-cn", region: "cn-north-1", dnsSuffix: "amazonaws.com.cn" },
      );
      assert.deepEqual(bySid(cn, "LakeKeyThroughS3").Condition, {
        StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" },
      });
    });
  });

  describe("sparkPolicy", () => {
    const doc = sparkPolicy(
      {
        rawBucketArn: "arn:aws:s3:::acme-raw",
        lakeBucketArn: "arn:aws:s3:::acme-lake",
        lakePrefixes: ["warehouse/", "checkpoints/"],
        lakeKeyArn: KEY,
      },
      testAccount,
    );

    it("reads raw and lists it, without writing to it", () => {
      assert.deepEqual(bySid(doc, "ReadRaw").Resource, "arn:aws:s3:::acme-raw/*");
      assert.deepEqual(bySid(doc, "ListRaw").Resource, "arn:aws:s3:::acme-raw");
      const writesRaw = doc.Statement.filter(
        (s) =>
          [s.Action].flat().some((a) => /Put|Delete/.test(String(a))) &&
          [s.Resource].flat().some((r) => String(r).startsWith("arn:aws:s3:::acme-raw")),
      );
      assert.deepEqual(writesRaw, []);
    });

    it("reads, writes and deletes objects below each lake prefix only", () => {
      const rw = bySid(doc, "ReadWriteLakePrefixes");
      assert.deepEqual(rw.Resource, ["arn:aws:s3:::acme-lake/warehouse/*", "arn:aws:s3:::acme-lake/checkpoints/*"]);
      assert.ok((rw.Action as string[]).includes("s3:DeleteObject"), "commits and overwrites delete");
      assert.ok((rw.Action as string[]).includes("s3:AbortMultipartUpload"));
    });

    it("lists the lake prefixes both as 'p/*' and as the bare 'p' S3A probes", () => {
      assert.deepEqual(bySid(doc, "ListLakePrefixes").Condition, {
        StringLike: { "s3:prefix": ["warehouse/*", "warehouse", "checkpoints/*", "checkpoints"] },
      });
    });

    it("names no wildcard action and no Resource '*'", () => {
      assert.ok(
        actions(doc).every((a) => !a.includes("*")),
        JSON.stringify(actions(doc)),
      );
      assert.ok(doc.Statement.every((s) => s.Resource !== "*"));
      assert.deepEqual(bySid(doc, "LakeKeyThroughS3").Resource, KEY);
    });
  });

  describe("clusterAutoscalerPolicy", () => {
    it("scales only groups tagged as this cluster's, in the account's partition and region", () => {
      const doc = clusterAutoscalerPolicy("acme-prod", govCloud);
      assert.deepEqual(bySid(doc, "ScaleOnlyThisClustersGroups"), {
        Sid: "ScaleOnlyThisClustersGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "arn:aws-us-gov:autoscaling:us-gov-west-1:210987654321:autoScalingGroup:*:autoScalingGroupName/*",
        Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/acme-prod": "owned" } },
      });
      assert.equal(
        bySid(doc, "ReadThisClustersNodeGroups").Resource,
        "arn:aws-us-gov:eks:us-gov-west-1:210987654321:nodegroup/acme-prod/*/*",
      );
    });

    it("grants on '*' only the read-only actions IAM has no resource-level permissions for", () => {
      const doc = clusterAutoscalerPolicy("acme-prod", testAccount);
      const onAny = doc.Statement.filter((s) => s.Resource === "*");
      assert.deepEqual(
        onAny.map((s) => s.Sid),
        ["DiscoverGroupsAndInstanceTypes"],
      );
      assert.deepEqual(onAny[0].Action, describeOnlyOnAnyResource);
      for (const action of describeOnlyOnAnyResource) assert.match(action, /^[a-z0-9]+:(Describe|Get)/);
    });
  });

  it("autoscalerOwnerTag is the tag key the autoscaler's auto-discovery reads", () => {
    assert.equal(autoscalerOwnerTag("acme-prod"), "k8s.io/cluster-autoscaler/acme-prod");
  });
});
