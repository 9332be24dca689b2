import * as assert from "node:assert/strict";
import { pricesFor } from "../../../infra/offline/cost-prices";
import { differs, renderScenarios, scenarios } from "../../../infra/offline/cost-scenarios";

/**
 * The design documents' figures beside loglake's estimate of the same scenario. The estimates are
 * held here: a price or lifecycle change that moves one fails this test, and the new figure (and
 * docs-cost.md's table) is then updated on purpose.
 */
const held: Record<string, number> = {
  "msk-architecture": 513,
  "ndjson-emr-compute": 9_086,
  "ndjson-s3-storage": 481_989,
  "tiered-storage": 32_479,
  "matano-10x-storage": 4_239,
};

describe("cost: the design documents' scenarios", () => {
  const list = scenarios();

  it("prints each scenario's estimate beside the document's figure", () => {
    console.log(
      renderScenarios(list)
        .split("\n")
        .map((l) => `      ${l}`)
        .join("\n"),
    );
    assert.deepEqual(list.map((s) => s.id).sort(), Object.keys(held).sort());
  });

  it("holds every estimate within 1% of the recorded figure", () => {
    for (const s of list) {
      assert.ok(
        Math.abs(s.estimateUsd - held[s.id]) / held[s.id] < 0.01,
        `${s.id}: ${s.estimateUsd.toFixed(0)} (held ${held[s.id]})`,
      );
    }
  });

  it("names the prices no public page confirmed that each estimate multiplies", () => {
    const prices = pricesFor("us-east-1");
    for (const s of list) {
      const used = [...new Set(s.lines.flatMap((l) => l.prices))];
      const unconfirmed = used.filter((k) => prices.file.prices.find((p) => p.key === k)?.verified === false).sort();
      assert.deepEqual(s.unverified, unconfirmed, s.id);
    }
    assert.ok(list.some((s) => s.unverified.length > 0));
    assert.match(renderScenarios(list), /unverified prices used: msk\.broker\.kafka\.m5\.large\n/);
    assert.match(renderScenarios(list, true), /\| Unverified prices used \|/);
  });

  it("explains every difference of more than 20%", () => {
    for (const s of list) {
      if (differs(s)) {
        assert.ok(s.explanation.length > 80 && !s.explanation.startsWith("Within 20%"), s.id);
      } else {
        assert.match(s.explanation, /^Within 20%/, s.id);
      }
    }
  });
});
