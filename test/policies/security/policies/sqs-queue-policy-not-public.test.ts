import { policyCases } from "../../support";

const queuePolicy = (statement: Record<string, unknown>) => [
  {
    type: "aws:sqs/queuePolicy:QueuePolicy",
    name: "raw-created",
    props: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) },
  },
];
const send = { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:raw" };

policyCases("sqs-queue-policy-not-public", {
  compliant: {
    "S3 for one bucket and account": queuePolicy({
      ...send,
      Principal: { Service: "s3.amazonaws.com" },
      Condition: {
        ArnEquals: { "aws:SourceArn": "arn:aws:s3:::raw" },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      },
    }),
    "a TLS-only deny for everyone": queuePolicy({
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }),
    "a named account": queuePolicy({ ...send, Principal: { AWS: "arn:aws:iam::123456789012:root" } }),
  },
  violations: {
    anyone: { resources: queuePolicy({ ...send, Principal: "*" }), offender: "raw-created" },
    "a service from any account": {
      resources: queuePolicy({ ...send, Principal: { Service: "s3.amazonaws.com" } }),
      offender: "raw-created",
    },
  },
});
