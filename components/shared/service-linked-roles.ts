/**
 * AWS service-linked roles loglake relies on. Each exists once per account (IAM refuses a second
 * CreateServiceLinkedRole), so the account bootstrap owns the ones a stack names before the service
 * would create them itself, and the stacks only name them.
 */

/** The EC2 Auto Scaling service, whose role launches the node groups' encrypted volumes. */
export const autoscalingService = "autoscaling.amazonaws.com";

/** The default role name IAM gives each service's service-linked role. */
export const serviceLinkedRoleNames: Readonly<Record<string, string>> = {
  [autoscalingService]: "AWSServiceRoleForAutoScaling",
};

/**
 * Services whose role the service creates itself on first use (EKS clusters and node groups, EMR
 * on EKS virtual clusters, RDS, MSK, and Application Auto Scaling for MSK storage), as long as the
 * caller may call iam:CreateServiceLinkedRole for it: the deploy role may, for these only.
 */
export const selfCreatedServiceLinkedRoles = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "emr-containers.amazonaws.com",
  "rds.amazonaws.com",
  "kafka.amazonaws.com",
  "kafka.application-autoscaling.amazonaws.com",
] as const;

/** `arn:<partition>:iam::<account>:role/aws-service-role/<service>/<role name>`. */
export function serviceLinkedRoleArn(partition: string, accountId: string, service: string): string {
  const roleName = serviceLinkedRoleNames[service];
  if (!roleName) throw new Error(`no known service-linked role name for ${service}`);
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/${service}/${roleName}`;
}
