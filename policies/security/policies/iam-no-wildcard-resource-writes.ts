import { resourcePolicy } from "../lib/define";
import { actionMatches, allowStatements, IDENTITY_POLICY_TYPES, isReadOnlyAction } from "../lib/iam";

/**
 * Write actions that IAM only accepts on Resource "*" (no resource-level permissions), so "*"
 * is their only form: metrics and traces, and the ENI management a VPC-attached Lambda needs.
 */
export const ACTIONS_ONLY_ON_ANY_RESOURCE = [
  "cloudwatch:PutMetricData",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
  "kms:CreateKey",
  "logs:CreateLogDelivery",
];

export const iamNoWildcardResourceWrites = resourcePolicy<{ allowedActions: string[] }>({
  name: "iam-no-wildcard-resource-writes",
  description:
    'IAM policies do not allow write or permission-management actions on Resource "*", except actions that only accept "*".',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedActions: {
        type: "array",
        items: { type: "string" },
        default: ACTIONS_ONLY_ON_ANY_RESOURCE,
        description: 'Write actions allowed on Resource "*" because IAM offers no resource-level permission for them.',
      },
    },
  },
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, config, args) => {
    const allowed = config.allowedActions ?? ACTIONS_ONLY_ON_ANY_RESOURCE;
    for (const { where, statement } of allowStatements(args.type, props)) {
      if (!statement.resources.includes("*")) continue;
      const writes = statement.actions.filter(
        (a) => !isReadOnlyAction(a) && !allowed.some((ok) => actionMatches(ok, a)),
      );
      if (writes.length > 0) {
        report(
          `${where} allows ${writes.join(", ")} on Resource "*".`,
          'name the ARNs the actions apply to (or add an action IAM only accepts on "*" to allowedActions in the pack config).',
        );
      }
    }
  },
});
