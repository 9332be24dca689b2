import { policyCases } from "../../support";

const fn = (props: Record<string, unknown>) => [{ type: "aws:lambda/function:Function", name: "builder", props }];

policyCases("lambda-in-vpc", {
  compliant: {
    "a function in private subnets with its own security group": fn({
      vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
    }),
  },
  violations: {
    "a function outside the VPC": { resources: fn({}), offender: "builder" },
    "a function with subnets but no security group": {
      resources: fn({ vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: [] } }),
      offender: "builder",
    },
  },
});
