import { policyCases } from "../../support";
import { allow, CLUSTER, managed, rolePolicy } from "../support";

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
