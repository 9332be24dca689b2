import { policyCases } from "../../support";
import { deployment, workloadKinds } from "../support";

const image = (ref: string) => ({ image: ref });
const digest = "sha256:" + "a1".repeat(32);

policyCases("kubernetes-image-pinned", {
  compliant: {
    "an ECR image under its content-hash tag": deployment(),
    "a version tag": deployment(image("apache/hive:4.0.1")),
    "a digest": deployment(image(`quay.io/prometheus/node-exporter@${digest}`)),
    "a registry with a port and a tag": deployment(image("registry.internal:5000/loglake/sink:1.4.0")),
    "an image not known until it is pushed": deployment(image("[unknown]")),
    ...Object.fromEntries(Object.entries(workloadKinds()).map(([kind, resources]) => [`a ${kind}`, resources])),
  },
  violations: {
    "no tag": { resources: deployment(image("busybox")), offender: "lake-writer", says: /has no tag/ },
    ":latest": { resources: deployment(image("grafana/grafana:latest")), offender: "lake-writer", says: /:latest/ },
    "a registry port but no tag": {
      resources: deployment(image("registry.internal:5000/loglake/sink")),
      offender: "lake-writer",
      says: /has no tag/,
    },
    "an init container on :latest": {
      resources: deployment({}, { initContainers: [{ name: "wait", image: "busybox:latest" }] }),
      offender: "lake-writer",
      says: /initContainers\[0\] \(wait\)/,
    },
    "a CronJob without a tag": { resources: workloadKinds(image("postgres")).CronJob, offender: "compact" },
  },
});
