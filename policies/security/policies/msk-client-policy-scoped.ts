import { resourcePolicy } from "../lib/define";
import { allowStatements, IDENTITY_POLICY_TYPES } from "../lib/iam";

/** A kafka-cluster resource ARN naming one cluster (its name segment is not a wildcard). */
const SCOPED = /^arn:[^:]+:kafka:[^:]+:[^:]+:(cluster|topic|group|transactional-id)\/[^/*]+\/.+/;

export const mskClientPolicyScoped = resourcePolicy({
  name: "msk-client-policy-scoped",
  description:
    "IAM policies for MSK clients (kafka-cluster:* actions) name cluster, topic and group ARNs of a specific cluster.",
  enforcementLevel: "mandatory",
  types: IDENTITY_POLICY_TYPES,
  check: (props, report, _config, args) => {
    for (const { where, statement } of allowStatements(args.type, props)) {
      if (!statement.actions.some((a) => a.toLowerCase().startsWith("kafka-cluster:"))) continue;
      const loose = [
        ...statement.resources.filter((r) => !SCOPED.test(r)),
        ...(statement.notResources.length > 0 ? ["NotResource"] : []),
      ];
      if (loose.length > 0) {
        report(
          `${where} grants kafka-cluster actions on ${loose.join(", ")}.`,
          "use arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>, topic/<name>/<uuid>/<topic> and group/<name>/<uuid>/<group> ARNs.",
        );
      }
    }
  },
});
