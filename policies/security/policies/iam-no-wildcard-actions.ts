import { resourcePolicy } from "../lib/define";
import { describeStatement, identityDocuments, IDENTITY_POLICY_TYPES, isWildcardAction } from "../lib/iam";

export const iamNoWildcardActions = resourcePolicy({
  name: "iam-no-wildcard-actions",
  description: 'IAM policies do not allow "*" or "service:*" actions.',
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const doc of identityDocuments(args.type, props)) {
      for (const s of doc.statements.filter((s) => s.effect === "Allow")) {
        const wildcards = s.actions.filter(isWildcardAction);
        if (wildcards.length > 0) {
          report(`${describeStatement(doc, s)} allows ${wildcards.join(", ")}.`, "list the specific actions the principal needs.");
        }
      }
    }
  },
});
