import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a remote (multi-language) component such as awsx.ec2.Vpc or eks.Cluster created inside
 * one of ours. Such a component gets only the providers named in its own options, not its parent's:
 * without them it would land on the default AWS provider, outside the stack's region and default tags.
 */
export function remoteChildOptions(
  parent: pulumi.ComponentResource,
  extra: pulumi.ComponentResourceOptions = {},
): pulumi.ComponentResourceOptions {
  const aws = parent.getProvider("aws::");
  return { ...extra, parent, providers: aws ? { aws } : undefined };
}
