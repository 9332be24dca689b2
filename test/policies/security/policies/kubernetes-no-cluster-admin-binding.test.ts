import { policyCases } from "../../support";
import { TestResource } from "../../support";

const binding = (type: "RoleBinding" | "ClusterRoleBinding", roleRef: Record<string, string>): TestResource[] => [
  {
    type: `kubernetes:rbac.authorization.k8s.io/v1:${type}`,
    name: "ops",
    props: {
      metadata: { name: "ops", ...(type === "RoleBinding" ? { namespace: "loglake" } : {}) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
      subjects: [{ kind: "ServiceAccount", name: "lake-writer", namespace: "loglake" }],
    },
  },
];

policyCases("kubernetes-no-cluster-admin-binding", {
  compliant: {
    "a ClusterRoleBinding to a narrow ClusterRole": binding("ClusterRoleBinding", {
      kind: "ClusterRole",
      name: "view",
    }),
    "a RoleBinding to a Role that happens to be called cluster-admin": binding("RoleBinding", {
      kind: "Role",
      name: "cluster-admin",
    }),
  },
  violations: {
    "a ClusterRoleBinding to cluster-admin": {
      resources: binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }),
      offender: "ops",
    },
    "a RoleBinding to cluster-admin (admin over the namespace)": {
      resources: binding("RoleBinding", { kind: "ClusterRole", name: "cluster-admin" }),
      offender: "ops",
    },
  },
});
