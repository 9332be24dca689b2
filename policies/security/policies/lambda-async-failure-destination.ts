import { stackPolicy } from "../lib/define";
import { LAMBDA_EVENT_INVOKE_CONFIG, LAMBDA_FUNCTION } from "../lib/types";

export const lambdaAsyncFailureDestination = stackPolicy({
  name: "lambda-async-failure-destination",
  description:
    "Every Lambda function keeps asynchronous invocations that keep failing, in a dead-letter queue or an on-failure destination, instead of dropping them after two retries.",
  enforcementLevel: "mandatory",
  check: (resources, report) => {
    const withDestination = new Set(
      resources
        .filter((r) => r.type === LAMBDA_EVENT_INVOKE_CONFIG)
        .filter((r) => (r.props.destinationConfig as { onFailure?: { destination?: unknown } })?.onFailure?.destination)
        .map((r) => String(r.props.functionName)),
    );
    for (const fn of resources.filter((r) => r.type === LAMBDA_FUNCTION)) {
      const deadLetters = (fn.props.deadLetterConfig as { targetArn?: unknown } | undefined)?.targetArn;
      const names = [fn.props.name, fn.props.arn].map(String);
      if (!deadLetters && !names.some((n) => withDestination.has(n))) {
        report(
          fn,
          "drops asynchronous invocations that keep failing.",
          "add a FunctionEventInvokeConfig with destinationConfig.onFailure, or a deadLetterConfig.",
        );
      }
    }
  },
});
