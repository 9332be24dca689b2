import { policyCases } from "../../support";
import { allow, managed } from "../support";

policyCases("iam-no-passrole-wildcard", {
  compliant: {
    "PassRole on a named role": managed(
      allow("iam:PassRole", "arn:aws:iam::123456789012:role/loglake-ingest", {
        Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
      }),
    ),
  },
  violations: {
    'PassRole on "*"': { resources: managed(allow("iam:PassRole", "*")), offender: "ingest", says: /iam:PassRole/ },
    "PassRole on every role of the account": {
      resources: managed(allow("iam:PassRole", "arn:aws:iam::123456789012:role/*")),
      offender: "ingest",
    },
  },
});
