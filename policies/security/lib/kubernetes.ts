import { ResourceValidationPolicy } from "@pulumi/policy";
import { listOf, Props, Report, resourcePolicy } from "./define";

/**
 * The Kubernetes workloads the pack can see: objects the program registers with @pulumi/kubernetes.
 * What a Helm release renders (`kubernetes:helm.sh/v3:Release`, the v4 Chart) exists only inside
 * the release and never reaches a policy, so its values are the chart's responsibility and the
 * component's tests.
 */
export const K8S_POD = "kubernetes:core/v1:Pod";
export const K8S_DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const K8S_DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
export const K8S_STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const K8S_REPLICA_SET = "kubernetes:apps/v1:ReplicaSet";
export const K8S_JOB = "kubernetes:batch/v1:Job";
export const K8S_CRON_JOB = "kubernetes:batch/v1:CronJob";
export const K8S_SERVICE = "kubernetes:core/v1:Service";
export const K8S_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
export const K8S_CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

/** Every type that carries a pod spec, directly or in a template. */
export const K8S_WORKLOADS = [
  K8S_POD,
  K8S_DEPLOYMENT,
  K8S_DAEMON_SET,
  K8S_STATEFUL_SET,
  K8S_REPLICA_SET,
  K8S_JOB,
  K8S_CRON_JOB,
];

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

export interface Container {
  name?: string;
  image?: string;
  securityContext?: SecurityContext;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  volumes?: { name?: string; hostPath?: { path?: string } }[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

type Spec = { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } & PodSpec;

/** The pod spec of a workload: a Pod's own spec, a template's, or a CronJob's job template's. */
export function podSpecOf(type: string, props: Props): PodSpec | undefined {
  const spec = props.spec as Spec | undefined;
  if (!spec) return undefined;
  if (type === K8S_POD) return spec;
  if (type === K8S_CRON_JOB) return spec.jobTemplate?.spec?.template?.spec;
  return spec.template?.spec;
}

/** Every container of the pod, init and ephemeral ones included, each with where it sits. */
export function containersOf(pod: PodSpec): { where: string; container: Container }[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((kind) =>
    listOf<Container>(pod[kind]).map((container, i) => ({
      where: `${kind}[${i}]${container.name ? ` (${container.name})` : ""}`,
      container,
    })),
  );
}

/** A container's setting, or the pod's where the container leaves it unset (Kubernetes's precedence). */
export function effective<K extends "runAsNonRoot" | "runAsUser">(
  pod: PodSpec,
  container: Container,
  key: K,
): SecurityContext[K] {
  return container.securityContext?.[key] ?? pod.securityContext?.[key];
}

/** A policy over the pod spec of every workload type, mandatory unless a stack's config says otherwise. */
export function podPolicy(meta: {
  name: string;
  description: string;
  check: (pod: PodSpec, report: Report) => void;
}): ResourceValidationPolicy {
  return resourcePolicy({
    name: meta.name,
    description: meta.description,
    enforcementLevel: "mandatory",
    types: K8S_WORKLOADS,
    check: (props, report, _config, args) => {
      const pod = podSpecOf(args.type, props);
      if (pod) meta.check(pod, report);
    },
  });
}
