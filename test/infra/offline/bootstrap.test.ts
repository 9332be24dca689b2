import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { freeTypes, pricedTypes } from "../../../infra/offline/cost-model";
import { planBootstrap } from "../../../infra/offline/bootstrap";
import { valueOf } from "../../../infra/offline/engine";

const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const run = (script: string, args: string[]) => promisify(execFile)(tsx, [script, ...args], { cwd: root });

describe("the account bootstrap, planned offline", function () {
  this.timeout(300_000);
  let planned: Awaited<ReturnType<typeof planBootstrap>>;
  before(async () => {
    planned = await planBootstrap();
  });

  it("creates the state backend, the Auto Scaling role and the CI roles, under a provider pinned to the account", async () => {
    const { resources, result } = planned;
    const provider = resources.find((r) => r.type === "pulumi:providers:aws")!;
    // Providers receive their object inputs as JSON.
    assert.deepEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), ["123456789012"]);
    const components = resources.filter((r) => r.type.startsWith("loglake:")).map((r) => r.type);
    assert.deepEqual(components.sort(), [
      "loglake:account:GitHubCiAccess",
      "loglake:account:ServiceLinkedRoles",
      "loglake:account:StateBackend",
    ]);
    assert.match(
      String(await valueOf(result.backendUrl)),
      /^s3:\/\/loglake-pulumi-state-123456789012-eu-west-1\?region=eu-west-1&awssdk=v2$/,
    );
    assert.equal(await valueOf(result.secretsProvider), "awskms://alias/loglake-pulumi-secrets?region=eu-west-1");
  });

  it("holds only types the cost model prices or lists as free", async () => {
    const known = new Set<string>([...pricedTypes, ...Object.keys(freeTypes)]);
    const unknown = planned.resources.map((r) => r.type).filter((t) => !known.has(t) && !t.startsWith("loglake:"));
    assert.deepEqual([...new Set(unknown)], []);
  });

  it("npm run plan -- bootstrap prints its tree", async () => {
    const { stdout } = await run("infra/offline/plan.ts", ["bootstrap"]);
    assert.match(stdout, /loglake-pulumi-state \(aws:s3\/bucket:Bucket\) \[protected, retained\]/);
    assert.match(stdout, /resources would be registered in stack bootstrap/);
  });

  it("npm run verify -- bootstrap finds no mandatory violation", async () => {
    const { stdout } = await run("policies/gate/verify.ts", ["bootstrap"]);
    assert.match(stdout, /stack bootstrap: .*\n\s+0 mandatory violation\(s\)/);
  });
});
