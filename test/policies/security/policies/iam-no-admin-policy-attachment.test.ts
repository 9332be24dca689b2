import { policyCases } from "../../support";
import { attachment, role } from "../support";

policyCases("iam-no-admin-policy-attachment", {
  compliant: {
    "a narrow AWS managed policy": attachment("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
    "a customer-managed policy named AdministratorAccess-like": attachment(
      "arn:aws:iam::123456789012:policy/AdministratorAccess",
    ),
  },
  violations: {
    AdministratorAccess: {
      resources: attachment("arn:aws:iam::aws:policy/AdministratorAccess"),
      offender: "ingest-attach",
      says: /AdministratorAccess/,
    },
    "PowerUserAccess on a group": {
      resources: [
        {
          type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
          name: "ops-attach",
          props: { group: "ops", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
        },
      ],
      offender: "ops-attach",
    },
    "IAMFullAccess through a role's managedPolicyArns": {
      resources: role({ managedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] }),
      offender: "ingest",
    },
  },
});
