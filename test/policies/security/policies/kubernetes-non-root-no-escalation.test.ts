import { policyCases } from "../../support";
import { container, deployment, workloadKinds } from "../support";

const { runAsNonRoot: _nonRoot, ...withoutNonRoot } = container().securityContext;

policyCases("kubernetes-non-root-no-escalation", {
  compliant: {
    "runAsNonRoot in the container and the pod": deployment(),
    "runAsNonRoot only in the pod's securityContext": deployment({ securityContext: withoutNonRoot }),
    "a non-zero runAsUser only in the container": deployment(
      { securityContext: { ...withoutNonRoot, runAsUser: 1000 } },
      { securityContext: {} },
    ),
    ...Object.fromEntries(Object.entries(workloadKinds()).map(([kind, resources]) => [`a ${kind}`, resources])),
  },
  violations: {
    "runAsUser 0 in the container, whatever the pod says": {
      resources: deployment({ securityContext: { ...container().securityContext, runAsUser: 0 } }),
      offender: "lake-writer",
      says: /runs as root/,
    },
    "runAsUser 0 in the pod": {
      resources: deployment({ securityContext: withoutNonRoot }, { securityContext: { runAsUser: 0 } }),
      offender: "lake-writer",
      says: /runs as root/,
    },
    "no user setting anywhere (the image's user, often root)": {
      resources: deployment({ securityContext: withoutNonRoot }, { securityContext: {} }),
      offender: "lake-writer",
      says: /may run as root/,
    },
    "allowPrivilegeEscalation left unset": {
      resources: deployment({ securityContext: { runAsNonRoot: true } }),
      offender: "lake-writer",
      says: /allowPrivilegeEscalation/,
    },
    "an init container that may escalate": {
      resources: deployment(
        {},
        { initContainers: [container({ name: "setup", securityContext: { allowPrivilegeEscalation: true } })] },
      ),
      offender: "lake-writer",
      says: /initContainers\[0\] \(setup\)/,
    },
    "a Job whose container may escalate": {
      resources: workloadKinds({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: true } }).Job,
      offender: "schema",
    },
  },
});
