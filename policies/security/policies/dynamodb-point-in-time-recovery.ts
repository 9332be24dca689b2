import { isTrue, resourcePolicy } from "../lib/define";
import { DYNAMODB_TABLE } from "../lib/types";

export const dynamodbPointInTimeRecovery = resourcePolicy({
  name: "dynamodb-point-in-time-recovery",
  description: "DynamoDB tables keep point-in-time recovery on, so state lost by a bad deploy or bug can be restored.",
  enforcementLevel: "mandatory",
  types: [DYNAMODB_TABLE],
  check: (props, report) => {
    if (!isTrue((props.pointInTimeRecovery as { enabled?: unknown } | undefined)?.enabled)) {
      report("has no point-in-time recovery.", "set pointInTimeRecovery: { enabled: true }.");
    }
  },
});
