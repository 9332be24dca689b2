import { policyCases } from "../../support";
import { container, deployment, workloadKinds } from "../support";

const requestsOnly = { resources: { requests: { cpu: "100m", memory: "128Mi" } } };

policyCases("kubernetes-resources-set", {
  compliant: {
    "CPU and memory requested and limited": deployment(),
    "an ephemeral debug container, which may not set resources": deployment(
      {},
      { ephemeralContainers: [{ name: "debug", image: "busybox:1.36.1" }] },
    ),
    ...Object.fromEntries(Object.entries(workloadKinds()).map(([kind, resources]) => [`a ${kind}`, resources])),
  },
  violations: {
    "no resources at all": {
      resources: deployment({ resources: undefined }),
      offender: "lake-writer",
      says: /requests\.cpu/,
    },
    "requests without limits": {
      resources: deployment(requestsOnly),
      offender: "lake-writer",
      says: /limits\.cpu, limits\.memory/,
    },
    "limits without a memory request": {
      resources: deployment({ resources: { requests: { cpu: "100m" }, limits: { cpu: "1", memory: "1Gi" } } }),
      offender: "lake-writer",
      says: /requests\.memory/,
    },
    "an init container without resources": {
      resources: deployment({}, { initContainers: [container({ name: "schema", resources: {} })] }),
      offender: "lake-writer",
      says: /initContainers\[0\] \(schema\)/,
    },
    "a StatefulSet without limits": { resources: workloadKinds(requestsOnly).StatefulSet, offender: "store" },
  },
});
