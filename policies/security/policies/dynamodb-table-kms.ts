import { isTrue, resourcePolicy } from "../lib/define";
import { DYNAMODB_TABLE } from "../lib/types";

export const dynamodbTableKms = resourcePolicy({
  name: "dynamodb-table-kms",
  description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  types: [DYNAMODB_TABLE],
  check: (props, report) => {
    const sse = props.serverSideEncryption;
    if (!isTrue(sse?.enabled) || !sse?.kmsKeyArn) {
      report(
        "is encrypted with an AWS-owned or AWS-managed key.",
        "set serverSideEncryption { enabled: true, kmsKeyArn: <customer-managed key ARN> }.",
      );
    }
  },
});
