import { listOf, resourcePolicy } from "../lib/define";
import { IAM_POLICY_ATTACHMENT, IAM_ROLE } from "../lib/types";

const DEFAULT_FORBIDDEN = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

export const iamNoAdminPolicyAttachment = resourcePolicy<{ forbiddenPolicies: string[] }>({
  name: "iam-no-admin-policy-attachment",
  description:
    "No role, user or group gets the AWS managed AdministratorAccess, PowerUserAccess or IAMFullAccess policies.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      forbiddenPolicies: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_FORBIDDEN,
        description: "Names of AWS managed policies that must not be attached.",
      },
    },
  },
  types: [...IAM_POLICY_ATTACHMENT, IAM_ROLE],
  check: (props, report, config) => {
    const forbidden = config.forbiddenPolicies ?? DEFAULT_FORBIDDEN;
    const arns = props.policyArn !== undefined ? [props.policyArn] : listOf<string>(props.managedPolicyArns);
    for (const arn of arns) {
      const name = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(String(arn))?.[1];
      if (name && forbidden.includes(name)) {
        report(
          `attaches the AWS managed policy ${name}.`,
          "attach a customer-managed policy that lists only the actions and resources needed.",
        );
      }
    }
  },
});
