import { policyCases } from "../../support";
import { allow, doc, managed, readLake, role, rolePolicy } from "../support";

policyCases("iam-no-wildcard-actions", {
  compliant: {
    "named actions": managed(readLake),
    "a prefix wildcard such as s3:Get*": managed(allow("s3:Get*")),
    'a Deny of "*"': managed(readLake, {
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }),
  },
  violations: {
    'Action "*" in a managed policy': { resources: managed(allow("*", "*")), offender: "ingest", says: /allows \*/ },
    '"s3:*" in a role inline policy': {
      resources: rolePolicy(allow("s3:*")),
      offender: "ingest-inline",
      says: /s3:\*/,
    },
    '"kafka-cluster:*" in a role\'s inlinePolicies': {
      resources: role({
        inlinePolicies: [
          {
            name: "stream",
            policy: doc(allow("kafka-cluster:*", "arn:aws:kafka:eu-west-1:123456789012:cluster/events/abc")),
          },
        ],
      }),
      offender: "ingest",
      says: /inline policy "stream"/,
    },
    "a user policy allowing iam:*": {
      resources: [
        {
          type: "aws:iam/userPolicy:UserPolicy",
          name: "ops",
          props: { user: "ops", policy: doc(allow("iam:*", "*")) },
        },
      ],
      offender: "ops",
    },
  },
});
