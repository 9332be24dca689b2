import * as fs from "node:fs";
import { Command } from "commander";
import { ConfigError } from "../config";
import { planStack } from "./stack";
import { planDocument, renderTree } from "./render";

/**
 * `npm run plan -- [stack] [--json file]`: the real program under the offline engine. Prints the
 * resource tree with the settings a reviewer checks (encryption, public access, lifecycle,
 * replication), or writes every registration as JSON.
 */

async function main(): Promise<void> {
  const program = new Command()
    .name("plan")
    .description("Run the loglake program offline for a stack and show what it would create")
    .argument("[stack]", "stack name (stacks/Pulumi.<stack>.yaml)", "dev")
    .option("--json <file>", "write every registered resource as JSON to <file>")
    .option("--stack-file <file>", "read the stack's config from <file> instead of stacks/Pulumi.<stack>.yaml")
    .parse();
  const stack = program.args[0] ?? "dev";
  const { json, stackFile } = program.opts<{ json?: string; stackFile?: string }>();
  const run = await planStack(stack, stackFile);
  if (json) {
    fs.writeFileSync(json, JSON.stringify(planDocument(stack, run.resources), null, 2) + "\n");
    console.log(`${run.resources.length} resources of stack ${stack} written to ${json}`);
    return;
  }
  console.log(renderTree(run.resources));
  console.log(
    `\n${run.resources.length} resources would be registered in stack ${stack} (offline plan: nothing was deployed).`,
  );
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : (err?.stack ?? String(err)));
  process.exit(1);
});
