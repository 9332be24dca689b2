import { resourcePolicy } from "../lib/define";
import { containersOf, K8S_WORKLOADS, podSpecOf } from "../lib/kubernetes";

export const kubernetesNoPrivilegedContainers = resourcePolicy({
  name: "kubernetes-no-privileged-containers",
  description:
    "No container runs privileged: a privileged container has every capability and the node's devices, so escaping to the node (and its IAM role) is one step away.",
  enforcementLevel: "mandatory",
  types: K8S_WORKLOADS,
  check: (props, report, _config, args) => {
    const pod = podSpecOf(args.type, props);
    if (!pod) return;
    for (const { where, container } of containersOf(pod)) {
      if (container.securityContext?.privileged === true)
        report(`${where} runs privileged.`, `remove securityContext.privileged (or set it to false) on ${where}.`);
    }
  },
});
