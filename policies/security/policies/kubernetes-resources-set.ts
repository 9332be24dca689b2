import { listOf } from "../lib/define";
import { Container, podPolicy } from "../lib/kubernetes";

const required = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

export const kubernetesResourcesSet = podPolicy({
  name: "kubernetes-resources-set",
  description:
    "Every container and init container requests and limits CPU and memory: without requests the scheduler and the cluster-autoscaler cannot place or size for it, and without limits one container can starve a node's other pods.",
  check: (pod, report) => {
    // Ephemeral (debug) containers may not set resources at all.
    for (const kind of ["initContainers", "containers"] as const) {
      listOf<Container>(pod[kind]).forEach((container, i) => {
        const missing = required.filter((key) => {
          const [group, resource] = key.split(".") as ["requests" | "limits", string];
          return container.resources?.[group]?.[resource] === undefined;
        });
        const where = `${kind}[${i}]${container.name ? ` (${container.name})` : ""}`;
        if (missing.length > 0)
          report(
            `${where} sets no ${missing.join(", ")}.`,
            `set resources.${missing.join(", resources.")} on ${where}.`,
          );
      });
    }
  },
});
