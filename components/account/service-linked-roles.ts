import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, refuseProblems } from "../shared/problems";
import { autoscalingService, serviceLinkedRoleArn, serviceLinkedRoleNames } from "../shared/service-linked-roles";

export interface ServiceLinkedRolesArgs {
  /**
   * Services whose default service-linked role the account needs before any stack runs: roles a
   * stack names (a KMS grant's grantee) before the service would create it on first use.
   * Default: `autoscaling.amazonaws.com` (the node volumes' grant names its role).
   */
  services?: string[];
  /**
   * The account's existing roles among `services`, adopted into this stack (Pulumi `import`)
   * instead of created, which IAM refuses for a role that exists. Needs `accountId`. Default: none.
   */
  adopt?: string[];
  /** The account's id, for the ARNs of adopted roles (an import id must be known before deployment). */
  accountId?: string;
  /** The account's partition, for the ARNs of adopted roles. Default: "aws". */
  partition?: string;
}

function argsProblems(services: string[], args: ServiceLinkedRolesArgs): Problem[] {
  const problems: Problem[] = [];
  services.forEach((service, i) => {
    if (!serviceLinkedRoleNames[service]) {
      problems.push({
        path: ["services", i],
        message: `${service}: no known role name (known: ${Object.keys(serviceLinkedRoleNames).join(", ")})`,
      });
    }
  });
  (args.adopt ?? []).forEach((service, i) => {
    if (!services.includes(service)) {
      problems.push({ path: ["adopt", i], message: `${service} is not among services (${services.join(", ")})` });
    }
  });
  if ((args.adopt ?? []).length > 0 && !/^\d{12}$/.test(args.accountId ?? "")) {
    problems.push({ path: ["accountId"], message: "adopting existing roles needs the 12-digit account id" });
  }
  return problems;
}

/**
 * The account-wide service-linked roles loglake names, created (or adopted) exactly once per
 * account. Each is retained when this stack is destroyed: every stack's node groups use it.
 */
export class ServiceLinkedRoles extends pulumi.ComponentResource {
  /** Role ARN per service. */
  public readonly arns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    const services = args.services ?? [autoscalingService];
    refuseProblems("ServiceLinkedRoles", name, argsProblems(services, args));
    super("loglake:account:ServiceLinkedRoles", name, {}, opts);
    const adopt = new Set(args.adopt ?? []);
    const arns: Record<string, pulumi.Output<string>> = {};
    for (const service of services) {
      const role = new aws.iam.ServiceLinkedRole(
        `${name}-${service.split(".")[0]}`,
        { awsServiceName: service },
        {
          parent: this,
          retainOnDelete: true,
          ...(adopt.has(service) && {
            import: serviceLinkedRoleArn(args.partition ?? "aws", args.accountId!, service),
          }),
        },
      );
      arns[service] = role.arn;
    }
    this.arns = arns;
    this.registerOutputs({ arns: this.arns });
  }
}
