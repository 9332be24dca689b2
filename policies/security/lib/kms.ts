import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy } from "./define";

/**
 * The shape shared by services whose only encryption setting is "which KMS key": unset means an
 * AWS-owned or AWS-managed key, which a key policy cannot restrict.
 */
export function kmsKeyPolicy(spec: {
  name: string;
  service: string;
  type: string;
  keyInput: string;
  awsManagedAlias?: string;
}): ResourceValidationPolicy {
  return resourcePolicy({
    name: spec.name,
    description: `${spec.service} are encrypted with a customer-managed KMS key.`,
    enforcementLevel: "mandatory",
    types: [spec.type],
    check: (props, report) => {
      const key = props[spec.keyInput];
      const fix = `set ${spec.keyInput} to a customer-managed key ARN.`;
      if (!key) report("is not encrypted with a customer-managed KMS key.", fix);
      else if (spec.awsManagedAlias && String(key).endsWith(spec.awsManagedAlias))
        report(`uses the AWS-managed ${spec.awsManagedAlias} key.`, fix);
    },
  });
}
