import { resourcePolicy } from "../lib/define";
import { actionMatches, allowStatements, IDENTITY_POLICY_TYPES } from "../lib/iam";

export const iamNoPassroleWildcard = resourcePolicy({
  name: "iam-no-passrole-wildcard",
  description:
    'IAM policies do not allow iam:PassRole on Resource "*" (which lets the holder hand any role, including admin ones, to a service).',
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const { where, statement } of allowStatements(args.type, props)) {
      if (
        statement.actions.some((a) => actionMatches(a, "iam:PassRole")) &&
        statement.resources.some((r) => r === "*" || /^arn:[^:]+:iam::[^:]*:role\/\*$/.test(r))
      ) {
        report(
          `${where} allows iam:PassRole on every role.`,
          "name the role ARNs that may be passed and add a Condition on iam:PassedToService.",
        );
      }
    }
  },
});
