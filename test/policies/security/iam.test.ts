import { policyCases, TestResource } from "../support";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (
  action: string | string[],
  resource: string | string[] = "arn:aws:s3:::loglake-lake/*",
  extra: object = {},
) => ({ Effect: "Allow", Action: action, Resource: resource, ...extra });

const managed = (...statements: object[]): TestResource[] => [
  { type: "aws:iam/policy:Policy", name: "ingest", props: { policy: doc(...statements) } },
];
const rolePolicy = (...statements: object[]): TestResource[] => [
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "ingest-inline",
    props: { role: "ingest", policy: doc(...statements) },
  },
];
const role = (props: Record<string, unknown>): TestResource[] => [
  {
    type: "aws:iam/role:Role",
    name: "ingest",
    props: {
      assumeRolePolicy: doc({
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
      ...props,
    },
  },
];

const readLake = allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::loglake-lake", "arn:aws:s3:::loglake-lake/*"]);

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

policyCases("iam-no-not-action-allow", {
  compliant: { "NotAction in a Deny": managed(readLake, { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }) },
  violations: {
    "Allow with NotAction": {
      resources: managed({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      offender: "ingest",
      says: /NotAction/,
    },
    "Allow with NotResource": {
      resources: managed({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }),
      offender: "ingest",
      says: /NotResource/,
    },
  },
});

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

const attachment = (policyArn: string): TestResource[] => [
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "ingest-attach",
    props: { role: "ingest", policyArn },
  },
];

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

const trust = (...statements: object[]) => role({ assumeRolePolicy: doc(...statements) });
const OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const webIdentity = (condition?: object) =>
  trust({
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${OIDC}` },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(condition ? { Condition: condition } : {}),
  });

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

policyCases("iam-web-identity-trust-pinned", {
  compliant: {
    "IRSA pinned to one service account and the STS audience": webIdentity({
      StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:loglake:sink", [`${OIDC}:aud`]: "sts.amazonaws.com" },
    }),
  },
  violations: {
    "no conditions": { resources: webIdentity(), offender: "ingest", says: /sub and aud/ },
    "sub only": {
      resources: webIdentity({ StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:loglake:*" } }),
      offender: "ingest",
      says: /on aud/,
    },
  },
});

const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/loglake-events/1a2b3c4d-5e6f";

policyCases("msk-client-policy-scoped", {
  compliant: {
    "cluster, topic and group ARNs of one cluster": managed(
      allow(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], CLUSTER),
      allow(
        ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
        "arn:aws:kafka:eu-west-1:123456789012:topic/loglake-events/1a2b3c4d-5e6f/logs.*",
      ),
      allow(
        ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
        "arn:aws:kafka:eu-west-1:123456789012:group/loglake-events/1a2b3c4d-5e6f/sink",
      ),
    ),
  },
  violations: {
    'kafka-cluster actions on "*"': {
      resources: managed(allow("kafka-cluster:Connect", "*")),
      offender: "ingest",
      says: /on \*/,
    },
    "topics of every cluster": {
      resources: rolePolicy(allow("kafka-cluster:ReadData", "arn:aws:kafka:eu-west-1:123456789012:topic/*")),
      offender: "ingest-inline",
    },
  },
});
