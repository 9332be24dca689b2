import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/**
 * The GitHub Actions workflows in .github/workflows/ are checked the way CI cannot check them by
 * running them: actionlint (syntax, expressions, action inputs, and shellcheck over every `run:`
 * step), shellcheck over the CI scripts they call, and the commands they run exist here (npm
 * scripts, .ci scripts, policy configs) for every shipped stack. The checkers are installed by
 * `.ci/bootstrap-ci-tools`.
 */

const root = path.resolve(__dirname, "..");
const workflowDir = path.join(root, ".github/workflows");
const workflowFiles = fs
  .readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  steps?: Step[];
  strategy?: { matrix?: { stack?: string[] } };
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflows = new Map(
  workflowFiles.map((f) => [f, yaml.load(fs.readFileSync(path.join(workflowDir, f), "utf8")) as Workflow]),
);
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps ?? []);
const allSteps = [...workflows.values()].flatMap(steps);
const runScripts = allSteps.map((s) => s.run).filter((r): r is string => typeof r === "string");

const shippedStacks = fs
  .readdirSync(path.join(root, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

/** A CI tool on PATH, or where `go install` put it (GOBIN, else GOPATH/bin). */
function findTool(name: string): string | undefined {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const go = spawnSync("go", ["env", "GOBIN", "GOPATH"], { encoding: "utf8" });
  if (go.status !== 0) return undefined;
  const [gobin, gopath] = go.stdout.split("\n");
  const candidate = path.join(gobin || path.join(gopath, "bin"), name);
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** The tool, or skip the test on a developer machine without it; in CI a missing tool fails. */
function requireTool(ctx: Mocha.Context, name: string): string {
  const tool = findTool(name);
  if (tool) return tool;
  if (process.env.CI) assert.fail(`${name} is not installed: run bash .ci/bootstrap-ci-tools`);
  ctx.skip();
}

describe("GitHub Actions workflows", () => {
  it("there are the pull-request, deploy and drift workflows", () => {
    for (const file of ["deploy.yml", "drift.yml", "pull-request.yml"]) assert.ok(workflowFiles.includes(file), file);
  });

  it("pass actionlint, with shellcheck over every run: step", function () {
    this.timeout(120_000);
    const actionlint = requireTool(this, "actionlint");
    const shellcheck = requireTool(this, "shellcheck");
    const result = spawnSync(actionlint, [`-shellcheck=${shellcheck}`, "-no-color", ...workflowFiles], {
      cwd: workflowDir,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, `actionlint:\n${result.stdout}${result.stderr}`);
  });

  it("actionlint does find a broken workflow (the check is not a no-op)", function () {
    this.timeout(60_000);
    const actionlint = requireTool(this, "actionlint");
    const shellcheck = requireTool(this, "shellcheck");
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $UNQUOTED\n";
    const result = spawnSync(actionlint, [`-shellcheck=${shellcheck}`, "-no-color", "-"], {
      input: broken,
      encoding: "utf8",
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /SC2086/);
  });

  it("the CI scripts the workflows run are shellcheck-clean", function () {
    const shellcheck = requireTool(this, "shellcheck");
    execFileSync(shellcheck, [".ci/bootstrap-ci-tools"], { cwd: root, encoding: "utf8" });
  });

  it("every npm script and .ci script the workflows run exists", () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const used = new Set<string>();
    for (const run of runScripts) {
      for (const m of run.matchAll(/\bnpm\s+(?:run|run-script)\s+(?:--?[\w-]+\s+)*([\w:.-]+)/g)) used.add(m[1]);
      for (const m of run.matchAll(/\bnpm\s+(test|start|stop|restart)\b/g)) used.add(m[1]);
      for (const m of run.matchAll(/\bbash\s+(\.ci\/[\w.-]+)/g)) {
        assert.ok(fs.existsSync(path.join(root, m[1])), `${m[1]} (run by a workflow) exists`);
      }
    }
    assert.ok(used.has("plan") && used.has("verify") && used.has("test"), [...used].join(", "));
    for (const script of used) assert.ok(scripts[script], `npm run ${script} is a script in package.json`);
  });

  it("plan, preview, deploy and check every shipped stack, in the documented order dr → prod → dev", () => {
    const order = ["dr", "prod", "dev"];
    assert.deepEqual([...order].sort(), shippedStacks, "the workflows know every stack in stacks/");
    const pr = workflows.get("pull-request.yml")!;
    assert.deepEqual(pr.env?.STACKS.split(" "), order);
    assert.deepEqual(pr.jobs.preview.strategy?.matrix?.stack, order);
    assert.deepEqual(workflows.get("drift.yml")!.jobs.drift.strategy?.matrix?.stack, order);
    // The second dr is the first deploy's metastore replica (README's fresh-account sequence).
    const ups = (workflows.get("deploy.yml")!.jobs.deploy.steps ?? [])
      .filter((s) => s.run?.includes("pulumi up"))
      .map((s) => s.env?.STACK);
    assert.deepEqual(ups, ["dr", "prod", "dr", "dev"]);
    for (const stack of order) {
      assert.ok(fs.existsSync(path.join(root, `policies/security/config.${stack}.json`)), `${stack}'s pack config`);
    }
  });

  it("the real previews and the deploy run only where their role is configured, through OIDC", () => {
    const guarded: [string, string, string][] = [
      ["pull-request.yml", "preview", "AWS_PREVIEW_ROLE_ARN"],
      ["drift.yml", "drift", "AWS_PREVIEW_ROLE_ARN"],
      ["deploy.yml", "deploy", "AWS_DEPLOY_ROLE_ARN"],
    ];
    for (const [file, name, variable] of guarded) {
      const job = workflows.get(file)!.jobs[name];
      assert.ok(job.if?.includes(`vars.${variable} != ''`), `${file} ${name} is skipped without ${variable}`);
      assert.equal(job.permissions?.["id-token"], "write", `${file} ${name} may request an OIDC token`);
      const aws = (job.steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      assert.equal(aws?.with?.["role-to-assume"], `\${{ vars.${variable} }}`);
    }
    assert.equal(workflows.get("deploy.yml")!.jobs.deploy.environment, "production");
    // Nothing else gets a token, and the workflows' default is read-only.
    for (const [file, w] of workflows) {
      assert.deepEqual((w as unknown as { permissions: unknown }).permissions, { contents: "read" }, file);
    }
  });

  it("previews and drift checks skip a stack not deployed yet instead of failing, and leave its drift issue alone", () => {
    const step = (file: string, job: string, run: string) =>
      (workflows.get(file)!.jobs[job].steps ?? []).find((s) => s.run?.includes(run));
    for (const [file, job] of [
      ["pull-request.yml", "preview"],
      ["drift.yml", "drift"],
    ]) {
      const preview = step(file, job, "pulumi preview")!.run!;
      const select = preview.indexOf("if ! pulumi stack select");
      const run = preview.indexOf("pulumi preview --stack");
      assert.ok(select >= 0 && select < run, `${file}: the stack is looked up first`);
      assert.doesNotMatch(preview, /stack select[^\n]*--create/, `${file}: a preview never creates a stack`);
      assert.match(preview.slice(select, run), /exit 0/);
    }
    const issue = (workflows.get("drift.yml")!.jobs.drift.steps ?? []).find((s) =>
      s.name?.startsWith("Open, update or close"),
    );
    assert.equal(issue?.if, "${{ steps.preview.outputs.state != 'undeployed' }}");
  });

  it("deploy into an account without stacks: each created with the bootstrap's secrets provider, in README's sequence", () => {
    const job = workflows.get("deploy.yml")!.jobs.deploy;
    const all = job.steps ?? [];
    const select = all.find((s) => s.run?.includes("pulumi stack select --create"));
    assert.ok(select, "a step creates the stacks that do not exist");
    assert.match(select.run!, /--secrets-provider "\$PULUMI_SECRETS_PROVIDER"/);
    assert.match(select.run!, /for stack in dr prod dev; do/);
    // An S3 backend without the provider would fall back to a passphrase: the run stops instead.
    assert.match(select.run!, /s3:\/\/\* && -z "\$PULUMI_SECRETS_PROVIDER".*\n.*::error::/);
    assert.equal(
      (job as { env?: Record<string, string> }).env?.PULUMI_SECRETS_PROVIDER,
      "${{ vars.PULUMI_SECRETS_PROVIDER }}",
    );
    const ups = all.filter((s) => s.run?.includes("pulumi up"));
    const selectIndex = all.indexOf(select);
    assert.ok(
      ups.every((s) => all.indexOf(s) > selectIndex),
      "stacks are selected before any pulumi up",
    );
    // The first dr deploy leaves the replica out only on the first deploy; the second adds it then.
    assert.equal(ups[0].env?.FIRST_DEPLOY, "${{ steps.stacks.outputs.first }}");
    assert.match(
      ups[0].run!,
      /if \[ "\$FIRST_DEPLOY" = true \]; then\n\s+first=\(--config-path --config loglake:metastore\.crossRegionReplica\.create=false\)/,
    );
    assert.equal((ups[2] as Step & { if?: string }).if, "${{ steps.stacks.outputs.first == 'true' }}");
    assert.match(ups[2].run!, /--config-path --config loglake:metastore\.crossRegionReplica\.create=true/);
    assert.match(select.run!, /pulumi stack output --stack .*prod" metastoreInstanceArn/);
  });

  it("pin every action to a commit, with the version it is in a comment", () => {
    for (const file of workflowFiles) {
      const text = fs.readFileSync(path.join(workflowDir, file), "utf8");
      for (const m of text.matchAll(/uses:\s*(\S+)(.*)/g)) {
        assert.match(m[1], /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${file}: ${m[1]} is pinned to a commit`);
        assert.match(m[2], /# v\d+\.\d+\.\d+$/, `${file}: ${m[1]} names its version`);
      }
    }
  });

  it("post one PR comment, updated in place (a sticky comment under a fixed header)", () => {
    const pr = workflows.get("pull-request.yml")!;
    const comments = steps(pr).filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"));
    assert.equal(comments.length, 1);
    assert.equal(comments[0].with?.header, "loglake-plan");
    assert.notEqual(comments[0].with?.recreate, true, "updated, not deleted and posted again");
    assert.match(pr.jobs.plan.steps!.map((s) => s.run ?? "").join("\n"), /--diff .* --markdown/);
    assert.match(pr.jobs.plan.steps!.map((s) => s.run ?? "").join("\n"), /npm run --silent plan -- --fresh-account/);
  });

  it("github-script steps are valid JavaScript", () => {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => unknown;
    const scripts = allSteps.filter((s) => s.uses?.startsWith("actions/github-script@"));
    assert.ok(scripts.length > 0);
    for (const s of scripts) {
      // actions/github-script wraps the script in an async function with these arguments.
      assert.doesNotThrow(
        () => new AsyncFunction("require", "github", "context", "core", "glob", "io", "exec", String(s.with?.script)),
        s.name,
      );
    }
  });
});
