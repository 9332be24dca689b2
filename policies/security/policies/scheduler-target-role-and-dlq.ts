import { resourcePolicy } from "../lib/define";
import { SCHEDULER_SCHEDULE } from "../lib/types";

export const schedulerTargetRoleAndDlq = resourcePolicy({
  name: "scheduler-target-role-and-dlq",
  description:
    "EventBridge Scheduler schedules invoke their target through a role and keep failed invocations in a dead-letter queue.",
  enforcementLevel: "mandatory",
  types: [SCHEDULER_SCHEDULE],
  check: (props, report) => {
    const target = props.target as { roleArn?: unknown; deadLetterConfig?: { arn?: unknown } } | undefined;
    if (!target?.roleArn)
      report("has a target without a role.", "set target.roleArn to a role only this schedule uses.");
    if (!target?.deadLetterConfig?.arn) {
      report("drops invocations that keep failing.", "set target.deadLetterConfig to an encrypted SQS queue.");
    }
  },
});
