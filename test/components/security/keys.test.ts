import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KeyDomain, keyDomains, Keys, KeysArgs } from "../../../components/security/keys";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, PolicyStatement, Registered, registered } from "../../support/offline";

const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";
const root = `arn:aws:iam::${MOCK_ACCOUNT_ID}:root`;
const kebab: Record<KeyDomain, string> = {
  lake: "lake",
  streaming: "streaming",
  metastore: "metastore",
  clusterSecrets: "cluster-secrets",
  nodeVolumes: "node-volumes",
  logs: "logs",
  pipeline: "pipeline",
  images: "images",
};

const keysOf = (resources: Registered) => keyDomains.map((domain) => resources.get(KEY, `acme-${kebab[domain]}`));
const statements = (resources: Registered, domain: KeyDomain): PolicyStatement[] =>
  policyOf(resources.get(KEY, `acme-${kebab[domain]}`)).Statement;
const statementFor = (resources: Registered, service: string) => {
  const found = statements(resources, "logs").find((s) => [s.Principal?.Service].flat().includes(service));
  assert.ok(found, `the logs key policy grants nothing to ${service}`);
  return found;
};

describe("Keys", () => {
  let resources: Registered;
  let keys: Keys;
  before(async () => {
    ({ resources, result: keys } = await registered(() => new Keys("acme", { prefix: "acme" })));
  });

  it("creates one customer-managed key per data domain, rotated yearly, recoverable for 30 days", () => {
    assert.equal(resources.ofType(KEY).length, keyDomains.length);
    for (const key of keysOf(resources)) {
      assert.equal(key.inputs.enableKeyRotation, true, `${key.name} does not rotate`);
      assert.equal(key.inputs.deletionWindowInDays, 30, `${key.name} deletion window`);
    }
  });

  it("names every key alias/<prefix>-<domain> in kebab-case and points the alias at its key", async () => {
    const arns = await valueOf(pulumi.output(keys.keyArns));
    for (const domain of keyDomains) {
      const alias = resources.get(ALIAS, `acme-${kebab[domain]}`);
      assert.equal(alias.inputs.name, `alias/acme-${kebab[domain]}`);
      assert.ok(
        arns[domain].endsWith(`:key/${alias.inputs.targetKeyId}`),
        `alias/acme-${kebab[domain]} targets ${alias.inputs.targetKeyId}, not ${arns[domain]}`,
      );
    }
    assert.deepEqual(await valueOf(pulumi.output(keys.aliasNames)), {
      lake: "alias/acme-lake",
      pipeline: "alias/acme-pipeline",
      streaming: "alias/acme-streaming",
      metastore: "alias/acme-metastore",
      nodeVolumes: "alias/acme-node-volumes",
      clusterSecrets: "alias/acme-cluster-secrets",
      logs: "alias/acme-logs",
      images: "alias/acme-images",
    });
  });

  it("exposes each domain's key ARN", async () => {
    const arns = await valueOf(pulumi.output(keys.keyArns));
    assert.deepEqual(Object.keys(arns).sort(), [...keyDomains].sort());
    for (const arn of Object.values(arns))
      assert.match(arn, new RegExp(`^arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/`));
    assert.equal(await valueOf(keys.logsKeyArn), arns.logs);
    assert.equal(await valueOf(keys.lakeKeyArn), arns.lake);
  });

  it("keeps the account root as administrator of every key, so no key can be locked out", () => {
    for (const domain of keyDomains) {
      const admin = statements(resources, domain).find((s) => s.Principal?.AWS === root);
      assert.deepEqual(
        admin && [admin.Effect, admin.Action, admin.Resource],
        ["Allow", "kms:*", "*"],
        `${domain} key policy: ${JSON.stringify(statements(resources, domain))}`,
      );
    }
  });

  it("names no wildcard principal and grants AWS services only the logs and pipeline keys", () => {
    for (const domain of keyDomains) {
      for (const statement of statements(resources, domain)) {
        const principals = [statement.Principal, statement.Principal?.AWS, statement.Principal?.Service].flat();
        assert.ok(
          !principals.includes("*"),
          `${domain} key policy has a wildcard principal: ${JSON.stringify(statement)}`,
        );
      }
      if (domain !== "logs" && domain !== "pipeline")
        assert.equal(statements(resources, domain).length, 1, `${domain} key policy grants more than the account root`);
    }
  });

  it("lets S3 use the pipeline key only for this account's queues in the region, for its notifications", () => {
    const services = statements(resources, "pipeline").filter((s) => s.Principal?.Service);
    assert.deepEqual(services, [
      {
        Sid: "S3NotifiesThisAccountsEncryptedQueues",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
          ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:aws:sqs:eu-west-1:${MOCK_ACCOUNT_ID}:*` },
        },
      },
    ]);
  });

  it("lets CloudWatch Logs use the logs key only for this account's log groups in the region", () => {
    const logs = statementFor(resources, "logs.eu-west-1.amazonaws.com");
    assert.deepEqual(logs.Action, [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]);
    assert.deepEqual(logs.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:*` },
    });
  });

  it("lets log delivery (flow logs to S3) use the logs key only for this account's deliveries", () => {
    const delivery = statementFor(resources, "delivery.logs.amazonaws.com");
    assert.deepEqual(delivery.Action, [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]);
    assert.deepEqual(delivery.Condition, {
      StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
      ArnLike: { "aws:SourceArn": `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:*` },
    });
  });

  it("lets CloudWatch alarms publish to topics encrypted with the logs key, for this account only", () => {
    const alarms = statementFor(resources, "cloudwatch.amazonaws.com");
    assert.equal(alarms.Principal?.Service, "cloudwatch.amazonaws.com");
    assert.deepEqual(alarms.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    assert.deepEqual(alarms.Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
  });

  it("lets EventBridge rules publish to this account's encrypted topics without aws:Source* conditions, which its KMS requests do not carry", () => {
    const events = statementFor(resources, "events.amazonaws.com");
    assert.equal(events.Principal?.Service, "events.amazonaws.com");
    assert.deepEqual(events.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    assert.deepEqual(events.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:*` },
    });
    assert.equal(
      statements(resources, "logs").length,
      6,
      "root, CloudWatch Logs, log delivery, CloudWatch alarms, Budgets, EventBridge",
    );
  });

  it("lets Budgets use the logs key only for this account's topics in the region, for its notifications", () => {
    const budgets = statementFor(resources, "budgets.amazonaws.com");
    assert.deepEqual(budgets.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    assert.deepEqual(budgets.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:*` },
    });
  });

  it("writes the region of the provider it is given into the logs key policy (a DR-region stack)", async () => {
    const { resources: dr } = await registered(() => {
      const provider = new aws.Provider("dr", { region: "eu-central-1" });
      return new Keys("acme", { prefix: "acme", deletionWindowDays: 7 }, { providers: { aws: provider } });
    });
    statementFor(dr, "logs.eu-central-1.amazonaws.com");
    assert.equal(dr.get(KEY, "acme-lake").inputs.deletionWindowInDays, 7);
  });

  for (const deletionWindowDays of [6, 31, 7.5]) {
    it(`refuses a deletion window of ${deletionWindowDays} days`, async () => {
      await assert.rejects(
        registered(() => new Keys("acme", { prefix: "acme", deletionWindowDays })),
        new RegExp(`deletionWindowDays = ${deletionWindowDays}: KMS allows a whole number of days from 7 to 30`),
      );
    });
  }

  for (const prefix of ["", "acme/logs", "-acme"]) {
    it(`refuses the alias prefix "${prefix}"`, async () => {
      const args: KeysArgs = { prefix };
      await assert.rejects(
        registered(() => new Keys("acme", args)),
        /cannot name a KMS alias/,
      );
    });
  }
});
