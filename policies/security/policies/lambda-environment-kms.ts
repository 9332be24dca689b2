import { resourcePolicy } from "../lib/define";
import { LAMBDA_FUNCTION } from "../lib/types";

export const lambdaEnvironmentKms = resourcePolicy({
  name: "lambda-environment-kms",
  description: "Lambda functions with environment variables encrypt them with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  types: [LAMBDA_FUNCTION],
  check: (props, report) => {
    if (Object.keys(props.environment?.variables ?? {}).length > 0 && !props.kmsKeyArn) {
      report(
        "encrypts its environment variables with the AWS-managed aws/lambda key.",
        "set kmsKeyArn to a customer-managed key ARN.",
      );
    }
  },
});
