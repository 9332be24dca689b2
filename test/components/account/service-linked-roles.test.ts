import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ServiceLinkedRoles } from "../../../components/account/service-linked-roles";
import { valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { registered } from "../../support/offline";

const SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
const autoscalingArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

describe("ServiceLinkedRoles", () => {
  it("creates Auto Scaling's role by default, retained when the stack goes (every stack's node groups use it)", async () => {
    const { resources, result } = await registered(() => new ServiceLinkedRoles("acme", {}));
    const role = resources.get(SLR, "acme-autoscaling");
    assert.equal(role.inputs.awsServiceName, "autoscaling.amazonaws.com");
    assert.equal(role.options.retainOnDelete, true);
    assert.equal(resources.ofType(SLR).length, 1);
    assert.equal(await valueOf(result.arns["autoscaling.amazonaws.com"]), autoscalingArn);
  });

  it("adopts a role the account has by importing its ARN", async () => {
    let imported: string | undefined;
    await registered(
      () =>
        new ServiceLinkedRoles(
          "acme",
          { adopt: ["autoscaling.amazonaws.com"], accountId: MOCK_ACCOUNT_ID },
          {
            transformations: [
              (args) => {
                imported = (args.opts as pulumi.CustomResourceOptions).import;
                return undefined;
              },
            ],
          },
        ),
    );
    assert.equal(imported, autoscalingArn);
  });

  it("refuses an unknown service, adopting one it does not manage, and adopting without the account id", () => {
    assert.throws(
      () => new ServiceLinkedRoles("x", { services: ["elasticmapreduce.amazonaws.com"] }),
      /services\[0\]: elasticmapreduce/,
    );
    assert.throws(
      () => new ServiceLinkedRoles("x", { adopt: ["eks.amazonaws.com"], accountId: MOCK_ACCOUNT_ID }),
      /adopt\[0\]/,
    );
    assert.throws(() => new ServiceLinkedRoles("x", { adopt: ["autoscaling.amazonaws.com"] }), /accountId: adopting/);
  });
});
