import { resourcePolicy } from "../lib/define";
import { allowStatements, IDENTITY_POLICY_TYPES } from "../lib/iam";

export const iamNoNotActionAllow = resourcePolicy({
  name: "iam-no-not-action-allow",
  description: "IAM policies do not combine Allow with NotAction or NotResource (which grant everything not listed).",
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const { where, statement } of allowStatements(args.type, props)) {
      const negated = [
        ...(statement.notActions.length > 0 ? ["NotAction"] : []),
        ...(statement.notResources.length > 0 ? ["NotResource"] : []),
      ];
      if (negated.length > 0) {
        report(
          `${where} allows with ${negated.join(" and ")}.`,
          "list the allowed Action and Resource values explicitly; keep NotAction/NotResource for Deny statements.",
        );
      }
    }
  },
});
