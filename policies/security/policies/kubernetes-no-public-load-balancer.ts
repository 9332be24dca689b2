import { resourcePolicy } from "../lib/define";
import { K8S_SERVICE } from "../lib/kubernetes";

/** The AWS Load Balancer Controller's scheme annotation, and the in-tree cloud provider's internal flag. */
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

export const kubernetesNoPublicLoadBalancer = resourcePolicy({
  name: "kubernetes-no-public-load-balancer",
  description:
    'A Service of type LoadBalancer gets an internal load balancer (annotation aws-load-balancer-scheme: internal, or aws-load-balancer-internal: "true"): otherwise AWS creates an internet-facing one in the public subnets.',
  enforcementLevel: "mandatory",
  types: [K8S_SERVICE],
  check: (props, report) => {
    const spec = props.spec as { type?: string } | undefined;
    if (spec?.type !== "LoadBalancer") return;
    const annotations = (props.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
    const scheme = annotations[SCHEME];
    const internal = scheme === "internal" || (scheme === undefined && annotations[INTERNAL] === "true");
    if (!internal)
      report(
        scheme === "internet-facing"
          ? "asks for an internet-facing load balancer."
          : "gets an internet-facing load balancer (no internal scheme annotation).",
        `annotate it ${SCHEME}: internal, or use a ClusterIP Service reached from inside the VPC.`,
      );
  },
});
