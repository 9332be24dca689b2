import * as fs from "node:fs";
import { Command } from "commander";
import { ConfigError } from "../config";
import { planStack } from "./stack";
import { bootstrapPlanName, planBootstrap } from "./bootstrap";
import { planDocument, renderTree } from "./render";
import {
  documentedOrder,
  documentedSequence,
  renderSimulation,
  simulateFreshAccount,
  simulationPassed,
} from "./fresh-account";
import { diffPlans, PlanFileError, readPlanDocument, renderDiffMarkdown, renderDiffText } from "./plan-diff";

/**
 * `npm run plan -- [stack] [--json file] [--diff old.json [--markdown]]`: the real program under the
 * offline engine. Prints the resource tree with the settings a reviewer checks (encryption, public
 * access, lifecycle, replication), or writes every registration as JSON, or prints what changed
 * since an older plan JSON (plan-diff.ts), for a terminal or as Markdown.
 */

async function main(): Promise<void> {
  const program = new Command()
    .name("plan")
    .description("Run the loglake program offline for a stack and show what it would create")
    .argument(
      "[stack]",
      `stack name (stacks/Pulumi.<stack>.yaml), or ${bootstrapPlanName} for the account bootstrap (infra/bootstrap)`,
      "dev",
    )
    .option("--json <file>", "write every registered resource as JSON to <file>")
    .option("--stack-file <file>", "read the stack's config from <file> instead of stacks/Pulumi.<stack>.yaml")
    .option("--diff <file>", "print what changed since the plan JSON in <file> (an earlier --json)")
    .option("--markdown", "with --diff: print the diff as Markdown (a pull-request comment)")
    .option("--fresh-account", "plan every stack in the deploy order into an empty simulated account")
    .option(
      "--order <stacks>",
      `with --fresh-account: another order to try, comma-separated stack names (${bootstrapPlanName}: the account bootstrap), each deployed with its stack file's config as is (default: README's sequence ${documentedOrder.join(",")}, with the config each step sets)`,
    )
    .parse();
  const stack = program.args[0] ?? "dev";
  const { json, stackFile, diff, markdown, freshAccount, order } = program.opts<{
    json?: string;
    stackFile?: string;
    diff?: string;
    markdown?: boolean;
    freshAccount?: boolean;
    order?: string;
  }>();
  if (freshAccount) {
    const steps = order
      ? order
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : documentedSequence;
    const results = await simulateFreshAccount(steps);
    console.log(renderSimulation(results, steps));
    if (!simulationPassed(results, steps)) process.exitCode = 1;
    return;
  }
  if (markdown && !diff) program.error("--markdown needs --diff <old plan JSON>");
  // Read the old plan first: a wrong path fails before the (seconds-long) plan runs.
  const base = diff ? readPlanDocument(diff) : undefined;
  const run = stack === bootstrapPlanName ? await planBootstrap(stackFile) : await planStack(stack, stackFile);
  const doc = planDocument(stack, run.resources);
  if (json) {
    fs.writeFileSync(json, JSON.stringify(doc, null, 2) + "\n");
    // With --diff, stdout is the diff alone (it is piped into a file or a PR comment).
    (base ? console.error : console.log)(`${run.resources.length} resources of stack ${stack} written to ${json}`);
  }
  if (base) {
    // Through JSON, as the old plan was: the diff compares like with like (no undefined members).
    const changes = diffPlans(base, JSON.parse(JSON.stringify(doc)));
    console.log(markdown ? renderDiffMarkdown(changes) : renderDiffText(changes, { color: process.stdout.isTTY }));
    return;
  }
  if (json) return;
  console.log(renderTree(run.resources));
  console.log(
    `\n${run.resources.length} resources would be registered in stack ${stack} (offline plan: nothing was deployed).`,
  );
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof PlanFileError ? err.message : (err?.stack ?? String(err)));
  process.exit(1);
});
