import { testAccount } from "../../support/account";
import * as assert from "node:assert/strict";
import {
  computeArgs,
  computeDefaults,
  computeProblems,
  computeSchema,
  ComputeSettings,
} from "../../../infra/settings/compute";
import { Environment, environments } from "../../../infra/settings/common";

const defaults = (environment: Environment) => computeDefaults[environment] as ComputeSettings;

/** The section for `environment` with `change` applied over its defaults (one level deep, like a stack file would). */
function section(environment: Environment, change: Partial<Record<keyof ComputeSettings, unknown>> = {}): unknown {
  const base = defaults(environment);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const current = (base as Record<string, unknown>)[key];
    merged[key] =
      current &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      value &&
      typeof value === "object" &&
      !Array.isArray(value)
        ? { ...current, ...value }
        : value;
  }
  return merged;
}

/** The messages the schema refuses `value` with, as "path: message" lines. */
function refusals(value: unknown): string[] {
  const result = computeSchema.safeParse(value);
  assert.ok(!result.success, `accepted: ${JSON.stringify(value)}`);
  return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

function assertRefused(value: unknown, path: string, message: RegExp): void {
  const lines = refusals(value);
  assert.ok(
    lines.some((line) => line.startsWith(`${path}:`) && message.test(line)),
    `expected a refusal of ${path} matching ${message}, got:\n  ${lines.join("\n  ")}`,
  );
}

const parsed = (value: unknown): ComputeSettings => computeSchema.parse(value);

describe("compute settings", () => {
  it("accepts every environment's defaults, with no environment problem", () => {
    for (const environment of environments) {
      const compute = parsed(section(environment));
      assert.deepEqual(computeProblems({ environment, compute }), [], `${environment} defaults have problems`);
    }
  });

  it("keeps the API private, logs api, audit and authenticator, and stays on standard support by default", () => {
    for (const environment of environments) {
      const compute = parsed(section(environment));
      assert.deepEqual(compute.publicAccessCidrs, [], environment);
      assert.deepEqual(compute.controlPlaneLogTypes, ["api", "audit", "authenticator"], environment);
      assert.equal(compute.supportType, "STANDARD", environment);
      assert.equal(compute.nodeSsmAccess, false, environment);
    }
  });

  it("gives dev one or two burstable system nodes and at most 4 Spark nodes, without deletion protection", () => {
    const dev = parsed(section("dev"));
    assert.deepEqual(dev.system, { instanceType: "t3.large", minSize: 1, maxSize: 2, rootVolumeSizeGiB: 50 });
    assert.equal(dev.spark.maxSize, 4);
    assert.equal(dev.deletionProtection, false);
  });

  it("gives prod 2 to 6 m6i.xlarge system nodes, 50 Spark nodes, a year of control-plane logs and deletion protection", () => {
    const prod = parsed(section("prod"));
    assert.deepEqual(prod.system, { instanceType: "m6i.xlarge", minSize: 2, maxSize: 6, rootVolumeSizeGiB: 50 });
    assert.equal(prod.spark.maxSize, 50);
    assert.deepEqual(prod.spark.instanceTypes, ["m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge", "m7i.2xlarge"]);
    assert.equal(prod.controlPlaneLogRetentionDays, 365);
    assert.equal(prod.deletionProtection, true);
  });

  it("keeps dr a smaller standby that config scales up", () => {
    const dr = parsed(section("dr"));
    assert.equal(dr.system.minSize, 2);
    assert.ok(dr.spark.maxSize < parsed(section("prod")).spark.maxSize);
    const scaled = parsed(
      section("dr", { spark: { maxSize: 50 }, system: { instanceType: "m6i.xlarge", maxSize: 6 } }),
    );
    assert.equal(scaled.spark.maxSize, 50);
    assert.deepEqual(computeProblems({ environment: "dr", compute: scaled }), []);
  });

  describe("Kubernetes version", () => {
    it("refuses a version EKS does not offer", () => {
      for (const version of ["1.29", "1.99", "1.36.2", "latest"]) {
        assertRefused(
          section("dev", { kubernetesVersion: version }),
          "kubernetesVersion",
          /EKS offers Kubernetes 1\.36, 1\.35/,
        );
      }
    });

    it("refuses a version in (or past) extended support with supportType STANDARD", () => {
      assertRefused(
        section("dev", { kubernetesVersion: "1.31", supportType: "STANDARD" }),
        "kubernetesVersion",
        /1\.31/,
      );
    });

    it("refuses a support type EKS does not have", () => {
      assertRefused(section("dev", { supportType: "LTS" }), "supportType", /STANDARD|EXTENDED/);
    });
  });

  describe("public endpoint", () => {
    it("accepts an explicit allow-list in dev", () => {
      const compute = parsed(section("dev", { publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }));
      assert.deepEqual(computeProblems({ environment: "dev", compute }), []);
    });

    for (const cidr of ["0.0.0.0/0", "::/0"]) {
      it(`refuses ${cidr}`, () => {
        assertRefused(
          section("dev", { publicAccessCidrs: ["203.0.113.0/24", cidr] }),
          "publicAccessCidrs.1",
          /whole internet/,
        );
      });
    }

    it("refuses something that is not an IPv4 CIDR block", () => {
      assertRefused(section("dev", { publicAccessCidrs: ["203.0.113.0"] }), "publicAccessCidrs.0", /IPv4 CIDR/);
    });

    for (const environment of ["prod", "dr"] as const) {
      it(`refuses any public endpoint in ${environment}`, () => {
        const compute = parsed(section(environment, { publicAccessCidrs: ["203.0.113.0/24"] }));
        const problems = computeProblems({ environment, compute });
        assert.deepEqual(
          problems.map((p) => p.path),
          [["compute", "publicAccessCidrs"]],
        );
        assert.match(problems[0].message, /private/);
      });
    }
  });

  it("refuses prod with a single system node", () => {
    const compute = parsed(section("prod", { system: { minSize: 1 } }));
    assert.deepEqual(
      computeProblems({ environment: "prod", compute }).map((p) => p.path),
      [["compute", "system", "minSize"]],
    );
  });

  it("refuses a system pool without nodes or with maxSize below minSize", () => {
    assertRefused(section("dev", { system: { minSize: 0 } }), "system.minSize", /at least 1/);
    assertRefused(section("prod", { system: { minSize: 4, maxSize: 3 } }), "system.maxSize", /at least minSize \(4\)/);
  });

  describe("Spark instance types", () => {
    it("refuses types of different shapes", () => {
      assertRefused(
        section("dev", { spark: { instanceTypes: ["m6i.2xlarge", "m6i.4xlarge"] } }),
        "spark.instanceTypes",
        /one shape/,
      );
      assertRefused(
        section("dev", { spark: { instanceTypes: ["m6i.2xlarge", "r6i.2xlarge"] } }),
        "spark.instanceTypes",
        /one shape/,
      );
    });

    it("refuses a single type (one Spot pool)", () => {
      assertRefused(
        section("dev", { spark: { instanceTypes: ["m6i.2xlarge"] } }),
        "spark.instanceTypes",
        /at least two/,
      );
    });

    it("refuses Graviton types on the x86_64 AMI and names that are no instance type", () => {
      assertRefused(
        section("dev", { spark: { instanceTypes: ["m6i.2xlarge", "m7g.2xlarge"] } }),
        "spark.instanceTypes.1",
        /Graviton/,
      );
      assertRefused(
        section("dev", { spark: { instanceTypes: ["m6i.2xlarge", "big"] } }),
        "spark.instanceTypes.1",
        /not an EC2 instance type/,
      );
    });

    it("refuses A1, the Graviton family without a g in its name, and keeps x86 GPU types like g5", () => {
      assertRefused(section("dev", { system: { instanceType: "a1.xlarge" } }), "system.instanceType", /Graviton/);
      assert.equal(
        computeSchema.safeParse(section("dev", { system: { instanceType: "g5.xlarge" } })).success,
        true,
        "g5 is x86_64",
      );
    });

    it("refuses maxSize 0", () => {
      assertRefused(section("dev", { spark: { maxSize: 0 } }), "spark.maxSize", /at least 1/);
    });

    it("refuses lake prefixes that are not plain key prefixes ending in /", () => {
      for (const prefix of ["/warehouse/", "warehouse", "ware*/", "a//b/"]) {
        assertRefused(section("dev", { spark: { lakePrefixes: [prefix] } }), "spark.lakePrefixes.0", /key prefix/);
      }
    });
  });

  it("refuses control-plane logs without audit, and unknown log types", () => {
    assertRefused(
      section("dev", { controlPlaneLogTypes: ["api", "authenticator"] }),
      "controlPlaneLogTypes",
      /must include audit/,
    );
    assertRefused(
      section("dev", { controlPlaneLogTypes: ["api", "audit", "authenticator", "kubelet"] }),
      "controlPlaneLogTypes.3",
      /.+/,
    );
  });

  it("refuses a retention CloudWatch Logs does not offer", () => {
    assertRefused(section("dev", { controlPlaneLogRetentionDays: 45 }), "controlPlaneLogRetentionDays", /retention/);
  });

  it("takes an IAM role as admin principal, not a user", () => {
    const arn = "arn:aws:iam::123456789012:role/platform-admin";
    assert.equal(parsed(section("prod", { adminPrincipalArn: arn })).adminPrincipalArn, arn);
    assertRefused(
      section("prod", { adminPrincipalArn: "arn:aws:iam::123456789012:user/alice" }),
      "adminPrincipalArn",
      /IAM role ARN/,
    );
  });

  it("refuses settings it does not know", () => {
    const lines = refusals({ ...(section("dev") as object), endpointPublicAccess: true });
    assert.ok(
      lines.some((line) => /endpointPublicAccess|Unrecognized/.test(line)),
      lines.join("\n"),
    );
  });

  it("maps the section and the other components' outputs to ComputeCluster args", () => {
    const compute = parsed(section("prod", { adminPrincipalArn: "arn:aws:iam::123456789012:role/platform-admin" }));
    const deps = {
      vpcId: "vpc-1",
      privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      clusterSecretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secrets",
      nodeVolumesKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/node-volumes",
      logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
      lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
      rawBucketArn: "arn:aws:s3:::acme-raw",
      lakeBucketArn: "arn:aws:s3:::acme-lake",
      account: testAccount,
    };
    const args = computeArgs({ prefix: "acme", environment: "prod", compute }, deps);
    assert.equal(args.clusterName, "acme-eks");
    assert.equal(args.secretsKmsKeyArn, deps.clusterSecretsKeyArn);
    assert.equal(args.logsKmsKeyArn, deps.logsKeyArn);
    assert.deepEqual(args.storage, {
      rawBucketArn: deps.rawBucketArn,
      lakeBucketArn: deps.lakeBucketArn,
      lakeKeyArn: deps.lakeKeyArn,
      lakePrefixes: ["warehouse/"],
      rawPrefix: "raw/",
    });
    assert.deepEqual(args.system, compute.system);
    assert.deepEqual(args.spark, { instanceTypes: compute.spark.instanceTypes, maxSize: 50, rootVolumeSizeGiB: 200 });
    assert.equal(args.adminPrincipalArn, compute.adminPrincipalArn);
    assert.equal(args.deletionProtection, true);
    assert.equal(
      args.createAutoscalingServiceLinkedRole,
      false,
      "the service-linked role exists in any account that had an auto scaling group",
    );
    const fresh = computeArgs(
      { prefix: "acme", environment: "prod", compute: { ...compute, createAutoscalingServiceLinkedRole: true } },
      deps,
    );
    assert.equal(fresh.createAutoscalingServiceLinkedRole, true);
  });
});
