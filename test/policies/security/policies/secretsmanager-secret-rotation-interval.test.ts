import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { check, PACK_DIR, policyCases, TestResource } from "../../support";

const POLICY = "secretsmanager-secret-rotation-interval";
const stackConfig = (stack: string) => JSON.parse(fs.readFileSync(path.join(PACK_DIR, `config.${stack}.json`), "utf8"));

const rotation = (rotationRules: Record<string, unknown>): TestResource[] => [
  {
    type: "aws:secretsmanager/secretRotation:SecretRotation",
    name: "hive-rotation",
    props: { secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hive", rotationRules },
  },
];

policyCases("secretsmanager-secret-rotation-interval", {
  compliant: {
    "every 30 days, as the metastore rotates": rotation({ automaticallyAfterDays: 30 }),
    "exactly 90 days": rotation({ automaticallyAfterDays: 90 }),
    'a "rate(7 days)" schedule': rotation({ scheduleExpression: "rate(7 days)" }),
    "a cron schedule (no interval to judge)": rotation({ scheduleExpression: "cron(0 4 1 * ? *)" }),
    "120 days where the stack allows it": {
      resources: rotation({ automaticallyAfterDays: 120 }),
      config: { [POLICY]: { maximumDays: 180 } },
    },
  },
  violations: {
    "every 91 days": {
      resources: rotation({ automaticallyAfterDays: 91 }),
      offender: "hive-rotation",
      says: /every 91 days, more than 90/,
    },
    'a "rate(365 days)" schedule in prod': {
      resources: rotation({ scheduleExpression: "rate(365 days)" }),
      offender: "hive-rotation",
      config: stackConfig("prod"),
      says: /every 365 days/,
    },
    "every 180 days in dr": {
      resources: rotation({ automaticallyAfterDays: 180 }),
      offender: "hive-rotation",
      config: stackConfig("dr"),
    },
  },
});

describe(`${POLICY} per stack`, () => {
  it("is advisory in dev: a long rotation is reported but does not block", async () => {
    const verdict = await check(rotation({ automaticallyAfterDays: 365 }), stackConfig("dev"));
    const found = verdict.findings.filter((f) => f.policy === POLICY);
    assert.equal(found.length, 1, JSON.stringify(verdict.findings));
    assert.equal(found[0].enforcementLevel, "advisory");
    assert.match(found[0].message, /"hive-rotation": rotates the secret every 365 days/);
  });
});
