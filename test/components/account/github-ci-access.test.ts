import * as assert from "node:assert/strict";
import { deployPolicyGroups } from "../../../components/account/ci-permissions";
import { GitHubCiAccess, GitHubCiAccessArgs } from "../../../components/account/github-ci-access";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, Registered, registered } from "../../support/offline";

const ROLE = "aws:iam/role:Role";
const args: GitHubCiAccessArgs = {
  repository: "acme/lake",
  prefix: "acme",
  kafkaClusterNames: ["acme-kafka"],
  stateBucketArn: "arn:aws:s3:::acme-pulumi-state",
  stateKeyArn: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/state`,
  secretsKeyArn: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/secrets`,
};
const run = (more: Partial<GitHubCiAccessArgs> = {}) =>
  registered(() => new GitHubCiAccess("acme", { ...args, ...more }));
const trustOf = (resources: Registered, name: string) =>
  policyOf(resources.get(ROLE, name), "assumeRolePolicy").Statement;

describe("GitHubCiAccess", () => {
  let resources: Registered;
  before(async () => {
    ({ resources } = await run());
  });

  it("creates GitHub's OIDC provider with STS as the only audience", () => {
    const provider = resources.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "acme-github");
    assert.equal(provider.inputs.url, "https://token.actions.githubusercontent.com");
    assert.deepEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
  });

  it("lets pull requests and main's runs of the repository, and nothing else, assume the preview role", () => {
    const [trust] = trustOf(resources, "acme-preview");
    assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
    assert.equal(
      trust.Principal?.Federated,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
    );
    assert.deepEqual(trust.Condition, {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": [
          "repo:acme/lake:pull_request",
          "repo:acme/lake:ref:refs/heads/main",
        ],
      },
    });
  });

  it("lets only the protected environment's jobs assume the deploy role, for up to 3 hours", () => {
    const deploy = resources.get(ROLE, "acme-deploy");
    assert.equal(deploy.inputs.name, "acme-github-deploy");
    assert.equal(deploy.inputs.maxSessionDuration, 10800);
    const [trust] = trustOf(resources, "acme-deploy");
    assert.deepEqual(trust.Condition?.StringEquals["token.actions.githubusercontent.com:sub"], [
      "repo:acme/lake:environment:production",
    ]);
  });

  it("attaches one managed policy per group to the deploy role, and denies it changing its own", () => {
    const attached = resources
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .map((a) => a.name)
      .sort();
    assert.deepEqual(attached, deployPolicyGroups.map((g) => `acme-deploy-${g}`).sort());
    const identity = policyOf(resources.get("aws:iam/policy:Policy", "acme-deploy-identity"));
    const deny = identity.Statement.find((s) => s.Effect === "Deny")!;
    for (const arn of [
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/acme-github-deploy`,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/acme-github-preview`,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/acme-github-deploy-identity`,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
      "arn:aws:s3:::acme-pulumi-state",
    ]) {
      assert.ok([deny.Resource].flat().includes(arn), arn);
    }
  });

  it("trusts the account's existing OIDC provider when told not to create one, and another environment", async () => {
    const { resources: other } = await run({ createOidcProvider: false, deployEnvironment: "prod-aws" });
    assert.deepEqual(other.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
    const [trust] = trustOf(other, "acme-deploy");
    assert.equal(
      trust.Principal?.Federated,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
    );
    assert.deepEqual(trust.Condition?.StringEquals["token.actions.githubusercontent.com:sub"], [
      "repo:acme/lake:environment:prod-aws",
    ]);
  });

  it("refuses wildcards in the repository, environment or branch, and clusters outside the prefix", () => {
    assert.throws(() => new GitHubCiAccess("x", { ...args, repository: "acme/*" }), /repository: acme\/\*/);
    assert.throws(() => new GitHubCiAccess("x", { ...args, deployEnvironment: "*" }), /deployEnvironment: \*/);
    assert.throws(() => new GitHubCiAccess("x", { ...args, previewBranch: "feature/*" }), /previewBranch/);
    assert.throws(
      () => new GitHubCiAccess("x", { ...args, kafkaClusterNames: ["other-kafka"] }),
      /kafkaClusterNames\[0\]/,
    );
    assert.throws(() => new GitHubCiAccess("x", { ...args, deploySessionSeconds: 60 }), /deploySessionSeconds: 60/);
  });
});
