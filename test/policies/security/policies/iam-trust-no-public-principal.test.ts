import { policyCases } from "../../support";
import { role, trust } from "../support";

policyCases("iam-trust-no-public-principal", {
  compliant: {
    "a service principal": role({}),
    '"*" limited to the organization': trust({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
    }),
  },
  violations: {
    'Principal "*" without conditions': {
      resources: trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
      offender: "ingest",
    },
    'Principal { AWS: "*" } without conditions': {
      resources: trust({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole" }),
      offender: "ingest",
    },
  },
});
