import * as assert from "node:assert/strict";
import { deployerAdminProblem } from "../../../components/compute/eks-rules";

describe("EKS rules", () => {
  describe("an admin access entry for the role that deploys the cluster", () => {
    const session = (role: string, account = "123456789012") =>
      `arn:aws:sts::${account}:assumed-role/${role}/pulumi-1732190000`;

    it("is refused, path or not, since EKS already made that role's entry", () => {
      for (const admin of [
        "arn:aws:iam::123456789012:role/deployer",
        "arn:aws:iam::123456789012:role/ci/pipelines/deployer",
      ]) {
        assert.match(
          deployerAdminProblem(session("deployer"), admin) ?? "",
          /deploying the stack.*refuses a second access entry/,
          admin,
        );
      }
    });

    it("is fine for another role, the same name in another account, or a deploying IAM user", () => {
      const admin = "arn:aws:iam::123456789012:role/platform-admin";
      assert.equal(deployerAdminProblem(session("platform-admin-2"), admin), undefined);
      assert.equal(deployerAdminProblem(session("platform-admin", "210987654321"), admin), undefined);
      assert.equal(deployerAdminProblem("arn:aws:iam::123456789012:user/platform-admin", admin), undefined);
    });

    it("is recognised in other partitions", () => {
      const problem = deployerAdminProblem(
        "arn:aws-us-gov:sts::123456789012:assumed-role/deployer/s",
        "arn:aws-us-gov:iam::123456789012:role/deployer",
      );
      assert.notEqual(problem, undefined);
    });
  });
});
