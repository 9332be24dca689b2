import { isTrue, resourcePolicy } from "../lib/define";
import { MSK_CLUSTER } from "../lib/types";

export const mskUnauthenticatedAccessDisabled = resourcePolicy({
  name: "msk-unauthenticated-access-disabled",
  description: "MSK clusters authenticate every client (IAM, SCRAM or mutual TLS) and refuse unauthenticated ones.",
  enforcementLevel: "mandatory",
  types: [MSK_CLUSTER],
  check: (props, report) => {
    const auth = props.clientAuthentication;
    const fix = "set clientAuthentication.sasl.iam: true and clientAuthentication.unauthenticated: false.";
    if (isTrue(auth?.unauthenticated)) {
      report("allows unauthenticated clients.", fix);
    } else if (!(
      isTrue(auth?.sasl?.iam) ||
      isTrue(auth?.sasl?.scram) ||
      auth?.tls?.certificateAuthorityArns?.length > 0
    )) {
      // Without any client authentication MSK lets every client in.
      report("has no client authentication, so every client that reaches a broker is let in.", fix);
    }
  },
});
