import { policyCases, TestResource } from "../support";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];

/** An MSK cluster as loglake's streaming component builds it; cases override parts. */
const cluster = (
  changes: { brokerNodeGroupInfo?: object; encryptionInfo?: object; clientAuthentication?: object } = {},
): TestResource[] => [
  {
    type: "aws:msk/cluster:Cluster",
    name: "events",
    props: {
      clusterName: "loglake-events",
      kafkaVersion: "3.8.x",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m7g.large",
        clientSubnets: SUBNETS,
        securityGroups: ["sg-1"],
        ...changes.brokerNodeGroupInfo,
      },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: KEY_ARN,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        ...changes.encryptionInfo,
      },
      clientAuthentication: changes.clientAuthentication ?? { sasl: { iam: true }, unauthenticated: false },
    },
  },
];

policyCases("msk-encryption-at-rest", {
  compliant: { "a customer-managed at-rest key": cluster() },
  violations: {
    "no at-rest key (AWS-managed)": {
      resources: cluster({ encryptionInfo: { encryptionAtRestKmsKeyArn: undefined } }),
      offender: "events",
    },
  },
});

policyCases("msk-tls-in-transit", {
  compliant: {
    "TLS only, in-cluster on": cluster(),
    "the API defaults (TLS, in-cluster on)": cluster({ encryptionInfo: { encryptionInTransit: undefined } }),
  },
  violations: {
    "TLS_PLAINTEXT client traffic": {
      resources: cluster({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } }),
      offender: "events",
      says: /TLS_PLAINTEXT/,
    },
    "unencrypted traffic between brokers": {
      resources: cluster({ encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: false } } }),
      offender: "events",
    },
  },
});

policyCases("msk-public-access-disabled", {
  compliant: {
    "private brokers": cluster(),
    "publicAccess DISABLED": cluster({
      brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "DISABLED" } } },
    }),
  },
  violations: {
    "public brokers": {
      resources: cluster({
        brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } },
      }),
      offender: "events",
    },
  },
});

policyCases("msk-unauthenticated-access-disabled", {
  compliant: {
    "IAM client authentication": cluster(),
    "SCRAM client authentication": cluster({ clientAuthentication: { sasl: { scram: true } } }),
  },
  violations: {
    "unauthenticated access on": {
      resources: cluster({ clientAuthentication: { sasl: { iam: true }, unauthenticated: true } }),
      offender: "events",
      says: /unauthenticated/,
    },
    "no client authentication at all": {
      resources: cluster({ clientAuthentication: {} }),
      offender: "events",
      says: /no client authentication/,
    },
  },
});

policyCases("msk-multi-az", {
  compliant: {
    "brokers in three AZs": cluster(),
    "brokers in two AZs when the stack's config asks for two": {
      resources: cluster({ brokerNodeGroupInfo: { clientSubnets: SUBNETS.slice(0, 2) } }),
      config: { "msk-multi-az": { minimumZones: 2 } },
    },
  },
  violations: {
    "brokers in two AZs": {
      resources: cluster({ brokerNodeGroupInfo: { clientSubnets: SUBNETS.slice(0, 2) } }),
      offender: "events",
      says: /2 Availability Zone/,
    },
  },
});
