import { policyCases } from "../../support";
import { container, deployment, workloadKinds } from "../support";

const privileged = { securityContext: { ...container().securityContext, privileged: true } };

policyCases("kubernetes-no-privileged-containers", {
  compliant: {
    "a Deployment whose containers are not privileged": deployment(),
    "privileged: false said outright": deployment({
      securityContext: { ...container().securityContext, privileged: false },
    }),
    ...Object.fromEntries(Object.entries(workloadKinds()).map(([kind, resources]) => [`a ${kind}`, resources])),
  },
  violations: {
    "a privileged container in a Deployment": {
      resources: deployment(privileged),
      offender: "lake-writer",
      says: /\(app\)/,
    },
    "a privileged init container": {
      resources: deployment({}, { initContainers: [container({ name: "setup", ...privileged })] }),
      offender: "lake-writer",
      says: /initContainers\[0\] \(setup\)/,
    },
    ...Object.fromEntries(
      Object.entries(workloadKinds(privileged)).map(([kind, resources]) => [
        `a privileged container in a ${kind}`,
        { resources, offender: resources[0].name },
      ]),
    ),
  },
});
