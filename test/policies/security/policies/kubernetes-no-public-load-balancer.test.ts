import { policyCases } from "../../support";
import { TestResource } from "../../support";

const service = (spec: Record<string, unknown>, annotations?: Record<string, string>): TestResource[] => [
  {
    type: "kubernetes:core/v1:Service",
    name: "grafana",
    props: {
      metadata: { name: "grafana", namespace: "monitoring", ...(annotations ? { annotations } : {}) },
      spec: { selector: { app: "grafana" }, ports: [{ port: 80, targetPort: 3000 }], ...spec },
    },
  },
];
const lb = { type: "LoadBalancer" };

policyCases("kubernetes-no-public-load-balancer", {
  compliant: {
    "a ClusterIP Service": service({ type: "ClusterIP" }),
    "a Service of the default type": service({}),
    "an internal load balancer (AWS Load Balancer Controller)": service(lb, {
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    }),
    "an internal load balancer (in-tree cloud provider)": service(lb, {
      "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    }),
  },
  violations: {
    "a LoadBalancer without annotations": { resources: service(lb), offender: "grafana", says: /internet-facing/ },
    "an internet-facing scheme": {
      resources: service(lb, { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }),
      offender: "grafana",
      says: /asks for an internet-facing/,
    },
    "an internet-facing scheme that overrides the in-tree internal flag": {
      resources: service(lb, {
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
      }),
      offender: "grafana",
    },
  },
});
