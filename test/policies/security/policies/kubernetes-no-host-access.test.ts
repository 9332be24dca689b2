import { policyCases } from "../../support";
import { deployment, workloadKinds } from "../support";

policyCases("kubernetes-no-host-access", {
  compliant: {
    "a Deployment with its own namespaces and only emptyDir volumes": deployment(
      {},
      { volumes: [{ name: "tmp", emptyDir: {} }] },
    ),
    "host namespaces said false outright": deployment({}, { hostNetwork: false, hostPID: false, hostIPC: false }),
  },
  violations: {
    "the host network": {
      resources: deployment({}, { hostNetwork: true }),
      offender: "lake-writer",
      says: /hostNetwork/,
    },
    "the host PID namespace": {
      resources: deployment({}, { hostPID: true }),
      offender: "lake-writer",
      says: /hostPID/,
    },
    "the host IPC namespace": {
      resources: deployment({}, { hostIPC: true }),
      offender: "lake-writer",
      says: /hostIPC/,
    },
    "a hostPath volume": {
      resources: deployment({}, { volumes: [{ name: "root", hostPath: { path: "/" } }] }),
      offender: "lake-writer",
      says: /hostPath volume root/,
    },
    "a DaemonSet on the host network (a node agent)": {
      resources: workloadKinds({}, { hostNetwork: true, hostPID: true }).DaemonSet,
      offender: "agent",
      says: /hostNetwork, hostPID/,
    },
    "a CronJob mounting the node's disk": {
      resources: workloadKinds({}, { volumes: [{ name: "logs", hostPath: { path: "/var/log" } }] }).CronJob,
      offender: "compact",
      says: /\/var\/log/,
    },
  },
});
