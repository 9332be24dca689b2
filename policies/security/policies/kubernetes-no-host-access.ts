import { listOf } from "../lib/define";
import { PodSpec, podPolicy } from "../lib/kubernetes";

const namespaces = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const kubernetesNoHostAccess = podPolicy({
  name: "kubernetes-no-host-access",
  description:
    "Pods share none of the node's namespaces (hostNetwork, hostPID, hostIPC) and mount no hostPath volume: each exposes the node, its other pods or, on the host network, the instance metadata credentials.",
  check: (pod, report) => {
    const shared = namespaces.filter((key) => pod[key] === true);
    if (shared.length > 0)
      report(`shares the node's ${shared.join(", ")}.`, `remove ${shared.join(", ")} from the pod spec.`);
    for (const volume of listOf<NonNullable<PodSpec["volumes"]>[number]>(pod.volumes)) {
      if (volume.hostPath)
        report(
          `mounts the node's ${volume.hostPath.path ?? "filesystem"} (hostPath volume ${volume.name ?? "(unnamed)"}).`,
          "use an emptyDir, a projected or a persistent volume instead of hostPath.",
        );
    }
  },
});
