import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountArgs, componentAccount } from "../security/account";
import { namePrefixProblem } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { CiScope, deployPolicies, deployPolicyGroups, previewPolicy } from "./ci-permissions";

/** GitHub Actions' OIDC issuer, and the audience aws-actions/configure-aws-credentials asks for. */
export const githubOidcHost = "token.actions.githubusercontent.com";
export const githubOidcAudience = "sts.amazonaws.com";

export interface GitHubCiAccessArgs extends AccountArgs {
  /** The customer's repository, `owner/repo`: the only one whose workflows may assume the roles. */
  repository: string;
  /**
   * Start of every name the loglake stacks create (`loglake` covers `loglake-dev`, `loglake-dr`):
   * the deploy role manages only those. Also the start of the roles' own names
   * (`<prefix>-github-preview`, `<prefix>-github-deploy`). 3 to 20 of a-z, 0-9 and -.
   */
  prefix: string;
  /** The stacks' MSK cluster names (each stack's `<prefix>-kafka`): their topics are managed by name. */
  kafkaClusterNames: string[];
  /** The state bucket's ARN: both roles read it, the deploy role writes it. */
  stateBucketArn: pulumi.Input<string>;
  /** The state bucket's key. */
  stateKeyArn: pulumi.Input<string>;
  /** The secrets provider's key. */
  secretsKeyArn: pulumi.Input<string>;
  /**
   * The GitHub environment whose jobs may assume the deploy role (`sub` =
   * `repo:<owner>/<repo>:environment:<name>`); protect it with required reviewers and `main` as
   * its only deployment branch. Default: "production" (the one deploy.yml names).
   */
  deployEnvironment?: string;
  /**
   * The branch whose runs may assume the preview role besides pull requests (scheduled drift runs
   * run on the default branch). Default: "main".
   */
  previewBranch?: string;
  /**
   * Create the account's GitHub OIDC provider. IAM holds one provider per issuer URL, so an account
   * that has one already passes false and the roles trust that one. Default: true.
   */
  createOidcProvider?: boolean;
  /** Longest deploy session in seconds (deploy.yml asks for 3 hours); IAM allows 3,600 to 43,200. Default: 10,800. */
  deploySessionSeconds?: number;
}

const repositoryPattern = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

function argsProblems(args: GitHubCiAccessArgs): Problem[] {
  const problems: Problem[] = [];
  if (!repositoryPattern.test(args.repository)) {
    problems.push({ path: ["repository"], message: `${args.repository}: owner/repo (no wildcards)` });
  }
  const prefix = namePrefixProblem(args.prefix);
  if (prefix) problems.push({ path: ["prefix"], message: prefix });
  args.kafkaClusterNames.forEach((cluster, i) => {
    if (!cluster.startsWith(args.prefix) || cluster.includes("*")) {
      problems.push({
        path: ["kafkaClusterNames", i],
        message: `${cluster}: a cluster name starting with ${args.prefix}`,
      });
    }
  });
  for (const key of ["deployEnvironment", "previewBranch"] as const) {
    const value = args[key];
    // A wildcard in a `sub` condition would admit every environment or branch.
    if (value !== undefined && !/^[A-Za-z0-9._/-]+$/.test(value)) {
      problems.push({ path: [key], message: `${value}: letters, digits, . _ / - (no wildcards)` });
    }
  }
  const seconds = args.deploySessionSeconds;
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 3600 && seconds <= 43200)) {
    problems.push({ path: ["deploySessionSeconds"], message: `${seconds}: IAM allows 3600 to 43200` });
  }
  return problems;
}

/**
 * GitHub Actions' way into the account: the OIDC provider and two roles that only the customer's
 * repository can assume, through a token whose audience is STS and whose subject is pinned. The
 * preview role (pull requests, the drift runs) reads; the deploy role (the protected environment's
 * jobs only) manages what loglake creates (ci-permissions.ts).
 */
export class GitHubCiAccess extends pulumi.ComponentResource {
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly deployRoleArn: pulumi.Output<string>;

  constructor(name: string, args: GitHubCiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseProblems("GitHubCiAccess", name, argsProblems(args));
    super("loglake:account:GitHubCiAccess", name, {}, opts);
    const account = componentAccount(args, this);
    const repo = args.repository;

    this.oidcProviderArn =
      (args.createOidcProvider ?? true)
        ? new aws.iam.OpenIdConnectProvider(
            `${name}-github`,
            // IAM verifies GitHub's certificate through its own trust store, so no thumbprint is pinned.
            { url: `https://${githubOidcHost}`, clientIdLists: [githubOidcAudience] },
            { parent: this },
          ).arn
        : account.apply((a) => `arn:${a.partition}:iam::${a.accountId}:oidc-provider/${githubOidcHost}`);

    const trust = (subjects: string[]) =>
      pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: this.oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: { [`${githubOidcHost}:aud`]: githubOidcAudience, [`${githubOidcHost}:sub`]: subjects },
            },
          },
        ],
      });
    const roleNames = { preview: `${args.prefix}-github-preview`, deploy: `${args.prefix}-github-deploy` };
    const policyName = (group: string) => `${args.prefix}-github-deploy-${group}`;
    const preview = new aws.iam.Role(
      `${name}-preview`,
      {
        name: roleNames.preview,
        description: `loglake: read-only previews and drift checks from ${repo}`,
        assumeRolePolicy: trust([
          `repo:${repo}:pull_request`,
          `repo:${repo}:ref:refs/heads/${args.previewBranch ?? "main"}`,
        ]),
        maxSessionDuration: 3600,
      },
      { parent: this },
    );
    const deploy = new aws.iam.Role(
      `${name}-deploy`,
      {
        name: roleNames.deploy,
        description: `loglake: deployments from ${repo}'s protected environment`,
        assumeRolePolicy: trust([`repo:${repo}:environment:${args.deployEnvironment ?? "production"}`]),
        maxSessionDuration: args.deploySessionSeconds ?? 10800,
      },
      { parent: this },
    );

    const scope: pulumi.Output<CiScope> = pulumi
      .all([account, args.stateBucketArn, args.stateKeyArn, args.secretsKeyArn, this.oidcProviderArn])
      .apply(([a, stateBucketArn, stateKeyArn, secretsKeyArn, oidcProviderArn]) => ({
        partition: a.partition,
        accountId: a.accountId,
        prefix: args.prefix,
        kafkaClusterNames: args.kafkaClusterNames,
        stateBucketArn,
        stateKeyArn,
        secretsKeyArn,
        // Their names fall under the prefix the deploy role manages: it must not widen its own access.
        protectedIamArns: [
          ...Object.values(roleNames).map((role) => `arn:${a.partition}:iam::${a.accountId}:role/${role}`),
          ...deployPolicyGroups.map((group) => `arn:${a.partition}:iam::${a.accountId}:policy/${policyName(group)}`),
          oidcProviderArn,
        ],
      }));

    new aws.iam.RolePolicy(
      `${name}-preview`,
      { role: preview.name, policy: scope.apply((s) => JSON.stringify(previewPolicy(s))) },
      { parent: this },
    );
    // Managed policies: the deploy role's permissions outgrow one inline document (10,240 characters per role).
    for (const group of deployPolicyGroups) {
      const policy = new aws.iam.Policy(
        `${name}-deploy-${group}`,
        {
          name: policyName(group),
          description: `loglake deploy role: ${group}`,
          policy: scope.apply((s) => JSON.stringify(deployPolicies(s)[group])),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-deploy-${group}`,
        { role: deploy.name, policyArn: policy.arn },
        { parent: this },
      );
    }

    this.previewRoleArn = preview.arn;
    this.deployRoleArn = deploy.arn;
    this.registerOutputs({
      oidcProviderArn: this.oidcProviderArn,
      previewRoleArn: this.previewRoleArn,
      deployRoleArn: this.deployRoleArn,
    });
  }
}
