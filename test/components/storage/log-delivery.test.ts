import * as assert from "node:assert/strict";
import { PolicyStatement, present } from "../../support/offline";
import { vendedLogDeliveryStatements } from "../../../components/storage/log-delivery";

describe("vended log delivery statements", () => {
  const statements = vendedLogDeliveryStatements({
    bucketArn: "arn:aws:s3:::loglake-access-logs",
    prefix: "msk-broker-logs/",
    accountId: "123456789012",
    region: "eu-west-1",
    partition: "aws",
  }) as PolicyStatement[];

  it("let log delivery write only under the broker-log prefix of this account", () => {
    const write = present(
      statements.find((s) => s.Sid === "AWSLogDeliveryWriteMskBrokerLogs"),
      "write statement",
    );
    assert.deepEqual(write.Principal, { Service: "delivery.logs.amazonaws.com" });
    assert.equal(write.Action, "s3:PutObject");
    assert.equal(write.Resource, "arn:aws:s3:::loglake-access-logs/msk-broker-logs/AWSLogs/123456789012/*");
    assert.deepEqual(write.Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control" },
      ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:123456789012:*" },
    });
  });

  it("let log delivery check the bucket ACL, for this account's deliveries only", () => {
    const check = present(
      statements.find((s) => s.Sid === "AWSLogDeliveryAclCheckMskBrokerLogs"),
      "ACL check statement",
    );
    assert.equal(check.Action, "s3:GetBucketAcl");
    assert.equal(check.Resource, "arn:aws:s3:::loglake-access-logs");
    assert.deepEqual(check.Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:123456789012:*" },
    });
    assert.equal(statements.length, 2);
  });
});
