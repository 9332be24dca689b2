import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BucketLifecycle } from "../../../components/storage/lifecycle";
import { awsRegions } from "../../../infra/settings/common";
import { estimateStack } from "../../../infra/offline/cost";
import {
  bucketLines,
  DAYS_PER_MONTH,
  estimate,
  Estimate,
  freeTypes,
  pricedTypes,
  releaseVolumes,
} from "../../../infra/offline/cost-model";
import { CostError, pricedRegions, pricesFor } from "../../../infra/offline/cost-prices";
import { diffEstimates, renderDiff, renderMarkdown, renderText } from "../../../infra/offline/cost-render";
import type { PlanDocument, PlanResource } from "../../../infra/offline/plan-diff";
import type { LoglakeConfig } from "../../../infra/config";

const stacks = ["dev", "prod", "dr"] as const;

describe("npm run cost", function () {
  this.timeout(180_000);
  const runs: Record<string, { estimate: Estimate; plan: PlanDocument; config: LoglakeConfig }> = {};

  before(async () => {
    for (const stack of stacks) runs[stack] = await estimateStack(stack);
  });

  it("prints each stack's monthly estimate", () => {
    for (const stack of stacks) {
      const e = runs[stack].estimate;
      console.log(
        `      ${stack} (${e.region}): month 1 $${e.total.month1.toFixed(0)}, steady state $${e.total.steady.toFixed(0)}`,
      );
      assert.ok(e.total.month1 > 0 && e.total.steady >= e.total.month1 * 0.99, stack);
    }
  });

  it("knows every resource type of the three plans as priced or free", () => {
    const known = new Set<string>([...pricedTypes, ...Object.keys(freeTypes)]);
    for (const stack of stacks) {
      const unknown = runs[stack].plan.resources
        .map((r) => r.type)
        .filter((t) => !known.has(t) && !t.startsWith("loglake:"));
      assert.deepEqual([...new Set(unknown)], [], `${stack}: types neither priced nor listed as free`);
      assert.deepEqual(runs[stack].estimate.unpriced, [], stack);
    }
  });

  it("prices every priced type from the table, in every region the stacks use, each price with a source and date", () => {
    for (const stack of stacks) {
      const prices = pricesFor(runs[stack].config.region);
      const e = estimate({ ...runs[stack], prices });
      const types = new Set(e.resources.map((r) => r.type));
      for (const type of types) assert.ok((pricedTypes as readonly string[]).includes(type), type);
      for (const key of prices.used) {
        const row = prices.row(key);
        assert.match(row.source, /^https:\/\//, key);
        assert.match(row.date, /^\d{4}-\d{2}-\d{2}$/, key);
      }
      // The resources that carry a cost all have one above zero in the stack's region.
      for (const type of [
        "aws:msk/cluster:Cluster",
        "eks:index:Cluster",
        "aws:rds/instance:Instance",
        "aws:kms/key:Key",
      ]) {
        assert.ok(
          e.resources.filter((r) => r.type === type).every((r) => r.steady > 0),
          `${stack}: ${type} priced`,
        );
      }
    }
  });

  it("has the same rows in every region's table, each with its AWS page, its date and whether a page confirmed it", () => {
    const regions = pricedRegions();
    assert.deepEqual(regions, ["eu-central-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-2"]);
    const keys = (r: string) =>
      pricesFor(r)
        .file.prices.map((p) => p.key)
        .sort();
    for (const region of regions) {
      assert.deepEqual(keys(region), keys("us-east-1"), region);
      for (const row of pricesFor(region).file.prices) {
        assert.ok(row.source.startsWith("https://aws.amazon.com/"), `${region} ${row.key}`);
        assert.ok(row.date, `${region} ${row.key}`);
        assert.ok(row.verified === false || row.verified.read, `${region} ${row.key}`);
      }
    }
  });

  it("confirms a verified row only with a page whose words state the row's figure", () => {
    // A figure is a dollar amount ("$0.045/hr", "$ 0.08/GiB", or a German page's "$0,0952": a comma after a
    // leading 0 can only be a decimal one) or a value in a quoted price map ("m6i.large": 0.096000).
    const figures = (text: string) =>
      [...text.matchAll(/(?:\$ ?|": )(0,\d+|\d+(?:\.\d+)?)/g)].map((m) => Number(m[1].replace(",", ".")));
    for (const region of pricedRegions()) {
      for (const row of pricesFor(region).file.prices) {
        if (row.verified === false) continue;
        assert.ok(
          figures(row.verified.says).some((usd) => Math.abs(usd - row.usd) <= row.usd * 1e-6),
          `${region} ${row.key}: ${row.verified.url} says "${row.verified.says}", not $${row.usd}`,
        );
      }
    }
  });

  it("lists in README, per region, exactly the rows a public page confirmed", () => {
    const readme = fs.readFileSync(path.join(__dirname, "../../../README.md"), "utf8");
    for (const region of pricedRegions()) {
      const line = readme.split("\n").find((l) => l.startsWith(`- \`${region}\` verified: `));
      assert.ok(line, `README lists no verified rows for ${region}`);
      const listed = [...line.slice(line.indexOf("verified: ")).matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
      const verified = pricesFor(region)
        .file.prices.filter((p) => p.verified !== false)
        .map((p) => p.key)
        .sort();
      assert.deepEqual(listed, verified, region);
    }
  });

  it("names the unverified prices an estimate used, in the report", () => {
    const e = runs.prod.estimate;
    const prices = pricesFor(e.region);
    assert.ok(e.unverified.length > 0);
    assert.deepEqual(
      e.unverified,
      e.priceRowsUsed.filter((k) => prices.file.prices.find((p) => p.key === k)?.verified === false),
    );
    assert.ok(!e.unverified.includes("eks.cluster"), "a confirmed row is not listed");
    assert.match(
      renderText(e),
      new RegExp(`${e.unverified.length} of the ${e.priceRowsUsed.length} prices used in eu-west-1 are unverified`),
    );
    assert.match(renderMarkdown(e), /> ⚠️ \d+ of the \d+ prices used/);
  });

  it("refuses a region it has no prices for, naming it", () => {
    const unpriced = awsRegions.filter((r) => !pricedRegions().includes(r));
    assert.ok(unpriced.includes("ap-south-1"));
    assert.throws(
      () => pricesFor("ap-south-1"),
      (err: Error) => err instanceof CostError && /region ap-south-1 is not priced/.test(err.message),
    );
  });

  it("refuses a stack in an unpriced region before planning it", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cost-")), "Pulumi.dev.yaml");
    fs.writeFileSync(
      file,
      [
        "config:",
        "  loglake:prefix: acme-dev",
        "  loglake:region: sa-east-1",
        "  loglake:tags:",
        "    owner: a",
        "    cost-center: b",
        "    data-classification: internal",
        "",
      ].join("\n"),
    );
    await assert.rejects(
      estimateStack("dev", file),
      (err: Error) => err instanceof CostError && /region sa-east-1 is not priced/.test(err.message),
    );
  });

  it("prices the monitoring release's Prometheus and Grafana volumes as gp3, and the autoscaler's release as free", () => {
    const e = runs.prod.estimate;
    const monitoring = e.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    assert.equal(monitoring.length, 1, "only the release that claims volumes is priced");
    assert.match(monitoring[0].name, /-kube-prometheus-stack$/);
    const gp3 = pricesFor(runs.prod.config.region).usd("ebs.gp3");
    assert.deepEqual(
      monitoring[0].lines.map((l) => l.what),
      ["Prometheus × 1: 100 GiB gp3 volume", "Grafana: 10 GiB gp3 volume"],
    );
    assert.ok(Math.abs(monitoring[0].steady - 110 * gp3) < 1e-9);
    assert.equal(monitoring[0].component, "workloads:Monitoring");
    assert.deepEqual(
      releaseVolumes({
        prometheus: {
          prometheusSpec: {
            replicas: 2,
            storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: "40Gi" } } } } },
          },
        },
        grafana: { persistence: { enabled: false, size: "10Gi" } },
      }),
      [{ what: "Prometheus × 2", gib: 80 }],
    );
    assert.deepEqual(releaseVolumes({ cloudProvider: "aws" }), []);
  });

  it("follows the stack's lifecycle: raw data ages into colder classes and expires", () => {
    const prices = pricesFor("eu-west-1");
    const raw = runs.prod.config.lake.buckets.raw as BucketLifecycle;
    const lines = bucketLines(
      raw,
      { gbPerDay: 1024, objectBytes: 64 * 1024 ** 2 },
      { retentionDays: 730, queryWindowDays: 30 },
      prices,
    );
    const storage = (cls: string) => lines.find((l) => l.what.startsWith(`${cls} storage`));
    // Month 1: only Standard (objects reach Standard-IA on day 30).
    assert.ok(storage("STANDARD")!.month1 > 0);
    assert.equal(storage("DEEP_ARCHIVE")!.month1, 0);
    // Steady state: 30 days in Standard, 60 in IA, 90 in Glacier IR, 550 in Deep Archive, then 60 days noncurrent.
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) / b < 0.01, `${a} vs ${b}`);
    near(storage("STANDARD")!.steady, 1024 * 30 * 0.023);
    near(storage("STANDARD_IA")!.steady, 1024 * 60 * 0.0125);
    near(storage("GLACIER_IR")!.steady, 1024 * 90 * 0.004);
    near(storage("DEEP_ARCHIVE")!.steady, 1024 * (550 + 60) * 0.00099);
    const transitions = lines.filter((l) => l.what.startsWith("transitions"));
    assert.equal(transitions.length, 3);
    near(transitions[0].steady, ((1024 * 16 * DAYS_PER_MONTH) / 1000) * 0.01);
  });

  it("bills the rest of a class's minimum duration when the lifecycle moves or expires objects sooner", () => {
    const prices = pricesFor("us-east-1");
    const flow = { gbPerDay: 100, objectBytes: 64 * 1024 ** 2 };
    const options = { retentionDays: 365, queryWindowDays: 30 };
    const minimumLines = (l: BucketLifecycle) =>
      bucketLines(l, flow, options, prices).filter((x) => x.what.includes("minimum duration"));
    // Standard-IA from day 30, Glacier IR from day 40: 10 of Standard-IA's 30 days, 20 more billed.
    const early = minimumLines({
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 40, storageClass: "GLACIER_IR" },
      ],
      expirationDays: 200,
      noncurrentTransitions: [],
      noncurrentExpirationDays: 0,
    });
    assert.equal(early.length, 1);
    assert.match(early[0].what, /^STANDARD_IA minimum duration: 10 of 30 days/);
    assert.ok(Math.abs(early[0].steady - 100 * 20 * 0.0125) < 1e-9, String(early[0].steady));
    // Cohorts leave Standard-IA at day 40, after month 1.
    assert.equal(early[0].month1, 0);
    // Glacier IR from day 0, expired at day 10: 80 of its 90 days billed, in month 1 for the cohorts of days 0-20.
    const [glacier] = minimumLines({
      transitions: [{ days: 0, storageClass: "GLACIER_IR" }],
      expirationDays: 10,
      noncurrentTransitions: [],
      noncurrentExpirationDays: 0,
    });
    assert.ok(Math.abs(glacier.steady - 100 * 80 * 0.004) < 1e-9);
    assert.ok(Math.abs(glacier.month1 - (100 * 80 * 0.004 * (DAYS_PER_MONTH - 10)) / DAYS_PER_MONTH) < 1e-9);
    // Expired 15 days into Standard-IA: 15 days billed.
    const expired = minimumLines({
      transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
      expirationDays: 45,
      noncurrentTransitions: [],
      noncurrentExpirationDays: 0,
    });
    assert.equal(expired.length, 1);
    assert.ok(Math.abs(expired[0].steady - 100 * 15 * 0.0125) < 1e-9);
    assert.ok(expired[0].month1 === 0, "no cohort reaches day 45 in month 1");
    // The shipped raw lifecycle keeps every class past its minimum; a bucket that never expires is not deleted.
    assert.deepEqual(minimumLines(runs.prod.config.lake.buckets.raw as BucketLifecycle), []);
    assert.deepEqual(
      minimumLines({
        transitions: [{ days: 300, storageClass: "DEEP_ARCHIVE" }],
        noncurrentTransitions: [],
        noncurrentExpirationDays: 0,
      }),
      [],
    );
  });

  it("prices the lake writer's reads across AZs from the ingested volume, and none where nothing is ingested", () => {
    const crossAz = (stack: string) =>
      runs[stack].estimate.resources
        .filter((r) => r.type === "aws:msk/cluster:Cluster")
        .flatMap((r) => r.lines)
        .filter((l) => l.prices.includes("transfer.interAz"));
    const [prod] = crossAz("prod");
    const gb = runs.prod.config.usage.gbIngestedPerDay * DAYS_PER_MONTH * (2 / 3);
    assert.ok(Math.abs(prod.steady - gb * 2 * pricesFor("eu-west-1").usd("transfer.interAz")) < 1e-6);
    assert.deepEqual(crossAz("dr"), []);
  });

  it("shares the interface endpoints' GB processed among them", () => {
    const { estimate: e, config } = runs.prod;
    const processed = e.resources
      .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
      .flatMap((r) => r.lines)
      .filter((l) => l.prices.includes("vpce.interface.gb"))
      .reduce((sum, l) => sum + l.steady, 0);
    const expected = config.usage.endpointGbPerDay * DAYS_PER_MONTH * pricesFor(e.region).usd("vpce.interface.gb");
    assert.ok(Math.abs(processed - expected) < 1e-6, `${processed} vs ${expected}`);
  });

  it("charges extended support as the $0.60 cluster-hour that replaces the standard $0.10", () => {
    const { plan, config } = runs.dev;
    const prices = pricesFor(config.region);
    const extended = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === "eks:index:Cluster"
          ? { ...r, inputs: { ...r.inputs, upgradePolicy: { supportType: "EXTENDED" } } }
          : r,
      ),
    };
    const cluster = estimate({ plan: extended, config, prices }).resources.find((r) => r.type === "eks:index:Cluster")!;
    assert.ok(Math.abs(cluster.steady - 730 * prices.usd("eks.extendedSupport")) < 1e-9, String(cluster.steady));
    assert.ok(Math.abs(cluster.month1 - 730 * prices.usd("eks.cluster")) < 1e-9);
  });

  it("prices ECR repositories from usage and action-enabled budgets beyond the account's first two", () => {
    const { plan, config } = runs.dev;
    const prices = pricesFor(config.region);
    const resource = (type: string, name: string, inputs: Record<string, unknown>, parent?: string): PlanResource => ({
      urn: `urn:pulumi:dev::loglake::${type}::${name}`,
      type,
      name,
      parent,
      inputs,
      options: {},
    });
    const budgets = ["a", "b", "c"].map((n) =>
      resource("aws:budgets/budget:Budget", `budget-${n}`, { name: `budget-${n}` }),
    );
    const extra = [
      resource("aws:ecr/repository:Repository", "lake-writer", { imageTagMutability: "IMMUTABLE" }),
      resource("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lake-writer", {}),
      resource("awsx:ecr:Image", "lake-writer", {}),
      ...budgets,
      resource("aws:budgets/budget:Budget", "notify-only", { name: "notify-only" }),
      ...["a", "b", "c"].map((n) =>
        resource("aws:budgets/budgetAction:BudgetAction", `action-${n}`, { budgetName: `budget-${n}` }),
      ),
    ];
    const e = estimate({ plan: { ...plan, resources: [...plan.resources, ...extra] }, config, prices });
    assert.deepEqual(e.unpriced, []);
    const cost = (name: string) => e.resources.find((r) => r.name === name)!.steady;
    assert.ok(Math.abs(cost("lake-writer") - config.usage.imageGbPerRepository * prices.usd("ecr.storage")) < 1e-9);
    assert.equal(cost("budget-a"), 0);
    assert.equal(cost("budget-b"), 0);
    assert.ok(Math.abs(cost("budget-c") - DAYS_PER_MONTH * prices.usd("budgets.actionEnabled")) < 1e-9);
    assert.equal(cost("notify-only"), 0);
    for (const free of [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      "awsx:ecr:Image",
      "aws:budgets/budgetAction:BudgetAction",
    ])
      assert.ok(
        e.free.some((f) => f.type === free),
        free,
      );
  });

  it("a change that removes resources shows what it saves, as text and Markdown", () => {
    const { plan, config } = runs.prod;
    const prices = pricesFor(config.region);
    const head = estimate({ plan, config, prices });
    const smaller = { ...plan, resources: plan.resources.filter((r) => r.type !== "aws:ec2/vpcEndpoint:VpcEndpoint") };
    const diff = diffEstimates(head, estimate({ plan: smaller, config, prices }));
    assert.ok(diff.after < diff.before);
    assert.ok(diff.changes.every((c) => c.kind === "remove" && c.type === "aws:ec2/vpcEndpoint:VpcEndpoint"));
    assert.match(renderDiff(diff, false), /Monthly cost \(steady state\): .* \(-\$\d+/);
    assert.match(renderDiff(diff, true), /\| − \| loglake-sts \| VpcEndpoint \|/);
    assert.match(renderDiff(diffEstimates(head, head), true), /no resource's cost changes/);
  });

  it("prints components, resources, usage and assumptions", () => {
    const e = runs.dev.estimate;
    const text = renderText(e);
    assert.match(text, /storage:DataLake/);
    assert.match(text, /loglake:usage\.gbIngestedPerDay = 20/);
    assert.match(text, /Assumptions:/);
    assert.match(renderMarkdown(e), /\| \*\*Total\*\* \|/);
    assert.ok(JSON.parse(JSON.stringify(e)).resources.length > 10);
  });
});
