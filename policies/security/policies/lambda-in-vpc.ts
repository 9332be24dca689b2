import { listOf, resourcePolicy } from "../lib/define";
import { LAMBDA_FUNCTION } from "../lib/types";

export const lambdaInVpc = resourcePolicy({
  name: "lambda-in-vpc",
  description:
    "Lambda functions run in the VPC's private subnets, so their traffic passes the VPC's endpoints, flow logs and security groups.",
  enforcementLevel: "mandatory",
  types: [LAMBDA_FUNCTION],
  check: (props, report) => {
    const vpc = props.vpcConfig as { subnetIds?: unknown; securityGroupIds?: unknown } | undefined;
    if (listOf(vpc?.subnetIds).length === 0 || listOf(vpc?.securityGroupIds).length === 0) {
      report("runs outside the VPC.", "set vpcConfig with the private subnets and a security group of its own.");
    }
  },
});
