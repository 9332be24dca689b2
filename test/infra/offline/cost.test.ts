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
import type { PlanDocument } from "../../../infra/offline/plan-diff";
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

  it("has the same rows in every region's table, each with its source and date", () => {
    const regions = pricedRegions();
    assert.deepEqual(regions, ["eu-central-1", "eu-west-1", "us-east-1"]);
    const keys = (r: string) =>
      pricesFor(r)
        .file.prices.map((p) => p.key)
        .sort();
    for (const region of regions) {
      assert.deepEqual(keys(region), keys("us-east-1"), region);
      for (const row of pricesFor(region).file.prices) {
        assert.ok(row.source.startsWith("https://aws.amazon.com/"), `${region} ${row.key}`);
        assert.ok(row.date, `${region} ${row.key}`);
      }
    }
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
