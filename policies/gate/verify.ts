import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { ConfigError } from "../../infra/config";
import { bootstrapPlanName, planBootstrap } from "../../infra/offline/bootstrap";
import { planStack } from "../../infra/offline/stack";
import { PolicyAnalyzer } from "./analyzer";
import { evaluate, renderVerdict, Verdict } from "./gate";
import { PackConfigError, PackConfigFile, resolvePackConfig } from "./pack-config";
import { fromOfflineRun, fromResourceList, fromStackExport, GateResource } from "./resources";

/**
 * `npm run verify -- [stacks...]`: the offline policy gate. Plans each stack with the offline engine
 * (or reads a state export or a resource list), starts the policy pack as the Pulumi CLI does and
 * prints its verdict. Exit code 1 when any mandatory policy is violated.
 */

// The account bootstrap is planned and checked like a stack (config.bootstrap.json is its pack config).
const SHIPPED_STACKS = ["dev", "prod", "dr", bootstrapPlanName];
const DEFAULT_PACK = path.join(__dirname, "..", "security");

interface Options {
  json?: boolean;
  state?: string;
  resources?: string;
  policyPackConfig?: string;
  pack: string;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));

/** The stack's shipped pack config (policies/security/config.<stack>.json), unless one is given. */
function packConfigFor(options: Options, stack?: string): PackConfigFile {
  if (options.policyPackConfig) return readJson(options.policyPackConfig) as PackConfigFile;
  const shipped = stack && path.join(options.pack, `config.${stack}.json`);
  return shipped && fs.existsSync(shipped) ? (readJson(shipped) as PackConfigFile) : {};
}

async function main(): Promise<number> {
  const program = new Command()
    .name("verify")
    .description(
      "Check loglake stacks against the loglake-security policy pack, offline, through the Pulumi analyzer protocol",
    )
    .argument("[stacks...]", `stacks to plan and check (default: ${SHIPPED_STACKS.join(", ")})`)
    .option("--json", "print machine-readable results")
    .option("--state <file>", "check a `pulumi stack export` document instead of planning")
    .option("--resources <file>", 'check a JSON array of { "type", "name", "props" } instead of planning')
    .option("--policy-pack-config <file>", "pack config (default for a stack: policies/security/config.<stack>.json)")
    .option("--pack <dir>", "policy pack directory", DEFAULT_PACK)
    .parse();
  const options = program.opts<Options>();
  const documents: { name: string; load: () => Promise<GateResource[]> }[] = [
    ...(options.state ? [{ name: options.state, load: async () => fromStackExport(readJson(options.state!)) }] : []),
    ...(options.resources
      ? [{ name: options.resources, load: async () => fromResourceList(readJson(options.resources!)) }]
      : []),
  ];
  // With --state or --resources, a stack argument only picks the pack config of that stack.
  const targets: { name: string; stack?: string; load: () => Promise<GateResource[]> }[] =
    documents.length > 0
      ? documents.map((d) => ({ ...d, stack: program.args[0] }))
      : (program.args.length > 0 ? program.args : SHIPPED_STACKS).map((stack) => ({
          name: `stack ${stack}`,
          stack,
          load: async () =>
            fromOfflineRun((stack === bootstrapPlanName ? await planBootstrap() : await planStack(stack)).resources),
        }));

  // The pack type-checks itself while it starts (as under the Pulumi CLI); plan meanwhile.
  const starting = PolicyAnalyzer.start(options.pack);
  try {
    const verdicts: Verdict[] = [];
    for (const target of targets) {
      const resources = await target.load();
      const analyzer = await starting;
      const pack = await analyzer.info();
      const settings = resolvePackConfig(pack, packConfigFor(options, target.stack));
      const verdict = await evaluate(analyzer, pack, { name: target.name, stack: target.stack, resources, settings });
      verdicts.push(verdict);
      if (!options.json) console.log(renderVerdict(verdict) + "\n");
    }
    if (options.json) console.log(JSON.stringify({ pack: verdicts[0]?.pack, verdicts }, null, 2));
    const blocked = verdicts.filter((v) => v.mandatory > 0);
    if (!options.json)
      console.log(
        blocked.length > 0 ? `Blocked: ${blocked.map((v) => v.target).join(", ")}.` : "No mandatory policy violations.",
      );
    return blocked.length > 0 ? 1 : 0;
  } finally {
    await starting.then(
      (analyzer) => analyzer.close(),
      () => undefined,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(
      err instanceof ConfigError || err instanceof PackConfigError ? err.message : (err?.stack ?? String(err)),
    );
    process.exit(2);
  },
);
