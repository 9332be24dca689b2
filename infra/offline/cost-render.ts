import type { UsageSettings } from "../settings/usage";
import { Estimate, fmtUsd } from "./cost-model";

/** How an estimate is shown: a terminal report, Markdown for a pull request, and a cost diff. */

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

const usageRows = (usage: UsageSettings) =>
  Object.entries(usage).map(
    ([k, v]) => `loglake:usage.${k} = ${typeof v === "number" ? v.toLocaleString("en-US") : v}`,
  );

/** Which of the prices an estimate used no public page confirmed (README: "Prices"). */
export const unverifiedWarning = (e: Estimate) =>
  `${e.unverified.length} of the ${e.priceRowsUsed.length} prices used in ${e.region} are unverified (no public page confirmed them; check them against their AWS page): ${e.unverified.join(", ")}`;

export function renderText(e: Estimate, options: { lines?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`Monthly cost of stack ${e.stack} in ${e.region} (prices of ${e.priceDate}, USD)`);
  out.push("");
  out.push(`${pad("", 64)}${lpad("month 1", 12)}${lpad("steady", 12)}`);
  for (const c of e.components) {
    out.push(`${pad(c.component, 64)}${lpad(fmtUsd(c.month1), 12)}${lpad(fmtUsd(c.steady), 12)}`);
    for (const r of e.resources.filter((x) => x.component === c.component).sort((a, b) => b.steady - a.steady)) {
      const label = `  ${r.name} (${r.type.split(":").pop()})`;
      out.push(`${pad(label, 64)}${lpad(fmtUsd(r.month1), 12)}${lpad(fmtUsd(r.steady), 12)}`);
      if (options.lines)
        for (const l of r.lines)
          out.push(`${pad(`      ${l.what}`, 64)}${lpad(fmtUsd(l.month1), 12)}${lpad(fmtUsd(l.steady), 12)}`);
    }
  }
  out.push(`${pad("TOTAL", 64)}${lpad(fmtUsd(e.total.month1), 12)}${lpad(fmtUsd(e.total.steady), 12)}`);
  out.push("");
  out.push("Usage (stack config, loglake:usage.*):");
  for (const row of usageRows(e.usage)) out.push(`  ${row}`);
  out.push("Assumptions:");
  for (const a of e.assumptions) out.push(`  - ${a}`);
  if (e.unverified.length > 0) out.push(unverifiedWarning(e));
  for (const u of e.unpriced)
    out.push(`WARNING: ${u.name} (${u.type}) is not priced: add it to infra/offline/cost-model.ts (priced or free)`);
  out.push(`Free: ${e.free.map((f) => `${f.count} × ${f.type.split(":")[1] || f.type}`).join(", ")}`);
  return out.join("\n");
}

export function renderMarkdown(e: Estimate): string {
  const out: string[] = [];
  out.push(`### Monthly cost of \`${e.stack}\` (${e.region}, prices of ${e.priceDate})`);
  out.push("");
  out.push("| Component | Month 1 | Steady state |");
  out.push("| :--- | ---: | ---: |");
  for (const c of e.components) out.push(`| ${c.component} | ${fmtUsd(c.month1)} | ${fmtUsd(c.steady)} |`);
  out.push(`| **Total** | **${fmtUsd(e.total.month1)}** | **${fmtUsd(e.total.steady)}** |`);
  out.push("");
  if (e.unverified.length > 0) out.push(`> ⚠️ ${unverifiedWarning(e)}`);
  for (const u of e.unpriced)
    out.push(`> ⚠️ \`${u.name}\` (\`${u.type}\`) is not priced; the estimate is short by it.`);
  out.push("");
  out.push("<details><summary>Per resource</summary>");
  out.push("");
  out.push("| Component | Resource | Type | Month 1 | Steady state |");
  out.push("| :--- | :--- | :--- | ---: | ---: |");
  for (const r of [...e.resources].sort((a, b) => b.steady - a.steady))
    out.push(`| ${r.component} | ${r.name} | ${r.type.split(":").pop()} | ${fmtUsd(r.month1)} | ${fmtUsd(r.steady)} |`);
  out.push("");
  out.push("</details>");
  out.push("");
  out.push("<details><summary>Usage and assumptions</summary>");
  out.push("");
  for (const row of usageRows(e.usage)) out.push(`- \`${row}\``);
  for (const a of e.assumptions) out.push(`- ${a}`);
  out.push("");
  out.push("</details>");
  return out.join("\n");
}

export interface CostChange {
  urn: string;
  name: string;
  type: string;
  kind: "add" | "remove" | "change";
  before: number;
  after: number;
}

export interface CostDiff {
  changes: CostChange[];
  before: number;
  after: number;
}

/** What a change adds or saves per month (steady state), per resource and in total. */
export function diffEstimates(base: Estimate, head: Estimate): CostDiff {
  const before = new Map(base.resources.map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const changes: CostChange[] = [];
  for (const [urn, r] of after) {
    const old = before.get(urn);
    if (!old) changes.push({ urn, name: r.name, type: r.type, kind: "add", before: 0, after: r.steady });
    else if (Math.abs(old.steady - r.steady) >= 0.005)
      changes.push({ urn, name: r.name, type: r.type, kind: "change", before: old.steady, after: r.steady });
  }
  for (const [urn, r] of before)
    if (!after.has(urn)) changes.push({ urn, name: r.name, type: r.type, kind: "remove", before: r.steady, after: 0 });
  changes.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
  return { changes, before: base.total.steady, after: head.total.steady };
}

const signed = (v: number) => (v >= 0 ? `+${fmtUsd(v)}` : `-${fmtUsd(-v)}`);

export function renderDiff(diff: CostDiff, markdown: boolean): string {
  const delta = diff.after - diff.before;
  const headline = `Monthly cost (steady state): ${fmtUsd(diff.before)} → ${fmtUsd(diff.after)} (${signed(delta)}/month)`;
  if (diff.changes.length === 0)
    return markdown ? `**${headline}**: no resource's cost changes.` : `${headline}: no resource's cost changes.`;
  if (!markdown) {
    return [
      headline,
      ...diff.changes.map(
        (c) =>
          `  ${c.kind === "add" ? "+" : c.kind === "remove" ? "-" : "~"} ${pad(`${c.name} (${c.type.split(":").pop()})`, 56)}${lpad(signed(c.after - c.before), 12)}`,
      ),
    ].join("\n");
  }
  return [
    `**${headline}**`,
    "",
    "| | Resource | Type | Before | After | Change |",
    "| :-: | :--- | :--- | ---: | ---: | ---: |",
    ...diff.changes.map(
      (c) =>
        `| ${c.kind === "add" ? "+" : c.kind === "remove" ? "−" : "~"} | ${c.name} | ${c.type.split(":").pop()} | ${fmtUsd(c.before)} | ${fmtUsd(c.after)} | ${signed(c.after - c.before)} |`,
    ),
  ].join("\n");
}
