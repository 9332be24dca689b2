import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GitHubCiAccess } from "../../components/account/github-ci-access";
import { ServiceLinkedRoles } from "../../components/account/service-linked-roles";
import { StateBackend } from "../../components/account/state-backend";
import { awsAccount } from "../../components/security/account";
import { kafkaClusterName } from "../settings/kafka";
import { BootstrapConfig } from "./config";

export type BootstrapOutputs = Record<string, pulumi.Output<unknown>>;

/**
 * The account bootstrap, once per account: composition only. What every loglake stack of the
 * account shares and nothing else: the state backend, the account-wide service-linked roles and
 * GitHub Actions' roles.
 */
export function deployBootstrap(config: BootstrapConfig): BootstrapOutputs {
  // allowedAccountIds: bootstrapping the wrong account (a stale profile) fails before any change.
  const provider = new aws.Provider(`${config.prefix}-bootstrap-${config.region}`, {
    region: config.region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: config.tags },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const account = awsAccount({ provider });

  const state = new StateBackend(
    config.prefix,
    {
      prefix: config.prefix,
      noncurrentVersionExpirationDays: config.state.noncurrentVersionExpirationDays,
      noncurrentVersionsKept: config.state.noncurrentVersionsKept,
      account,
    },
    opts,
  );
  const serviceLinkedRoles = new ServiceLinkedRoles(
    config.prefix,
    { adopt: config.serviceLinkedRoles.adopt, accountId: config.accountId },
    opts,
  );
  const ci = new GitHubCiAccess(
    config.prefix,
    {
      repository: config.github.repository,
      prefix: config.prefix,
      kafkaClusterNames: config.stackPrefixes.map(kafkaClusterName),
      stateBucketArn: state.bucketArn,
      stateKeyArn: state.stateKeyArn,
      secretsKeyArn: state.secretsKeyArn,
      deployEnvironment: config.github.deployEnvironment,
      previewBranch: config.github.previewBranch,
      createOidcProvider: config.github.createOidcProvider,
      account,
    },
    opts,
  );

  return {
    backendUrl: state.backendUrl,
    secretsProvider: state.secretsProvider,
    stateBucketName: state.bucketName,
    stateKeyArn: state.stateKeyArn,
    secretsKeyArn: state.secretsKeyArn,
    serviceLinkedRoleArns: pulumi.output(serviceLinkedRoles.arns),
    oidcProviderArn: ci.oidcProviderArn,
    previewRoleArn: ci.previewRoleArn,
    deployRoleArn: ci.deployRoleArn,
  };
}
