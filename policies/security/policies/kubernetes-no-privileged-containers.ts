import { containersOf, podPolicy } from "../lib/kubernetes";

export const kubernetesNoPrivilegedContainers = podPolicy({
  name: "kubernetes-no-privileged-containers",
  description:
    "No container runs privileged: a privileged container has every capability and the node's devices, so escaping to the node (and its IAM role) is one step away.",
  check: (pod, report) => {
    for (const { where, container } of containersOf(pod)) {
      if (container.securityContext?.privileged === true)
        report(`${where} runs privileged.`, `remove securityContext.privileged (or set it to false) on ${where}.`);
    }
  },
});
