import * as assert from "node:assert/strict";
import { bootstrapProject, parseBootstrapConfig } from "../../../infra/bootstrap/config";
import { namespacedKeys } from "../../../infra/config";
import { bootstrapStackFile } from "../../../infra/offline/bootstrap";
import { readStackFile } from "../../../infra/offline/stack-file";

const tags = { owner: "o", environment: "account", "cost-center": "c", "data-classification": "internal" };
const minimal = { accountId: "012345678901", region: "eu-west-1", tags, github: { repository: "acme/lake" } };

describe("bootstrap config", () => {
  it("accepts the shipped stack file, the account id as Pulumi hands it over", () => {
    const config = parseBootstrapConfig(
      namespacedKeys(readStackFile("account", bootstrapStackFile).config, bootstrapProject),
    );
    assert.equal(config.accountId, "123456789012");
    assert.equal(config.github.repository, "acme/loglake");
  });

  it("defaults to the loglake prefix, the shipped stacks, production, main and 90 days of old states", () => {
    const config = parseBootstrapConfig(minimal);
    assert.equal(config.prefix, "loglake");
    assert.deepEqual(config.stackPrefixes, ["loglake", "loglake-dev", "loglake-dr"]);
    assert.deepEqual(config.github, {
      repository: "acme/lake",
      deployEnvironment: "production",
      previewBranch: "main",
      createOidcProvider: true,
    });
    assert.deepEqual(config.state, { noncurrentVersionExpirationDays: 90, noncurrentVersionsKept: 10 });
    assert.deepEqual(config.serviceLinkedRoles, { adopt: [] });
  });

  it("refuses a bad account id, a stack prefix outside the prefix and an unknown key, naming each", () => {
    assert.throws(
      () =>
        parseBootstrapConfig({
          ...minimal,
          accountId: "12",
          stackPrefixes: ["other"],
          github: { repository: "a/b", x: 1 },
        }),
      (err: Error) => {
        assert.match(err.message, /loglake-bootstrap:accountId = "12": 12 digits/);
        assert.match(err.message, /loglake-bootstrap:stackPrefixes\[0\] = "other": must start with prefix loglake/);
        assert.match(err.message, /loglake-bootstrap:github\.x = 1: not a setting loglake-bootstrap knows/);
        return true;
      },
    );
  });

  it("adopts only service-linked roles it manages", () => {
    assert.deepEqual(
      parseBootstrapConfig({ ...minimal, serviceLinkedRoles: { adopt: ["autoscaling.amazonaws.com"] } })
        .serviceLinkedRoles.adopt,
      ["autoscaling.amazonaws.com"],
    );
    assert.throws(
      () => parseBootstrapConfig({ ...minimal, serviceLinkedRoles: { adopt: ["eks.amazonaws.com"] } }),
      /adopt\[0\]/,
    );
  });
});
