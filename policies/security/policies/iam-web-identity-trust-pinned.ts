import { resourcePolicy } from "../lib/define";
import { actionMatches, parseDocument } from "../lib/iam";
import { IAM_ROLE } from "../lib/types";

/** Condition keys of a statement that end with `:suffix` and are matched by StringEquals/StringLike. */
function pinnedKeys(condition: Record<string, Record<string, unknown>> | undefined, suffix: string): string[] {
  return Object.entries(condition ?? {})
    .filter(([operator]) => /^(ForAnyValue:|ForAllValues:)?String(Equals|Like)$/.test(operator))
    .flatMap(([, keys]) => Object.keys(keys))
    .filter((key) => key.endsWith(`:${suffix}`));
}

export const iamWebIdentityTrustPinned = resourcePolicy({
  name: "iam-web-identity-trust-pinned",
  description: "Web-identity (OIDC, e.g. EKS IRSA) trust policies pin the token's subject (sub) and audience (aud).",
  enforcementLevel: "mandatory",
  types: [IAM_ROLE],
  check: (props, report) => {
    for (const s of parseDocument(props.assumeRolePolicy) ?? []) {
      if (s.effect !== "Allow" || !s.actions.some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity"))) continue;
      const missing = ["sub", "aud"].filter((claim) => pinnedKeys(s.condition, claim).length === 0);
      if (missing.length > 0) {
        report(
          `trusts web identities without a condition on ${missing.join(" and ")}.`,
          'add Condition StringEquals { "<oidc-provider>:sub": "system:serviceaccount:<namespace>:<name>", "<oidc-provider>:aud": "sts.amazonaws.com" }.',
        );
      }
    }
  },
});
