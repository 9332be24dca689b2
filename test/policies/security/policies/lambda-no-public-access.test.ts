import { policyCases } from "../../support";

const permission = (props: Record<string, unknown>) => [
  { type: "aws:lambda/permission:Permission", name: "invoke", props: { action: "lambda:InvokeFunction", ...props } },
];
const url = (authorizationType: string) => [
  { type: "aws:lambda/functionUrl:FunctionUrl", name: "url", props: { authorizationType } },
];

policyCases("lambda-no-public-access", {
  compliant: {
    "a service principal": permission({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::raw" }),
    "any principal, but only from one account": permission({ principal: "*", sourceAccount: "123456789012" }),
    "an IAM-authenticated function URL": url("AWS_IAM"),
  },
  violations: {
    "any principal with no source": { resources: permission({ principal: "*" }), offender: "invoke" },
    "an unauthenticated function URL": { resources: url("NONE"), offender: "url" },
  },
});
