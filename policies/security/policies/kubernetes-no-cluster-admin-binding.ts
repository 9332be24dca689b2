import { resourcePolicy } from "../lib/define";
import { K8S_CLUSTER_ROLE_BINDING, K8S_ROLE_BINDING } from "../lib/kubernetes";

export const kubernetesNoClusterAdminBinding = resourcePolicy({
  name: "kubernetes-no-cluster-admin-binding",
  description:
    "No RoleBinding or ClusterRoleBinding grants the cluster-admin ClusterRole: workloads get roles with the verbs and resources they use, and people get admin through EKS access entries, which CloudTrail records.",
  enforcementLevel: "mandatory",
  types: [K8S_ROLE_BINDING, K8S_CLUSTER_ROLE_BINDING],
  check: (props, report) => {
    const roleRef = props.roleRef as { kind?: string; name?: string } | undefined;
    if (roleRef?.kind === "ClusterRole" && roleRef.name === "cluster-admin")
      report(
        "binds the cluster-admin ClusterRole.",
        "bind a Role or ClusterRole limited to what the subjects use; give operators admin through an EKS access entry.",
      );
  },
});
