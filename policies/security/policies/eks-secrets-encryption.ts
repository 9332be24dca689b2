import { listOf, resourcePolicy } from "../lib/define";
import { EKS_CLUSTER, EKS_COMPONENT_CLUSTER } from "../lib/types";

export const eksSecretsEncryption = resourcePolicy({
  name: "eks-secrets-encryption",
  description: "EKS clusters encrypt Kubernetes secrets with a customer-managed KMS key (envelope encryption).",
  enforcementLevel: "mandatory",
  types: [EKS_CLUSTER, EKS_COMPONENT_CLUSTER],
  check: (props, report) => {
    const encrypted =
      props.encryptionConfigKeyArn ||
      listOf<{ resources?: unknown; provider?: { keyArn?: string } }>(props.encryptionConfig).some(
        (c) => listOf(c.resources).includes("secrets") && c.provider?.keyArn,
      );
    if (!encrypted) {
      report(
        "stores Kubernetes secrets without KMS envelope encryption.",
        'set encryptionConfigKeyArn (eks.Cluster) or encryptionConfig { provider.keyArn, resources: ["secrets"] } (aws.eks.Cluster) to a customer-managed key.',
      );
    }
  },
});
