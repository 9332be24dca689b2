import * as fs from "node:fs";
import { Command } from "commander";
import { ConfigError, LoglakeConfig, loglakeKeys, parseConfig } from "../config";
import { estimate, Estimate } from "./cost-model";
import { CostError, pricesFor } from "./cost-prices";
import { renderScenarios, scenarios } from "./cost-scenarios";
import { diffEstimates, renderDiff, renderMarkdown, renderText } from "./cost-render";
import { PlanDocument, PlanFileError, readPlanDocument } from "./plan-diff";
import { planDocument } from "./render";
import { planStack } from "./stack";
import { readStackFile } from "./stack-file";

/**
 * `npm run cost -- [stack] [--json file] [--markdown] [--diff old.json] [--lines]`: plans the stack
 * offline, prices every resource from infra/offline/prices/<region>.json and the stack's
 * `loglake:usage.*`, and prints the monthly cost per component and resource (month 1 and steady
 * state). `--diff` prices an earlier plan JSON with the same usage and prints what changes.
 */

/** Plans a stack offline and estimates it; exported for the tests. */
export async function estimateStack(
  stack: string,
  stackFile?: string,
): Promise<{ estimate: Estimate; plan: PlanDocument; config: LoglakeConfig }> {
  const config = parseConfig(stack, loglakeKeys(readStackFile(stack, stackFile).config));
  // Refuse an unpriced region before the (seconds-long) plan runs.
  const prices = pricesFor(config.region);
  const run = await planStack(stack, stackFile);
  const plan = JSON.parse(JSON.stringify(planDocument(stack, run.resources))) as PlanDocument;
  return { estimate: estimate({ plan, config, prices }), plan, config };
}

async function main(): Promise<void> {
  const program = new Command()
    .name("cost")
    .description("Estimate the monthly AWS cost of a loglake stack from its offline plan")
    .argument("[stack]", "stack name (stacks/Pulumi.<stack>.yaml)", "dev")
    .option("--stack-file <file>", "read the stack's config from <file> instead of stacks/Pulumi.<stack>.yaml")
    .option("--json <file>", "write the estimate as JSON to <file> ('-' for stdout)")
    .option("--markdown", "print Markdown (a pull-request comment)")
    .option("--lines", "print every priced dimension of every resource")
    .option("--scenarios", "print the design documents' scenarios re-priced by loglake (us-east-1)")
    .option(
      "--diff <file>",
      "print what the stack costs more or less than the plan JSON in <file> (npm run plan -- --json)",
    )
    .parse();
  const stack = program.args[0] ?? "dev";
  const opts = program.opts<{
    stackFile?: string;
    json?: string;
    markdown?: boolean;
    lines?: boolean;
    diff?: string;
    scenarios?: boolean;
  }>();
  if (opts.scenarios) {
    console.log(renderScenarios(scenarios(), opts.markdown === true));
    return;
  }
  const base = opts.diff ? readPlanDocument(opts.diff) : undefined;
  const { estimate: head, config } = await estimateStack(stack, opts.stackFile);
  if (opts.json) {
    const text = JSON.stringify(head, null, 2) + "\n";
    if (opts.json === "-") {
      process.stdout.write(text);
      return;
    }
    fs.writeFileSync(opts.json, text);
    console.error(`estimate of stack ${stack} written to ${opts.json}`);
    if (!base) return;
  }
  if (base) {
    const before = estimate({ plan: base, config, prices: pricesFor(config.region) });
    console.log(renderDiff(diffEstimates(before, head), opts.markdown === true));
    return;
  }
  console.log(opts.markdown ? renderMarkdown(head) : renderText(head, { lines: opts.lines }));
}

if (require.main === module) {
  main().catch((err) => {
    const known = err instanceof ConfigError || err instanceof PlanFileError || err instanceof CostError;
    console.error(known ? err.message : (err?.stack ?? String(err)));
    process.exit(1);
  });
}
