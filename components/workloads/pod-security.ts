import type { ServiceAccountRef } from "../compute/policies";
import { hostBitsProblem, parseIpv4Cidr } from "../shared/cidr";
import type { Problem } from "../shared/problems";

/**
 * What every loglake workload's pods share: the security contexts Pod Security Admission's
 * `restricted` profile requires (and then some), the IRSA annotation, Kubernetes name rules and
 * container requests and limits.
 */

/** A Kubernetes object name that must be a DNS label (namespaces, service accounts). */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** What is wrong with a service account reference: its namespace and name must be DNS labels. */
export function serviceAccountProblems(account: ServiceAccountRef, path: string[] = ["serviceAccount"]): Problem[] {
  return (["namespace", "name"] as const)
    .filter((key) => !dnsLabelPattern.test(account[key]))
    .map((key) => ({ path: [...path, key], message: `"${account[key]}": a Kubernetes name (lowercase DNS label)` }));
}

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
/** The metadata service and other link-local addresses: IRSA replaces the node's credentials. */
export const linkLocalCidr = "169.254.0.0/16";

/**
 * Egress on 443 to the AWS APIs (S3, STS, ...). A NetworkPolicy cannot name hosts or prefix lists, and
 * S3 through a gateway endpoint (or NAT) is reached at S3's public addresses, so `cidrs` is 0.0.0.0/0
 * (minus link-local) unless every API the pods call is an interface endpoint inside the VPC.
 */
export function awsApiEgressRule(cidrs: string[]) {
  return {
    to: cidrs.map((cidr) => ({ ipBlock: { cidr, ...(cidr === "0.0.0.0/0" ? { except: [linkLocalCidr] } : {}) } })),
    ports: [{ protocol: "TCP", port: 443 }],
  };
}

/** What is wrong with a list of `awsApiEgressRule` blocks; `needs` says what the workload calls there. */
export function awsApiCidrsProblems(cidrs: string[], needs: string): Problem[] {
  if (cidrs.length === 0) return [{ path: ["awsApiCidrs"], message: `at least one block: ${needs}` }];
  return cidrs.flatMap((cidr, i) => {
    const block = parseIpv4Cidr(cidr);
    const problem = block ? hostBitsProblem(block) : "an IPv4 CIDR block such as 10.0.0.0/16";
    return problem ? [{ path: ["awsApiCidrs", i], message: `"${cidr}": ${problem}` }] : [];
  });
}

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

/** Requests and limits of one container, as Kubernetes quantities ("250m", "512Mi"). */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** The quantities loglake writes: a decimal number with no suffix, or m, Ki, Mi or Gi. */
export const quantityPattern = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/;
const quantityFactors: Record<string, number> = { "": 1, m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** A quantity's value in cores or bytes; undefined for anything `quantityPattern` does not take. */
function quantityValue(quantity: string | undefined): number | undefined {
  const match = quantity === undefined ? null : quantityPattern.exec(quantity);
  return match ? Number(match[1]) * quantityFactors[match[2] ?? ""] : undefined;
}

/** What is wrong with a container's requests and limits: each must be a quantity, no request above its limit. */
export function containerResourcesProblems(resources: ContainerResources, path: string[] = ["resources"]): Problem[] {
  const problems: Problem[] = [];
  for (const resource of ["cpu", "memory"] as const) {
    const values = (["requests", "limits"] as const).map((kind) => {
      const quantity = resources[kind]?.[resource];
      const value = quantityValue(quantity);
      if (value === undefined)
        problems.push({
          path: [...path, kind, resource],
          message: "a Kubernetes quantity such as 100m or 300Mi",
        });
      return value;
    });
    const [request, limit] = values;
    if (request !== undefined && limit !== undefined && request > limit)
      problems.push({
        path: [...path, "requests", resource],
        message: `above its limit (${resources.limits[resource]}); the API server refuses such a pod`,
      });
  }
  return problems;
}
