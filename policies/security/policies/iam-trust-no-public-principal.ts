import { resourcePolicy } from "../lib/define";
import { isPublicPrincipal, parseDocument } from "../lib/iam";
import { IAM_ROLE } from "../lib/types";

export const iamTrustNoPublicPrincipal = resourcePolicy({
  name: "iam-trust-no-public-principal",
  description: 'Role trust policies do not let "*" assume the role without conditions.',
  enforcementLevel: "mandatory",
  types: [IAM_ROLE],
  check: (props, report) => {
    for (const s of parseDocument(props.assumeRolePolicy) ?? []) {
      if (s.effect === "Allow" && isPublicPrincipal(s.principal) && Object.keys(s.condition ?? {}).length === 0) {
        report(
          "lets any AWS principal assume it.",
          "name the trusted account, role or service as Principal, or add a Condition (e.g. aws:PrincipalOrgID).",
        );
      }
    }
  },
});
