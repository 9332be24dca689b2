import * as assert from "node:assert/strict";
import { ConfigError, LoglakeConfig, loglakeKeys, parseConfig } from "../../infra/config";
import { readStackFile, shippedStacks } from "../../infra/offline/stack-file";

const shipped = (stack: string): LoglakeConfig => parseConfig(stack, loglakeKeys(readStackFile(stack).config));

const minimal = {
  prefix: "acme-logs",
  region: "eu-west-1",
  tags: { owner: "data", "cost-center": "cc-1", "data-classification": "internal" },
};

/** The one problem line the config refuses `raw` with. */
function refusal(raw: Record<string, unknown>, stack = "dev"): string {
  try {
    parseConfig(stack, raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.problems.join("\n");
  }
  assert.fail(`config was accepted: ${JSON.stringify(raw)}`);
}

describe("stack config", () => {
  it("ships dev, prod and dr stack files that validate", () => {
    assert.deepEqual(shippedStacks(), ["dev", "dr", "prod"]);
    for (const stack of shippedStacks()) assert.equal(shipped(stack).environment, stack);
  });

  it("gives dev two AZs, one NAT gateway, no endpoints, no replication and no protection", () => {
    const dev = shipped("dev");
    assert.deepEqual(
      [dev.network.mode === "create" && dev.network.azCount, dev.network.mode === "create" && dev.network.natGateways],
      [2, "single"],
    );
    assert.equal(dev.network.interfaceEndpoints, false);
    assert.equal(dev.lake.replication.enabled, false);
    assert.equal(dev.protectStatefulResources, false);
  });

  it("gives prod three AZs, NAT per AZ, endpoints, replication to the dr stack and protection", () => {
    const prod = shipped("prod");
    assert.ok(prod.network.mode === "create");
    assert.equal(prod.network.azCount, 3);
    assert.equal(prod.network.natGateways, "onePerAz");
    assert.equal(prod.network.interfaceEndpoints, true);
    assert.deepEqual(prod.lake.replication, {
      enabled: true,
      drStack: "organization/loglake/dr",
      replicationTimeControl: true,
    });
    assert.equal(prod.protectStatefulResources, true);
    assert.equal(prod.drRegion, "eu-central-1");
  });

  it("puts dr in prod's DR region, replicating nothing onwards", () => {
    const dr = shipped("dr");
    assert.equal(dr.region, shipped("prod").drRegion);
    assert.equal(dr.lake.replication.enabled, false);
    assert.equal(dr.protectStatefulResources, true);
  });

  it("tags every resource with the environment next to the required tags", () => {
    assert.deepEqual(parseConfig("dev", minimal).tags, { environment: "dev", ...minimal.tags });
  });

  it("takes the environment from the stack name, or refuses a stack that names none", () => {
    assert.equal(parseConfig("prod", { ...minimal, drRegion: "eu-central-1" }).environment, "prod");
    assert.match(refusal(minimal, "staging"), /^loglake:environment = \(not set\): must be one of dev, prod, dr/);
    assert.equal(parseConfig("staging", { ...minimal, environment: "dev" }).environment, "dev");
  });

  it("names the key, the value and what is allowed", () => {
    assert.equal(
      refusal({ ...minimal, prefix: "Acme_Logs" }),
      'loglake:prefix = "Acme_Logs": 3 to 20 characters of a-z, 0-9 and -, starting with a letter',
    );
    assert.match(
      refusal({ ...minimal, network: { azCount: 1 } }),
      /^loglake:network\.azCount = 1: Too small: expected number to be >=2$/,
    );
    assert.match(
      refusal({ ...minimal, network: { cidr: "10.0.0.0/8" } }),
      /^loglake:network\.cidr = "10\.0\.0\.0\/8": a prefix length from \/16 to \/24$/,
    );
    assert.equal(
      refusal({ ...minimal, prefix: "xn--logs" }),
      'loglake:prefix = "xn--logs": S3 refuses bucket names starting with "xn--"',
    );
    assert.equal(
      refusal({ ...minimal, network: { cidr: "10.0.1.0/16" } }),
      'loglake:network.cidr = "10.0.1.0/16": has host bits set; EC2 refuses it: use 10.0.0.0/16',
    );
    assert.equal(
      refusal({ ...minimal, network: { cidr: "10.300.0.0/16" } }),
      'loglake:network.cidr = "10.300.0.0/16": is not an IPv4 CIDR block such as 10.0.0.0/16',
    );
    assert.match(
      refusal({ ...minimal, region: "mars-1" }),
      /^loglake:region = "mars-1": Invalid option: expected one of "us-east-1"/,
    );
  });

  it("refuses settings it does not know, so a typo is not silently ignored", () => {
    assert.equal(refusal({ ...minimal, netwrok: {} }), "loglake:netwrok = {}: not a setting loglake knows");
    assert.equal(
      refusal({ ...minimal, keys: { deletionWindow: 7 } }),
      "loglake:keys.deletionWindow = 7: not a setting loglake knows",
    );
  });

  it("refuses lifecycle rules S3 would refuse, at the offending transition", () => {
    const problems = refusal({
      ...minimal,
      lake: { buckets: { raw: { transitions: [{ days: 20, storageClass: "STANDARD_IA" }] } } },
    });
    assert.match(
      problems,
      /^loglake:lake\.buckets\.raw\.transitions\[0\] = \{"days":20,"storageClass":"STANDARD_IA"\}: .*30/m,
    );
  });

  it("refuses replication without a DR region or without a target", () => {
    assert.match(
      refusal({ ...minimal, lake: { replication: { enabled: true, drStack: "o/loglake/dr" } } }),
      /loglake:lake\.replication\.enabled = true: replication needs loglake:drRegion/,
    );
    assert.match(
      refusal({ ...minimal, drRegion: "eu-central-1", lake: { replication: { enabled: true } } }),
      /loglake:lake\.replication = .*: replication needs exactly one of drStack or targets/,
    );
    assert.match(
      refusal({ ...minimal, drRegion: "eu-west-1" }),
      /loglake:drRegion = "eu-west-1": the DR region must differ/,
    );
  });

  it("takes an existing VPC with only the settings both network modes share", () => {
    const config = parseConfig("prod", {
      ...minimal,
      drRegion: "eu-central-1",
      network: {
        mode: "existing",
        vpcId: "vpc-0abc12345def67890",
        privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222", "subnet-0ccc3333"],
      },
    });
    assert.deepEqual(config.network, {
      mode: "existing",
      vpcId: "vpc-0abc12345def67890",
      privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222", "subnet-0ccc3333"],
      interfaceEndpoints: true,
      flowLogRetentionDays: 365,
    });
    assert.match(
      refusal({
        ...minimal,
        network: { mode: "existing", vpcId: "vpc-0abc12345def67890", privateSubnetIds: ["subnet-0aaa1111"] },
      }),
      /loglake:network\.privateSubnetIds = \["subnet-0aaa1111"\]: at least two private subnets/,
    );
    assert.match(
      refusal({
        ...minimal,
        network: {
          mode: "existing",
          vpcId: "vpc-0abc12345def67890",
          privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
          cidr: "10.0.0.0/16",
        },
      }),
      /loglake:network\.cidr = "10\.0\.0\.0\/16": not a setting loglake knows/,
    );
  });

  it("checks settings against each other: prod's three brokers need three AZs", () => {
    assert.match(
      refusal(
        {
          ...minimal,
          drRegion: "eu-central-1",
          network: {
            mode: "existing",
            vpcId: "vpc-0abc12345def67890",
            privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
          },
        },
        "prod",
      ),
      /^loglake:kafka\.brokers = 3: 3 brokers cannot be spread evenly over 2 AZs/,
    );
    assert.doesNotMatch(
      refusal({ ...minimal, network: { azCount: 1 } }),
      /kafka/,
      "no follow-on problems from an invalid AZ count",
    );
  });

  it("lists every problem at once", () => {
    const problems = refusal({ ...minimal, prefix: "X", region: "nowhere", keys: { deletionWindowDays: 3 } }).split(
      "\n",
    );
    assert.equal(problems.length, 3, problems.join("\n"));
  });
});
