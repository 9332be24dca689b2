import { policyCases } from "../../support";

const schedule = (target: Record<string, unknown>) => [
  {
    type: "aws:scheduler/schedule:Schedule",
    name: "flush",
    props: {
      scheduleExpression: "rate(1 hour)",
      target: { arn: "arn:aws:lambda:eu-west-1:123456789012:function:b", ...target },
    },
  },
];
const role = { roleArn: "arn:aws:iam::123456789012:role/flush" };
const dlq = { deadLetterConfig: { arn: "arn:aws:sqs:eu-west-1:123456789012:flush-failures" } };

policyCases("scheduler-target-role-and-dlq", {
  compliant: { "a role and a dead-letter queue": schedule({ ...role, ...dlq }) },
  violations: {
    "no dead-letter queue": { resources: schedule(role), offender: "flush", says: /deadLetterConfig/ },
    "no role": { resources: schedule(dlq), offender: "flush", says: /roleArn/ },
  },
});
