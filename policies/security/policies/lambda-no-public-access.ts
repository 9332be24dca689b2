import { resourcePolicy } from "../lib/define";
import { isPublicPrincipal } from "../lib/iam";
import { LAMBDA_FUNCTION_URL, LAMBDA_PERMISSION } from "../lib/types";

export const lambdaNoPublicAccess = resourcePolicy({
  name: "lambda-no-public-access",
  description:
    "No Lambda permission lets any principal invoke a function without naming the source, and no function URL is unauthenticated.",
  enforcementLevel: "mandatory",
  types: [LAMBDA_PERMISSION, LAMBDA_FUNCTION_URL],
  check: (props, report, _config, args) => {
    if (args.type === LAMBDA_FUNCTION_URL) {
      if (props.authorizationType === "NONE") {
        report("lets anyone on the internet invoke the function.", 'set authorizationType to "AWS_IAM".');
      }
      return;
    }
    if (isPublicPrincipal(props.principal) && !props.sourceArn && !props.sourceAccount && !props.principalOrgId) {
      report(
        "lets any AWS account invoke the function.",
        "name the invoking service or account as principal, or set sourceArn or sourceAccount.",
      );
    }
  },
});
