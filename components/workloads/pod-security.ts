import { Problem } from "../shared/problems";

/**
 * What every loglake workload's pods share: the security contexts Pod Security Admission's
 * `restricted` profile requires (and then some), the IRSA annotation and Kubernetes name rules.
 */

/** A Kubernetes object name that must be a DNS label (namespaces, service accounts). */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The service account annotation EKS's pod identity webhook reads to hand a pod its IAM role. */
export const irsaRoleAnnotation = "eks.amazonaws.com/role-arn";

/**
 * "nobody": a user with no files of its own. The group (fsGroup) lets it read the projected IRSA
 * token, which the kubelet otherwise gives to root only.
 */
export const nonRootId = 65534;

export const runtimeDefaultSeccomp = { type: "RuntimeDefault" } as const;

/** Pod-level security context: never root, the runtime's default seccomp profile. */
export const restrictedPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: nonRootId,
  runAsGroup: nonRootId,
  fsGroup: nonRootId,
  seccompProfile: runtimeDefaultSeccomp,
};

/** Container-level security context: read-only root filesystem, no privilege escalation, no capabilities. */
export const restrictedContainerSecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: runtimeDefaultSeccomp,
};

/** A NetworkPolicy egress rule to kube-system's CoreDNS (53 over UDP and TCP), which every pod needs. */
export const dnsEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** A container's requests and limits. */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** A Kubernetes quantity as loglake writes them: a number with an optional milli or binary suffix. */
export const quantityPattern = /^\d+(\.\d+)?(m|Ki|Mi|Gi)?$/;

/** Every request and limit must be given, as a Kubernetes quantity. */
export function containerResourcesProblems(resources: ContainerResources): Problem[] {
  const problems: Problem[] = [];
  for (const kind of ["requests", "limits"] as const) {
    for (const resource of ["cpu", "memory"] as const) {
      const value = resources[kind]?.[resource];
      if (value === undefined || !quantityPattern.test(value))
        problems.push({
          path: ["resources", kind, resource],
          message: `${JSON.stringify(value)}: a Kubernetes quantity such as 100m or 300Mi`,
        });
    }
  }
  return problems;
}

/** Pod Security Admission labels enforcing (and auditing and warning about) one profile at a pinned version. */
export function podSecurityLabels(
  level: "restricted" | "baseline" | "privileged",
  kubernetesVersion: string,
): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  return Object.fromEntries(
    (["enforce", "audit", "warn"] as const).flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, level],
      [`pod-security.kubernetes.io/${mode}-version`, version],
    ]),
  );
}
