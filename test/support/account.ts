import type { AwsAccount } from "../../components/security/account";

/** The account the offline mocks answer with, for args built without the Pulumi runtime. */
export const testAccount: AwsAccount = {
  accountId: "123456789012",
  callerArn: "arn:aws:iam::123456789012:user/offline-plan",
  partition: "aws",
  dnsSuffix: "amazonaws.com",
  reverseDnsPrefix: "com.amazonaws",
  region: "eu-west-1",
};
