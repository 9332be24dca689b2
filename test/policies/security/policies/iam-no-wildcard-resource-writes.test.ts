import { policyCases } from "../../support";
import { allow, managed, rolePolicy } from "../support";

policyCases("iam-no-wildcard-resource-writes", {
  compliant: {
    "writes on named ARNs": managed(allow("s3:PutObject")),
    'reads on Resource "*"': managed(allow(["ec2:DescribeSubnets", "s3:ListAllMyBuckets"], "*")),
    'actions IAM only accepts on "*" (default allow-list)': managed(
      allow(["cloudwatch:PutMetricData", "ec2:CreateNetworkInterface"], "*"),
    ),
    "an action added to the allow-list in the pack config": {
      resources: managed(allow("glue:CreateDatabase", "*")),
      config: {
        "iam-no-wildcard-resource-writes": { allowedActions: ["cloudwatch:PutMetricData", "glue:CreateDatabase"] },
      },
    },
  },
  violations: {
    's3:PutObject on "*"': {
      resources: managed(allow("s3:PutObject", "*")),
      offender: "ingest",
      says: /s3:PutObject on Resource "\*"/,
    },
    'kms:CreateGrant (permission management) on "*"': {
      resources: rolePolicy(allow("kms:CreateGrant", "*")),
      offender: "ingest-inline",
    },
    'an action outside a custom allow-list on "*"': {
      resources: managed(allow("cloudwatch:PutMetricData", "*")),
      offender: "ingest",
      config: { "iam-no-wildcard-resource-writes": { allowedActions: ["xray:PutTraceSegments"] } },
    },
  },
});
