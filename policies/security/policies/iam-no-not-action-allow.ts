import { resourcePolicy } from "../lib/define";
import { describeStatement, identityDocuments, IDENTITY_POLICY_TYPES } from "../lib/iam";

export const iamNoNotActionAllow = resourcePolicy({
  name: "iam-no-not-action-allow",
  description: "IAM policies do not combine Allow with NotAction or NotResource (which grant everything not listed).",
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const doc of identityDocuments(args.type, props)) {
      for (const s of doc.statements.filter((s) => s.effect === "Allow" && (s.notActions.length > 0 || s.notResources.length > 0))) {
        report(`${describeStatement(doc, s)} allows with ${s.notActions.length > 0 ? "NotAction" : "NotResource"}.`, "list the allowed Action and Resource values explicitly; keep NotAction/NotResource for Deny statements.");
      }
    }
  },
});
