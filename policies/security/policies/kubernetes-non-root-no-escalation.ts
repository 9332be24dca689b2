import { containersOf, effective, podPolicy } from "../lib/kubernetes";

export const kubernetesNonRootNoEscalation = podPolicy({
  name: "kubernetes-non-root-no-escalation",
  description:
    "Every container runs as a non-root user (runAsNonRoot: true or a non-zero runAsUser, in the container or the pod, never runAsUser 0) and sets allowPrivilegeEscalation: false, as Pod Security Admission's restricted profile requires.",
  check: (pod, report) => {
    for (const { where, container } of containersOf(pod)) {
      const user = effective(pod, container, "runAsUser");
      if (user === 0) {
        report(`${where} runs as root (runAsUser: 0).`, `set runAsUser to a non-zero id and runAsNonRoot: true.`);
      } else if (effective(pod, container, "runAsNonRoot") !== true && user === undefined) {
        report(
          `${where} may run as root: neither runAsNonRoot nor runAsUser is set.`,
          "set runAsNonRoot: true (and a non-zero runAsUser) in the pod's or the container's securityContext.",
        );
      }
      if (container.securityContext?.allowPrivilegeEscalation !== false)
        report(
          `${where} may gain privileges (allowPrivilegeEscalation is not false).`,
          `set securityContext.allowPrivilegeEscalation: false on ${where}.`,
        );
    }
  },
});
