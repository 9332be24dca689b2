import { resourcePolicy } from "../lib/define";
import { allowStatements, IDENTITY_POLICY_TYPES, isWildcardAction } from "../lib/iam";

export const iamNoWildcardActions = resourcePolicy({
  name: "iam-no-wildcard-actions",
  description: 'IAM policies do not allow "*" or "service:*" actions.',
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const { where, statement } of allowStatements(args.type, props)) {
      const wildcards = statement.actions.filter(isWildcardAction);
      if (wildcards.length > 0)
        report(`${where} allows ${wildcards.join(", ")}.`, "list the specific actions the principal needs.");
    }
  },
});
