/**
 * What every loglake workload's pods share: the security contexts Pod Security Admission's
 * `restricted` profile requires (and then some), the IRSA annotation and Kubernetes name rules.
 */

import { Problem } from "../shared/problems";

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

/** A container's CPU and memory, requested and limited. */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** CPU and memory quantities as loglake writes them: 100m, 2, 300Mi, 1.5Gi. */
const quantityPattern = /^\d+(\.\d+)?(m|Ki|Mi|Gi)?$/;

/** Each request or limit that is missing or no Kubernetes quantity, under `path`. */
export function containerResourcesProblems(
  resources: Partial<Record<"requests" | "limits", Partial<Record<"cpu" | "memory", string>>>>,
  path: (string | number)[],
): Problem[] {
  return (["requests", "limits"] as const).flatMap((kind) =>
    (["cpu", "memory"] as const).flatMap((resource) => {
      const value = resources[kind]?.[resource];
      return value !== undefined && quantityPattern.test(value)
        ? []
        : [
            {
              path: [...path, kind, resource],
              message: `${JSON.stringify(value)}: a Kubernetes quantity such as 100m or 300Mi`,
            },
          ];
    }),
  );
}
