import { resourcePolicy } from "../lib/define";
import { isPublicPrincipal, parseDocument } from "../lib/iam";
import { SQS_QUEUE, SQS_QUEUE_POLICY } from "../lib/types";

export const sqsQueuePolicyNotPublic = resourcePolicy({
  name: "sqs-queue-policy-not-public",
  description:
    'Queue policies allow "*" (or a service) only under conditions that name the source, such as aws:SourceArn or aws:SourceAccount.',
  enforcementLevel: "mandatory",
  types: [SQS_QUEUE_POLICY, SQS_QUEUE],
  check: (props, report) => {
    for (const s of parseDocument(props.policy) ?? []) {
      const service = (s.principal as { Service?: unknown } | undefined)?.Service !== undefined;
      if (s.effect === "Allow" && (isPublicPrincipal(s.principal) || service) && !s.condition) {
        report(
          "lets any account (or any account's use of a service) send to or read the queue.",
          "add a Condition on aws:SourceArn and aws:SourceAccount, or name the principal.",
        );
      }
    }
  },
});
