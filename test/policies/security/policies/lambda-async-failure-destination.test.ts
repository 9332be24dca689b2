import { policyCases } from "../../support";

const fn = (props: Record<string, unknown> = {}) => ({
  type: "aws:lambda/function:Function",
  name: "builder",
  props: { name: "acme-builder", ...props },
});
const invokeConfig = (destination?: string) => ({
  type: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  name: "builder-async",
  props: {
    functionName: "acme-builder",
    ...(destination && { destinationConfig: { onFailure: { destination } } }),
  },
});

policyCases("lambda-async-failure-destination", {
  compliant: {
    "an on-failure destination": [fn(), invokeConfig("arn:aws:sqs:eu-west-1:123456789012:flush-failures")],
    "a dead-letter queue": [fn({ deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq" } })],
  },
  violations: {
    neither: { resources: [fn()], offender: "builder" },
    "an invoke config without a destination": { resources: [fn(), invokeConfig()], offender: "builder" },
  },
});
