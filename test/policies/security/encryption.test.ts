import { policyCases, TestResource } from "../support";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const one = (type: string, name: string, props: Record<string, unknown>): TestResource[] => [{ type, name, props }];

policyCases("cloudwatch-log-group-kms", {
  compliant: {
    "a log group under a customer key": one("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      kmsKeyId: KEY_ARN,
      retentionInDays: 30,
    }),
  },
  violations: {
    "a log group without a key": {
      resources: one("aws:cloudwatch/logGroup:LogGroup", "flow-logs", { retentionInDays: 30 }),
      offender: "flow-logs",
    },
  },
});

policyCases("sqs-queue-kms", {
  compliant: { "a queue under a customer key": one("aws:sqs/queue:Queue", "manifests", { kmsMasterKeyId: KEY_ARN }) },
  violations: {
    "SQS-managed SSE": {
      resources: one("aws:sqs/queue:Queue", "manifests", { sqsManagedSseEnabled: true }),
      offender: "manifests",
    },
    "the AWS-managed alias/aws/sqs key": {
      resources: one("aws:sqs/queue:Queue", "manifests", { kmsMasterKeyId: "alias/aws/sqs" }),
      offender: "manifests",
      says: /alias\/aws\/sqs/,
    },
  },
});

policyCases("sns-topic-kms", {
  compliant: { "a topic under a customer key": one("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: KEY_ARN }) },
  violations: { "an unencrypted topic": { resources: one("aws:sns/topic:Topic", "alarms", {}), offender: "alarms" } },
});

policyCases("dynamodb-table-kms", {
  compliant: {
    "a table under a customer key": one("aws:dynamodb/table:Table", "offsets", {
      serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
    }),
  },
  violations: {
    "the default AWS-owned key": { resources: one("aws:dynamodb/table:Table", "offsets", {}), offender: "offsets" },
    "the AWS-managed key (enabled without kmsKeyArn)": {
      resources: one("aws:dynamodb/table:Table", "offsets", { serverSideEncryption: { enabled: true } }),
      offender: "offsets",
    },
  },
});

policyCases("secretsmanager-secret-kms", {
  compliant: {
    "a secret under a customer key": one("aws:secretsmanager/secret:Secret", "metastore-password", {
      kmsKeyId: KEY_ARN,
    }),
  },
  violations: {
    "a secret under the default aws/secretsmanager key": {
      resources: one("aws:secretsmanager/secret:Secret", "metastore-password", {}),
      offender: "metastore-password",
    },
  },
});

policyCases("lambda-environment-kms", {
  compliant: {
    "environment variables under a customer key": one("aws:lambda/function:Function", "manifest-builder", {
      environment: { variables: { TABLE: "t" } },
      kmsKeyArn: KEY_ARN,
    }),
    "no environment variables": one("aws:lambda/function:Function", "manifest-builder", {}),
  },
  violations: {
    "environment variables under the default key": {
      resources: one("aws:lambda/function:Function", "manifest-builder", {
        environment: { variables: { TABLE: "t" } },
      }),
      offender: "manifest-builder",
    },
  },
});

policyCases("kms-key-rotation", {
  compliant: {
    "a rotating symmetric key": one("aws:kms/key:Key", "lake", { enableKeyRotation: true }),
    "an asymmetric signing key (cannot rotate)": one("aws:kms/key:Key", "signing", {
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    }),
  },
  violations: {
    "a symmetric key without rotation": { resources: one("aws:kms/key:Key", "lake", {}), offender: "lake" },
  },
});
