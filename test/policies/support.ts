import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PolicyAnalyzer } from "../../policies/gate/analyzer";
import { evaluate, Finding, Verdict } from "../../policies/gate/gate";
import { PackConfigFile, resolvePackConfig } from "../../policies/gate/pack-config";
import { GateResource } from "../../policies/gate/resources";

export const PACK_DIR = path.join(__dirname, "..", "..", "policies", "security");

let running: Promise<PolicyAnalyzer> | undefined;

/**
 * The security pack, started once per test run the way the Pulumi CLI starts it (it type-checks
 * itself for a few seconds) and shared by every policy suite; each evaluation reconfigures it.
 */
export function securityPack(): Promise<PolicyAnalyzer> {
  running ??= PolicyAnalyzer.start(PACK_DIR);
  return running;
}

// Registered while spec files load, so it is a root hook: it runs once, after every suite.
after(async () => {
  if (running) (await running).close();
  running = undefined;
});

/** A resource of a test case; `dependsOn` and `parent` name other resources of the case. */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  dependsOn?: string[];
  parent?: string;
  /** Name of a `pulumi:providers:aws` resource of the case managing this one. */
  provider?: string;
}

const urnOf = (r: { type: string; name: string }) => `urn:pulumi:test::loglake::${r.type}::${r.name}`;

/** The resources as the engine would describe them, with URNs and the graph edges resolved. */
export function graph(resources: TestResource[]): GateResource[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const ref = (name: string) => {
    const target = byName.get(name);
    assert.ok(target, `test case refers to "${name}", which it does not define`);
    return urnOf(target);
  };
  return resources.map((r) => ({
    urn: urnOf(r),
    type: r.type,
    name: r.name,
    props: r.props,
    parent: r.parent && ref(r.parent),
    dependencies: (r.dependsOn ?? []).map(ref),
    propertyDependencies: {},
    provider: r.provider && `${ref(r.provider)}::${r.provider}-id`,
    custom: true,
    options: {},
  }));
}

/** Runs the pack over the resources through the analyzer protocol, with an optional pack config. */
export async function check(resources: TestResource[] | GateResource[], config: PackConfigFile = {}): Promise<Verdict> {
  const analyzer = await securityPack();
  const pack = await analyzer.info();
  const settings = resolvePackConfig(pack, config);
  const described =
    resources.length > 0 && "urn" in resources[0] ? (resources as GateResource[]) : graph(resources as TestResource[]);
  return evaluate(analyzer, pack, { name: "test", resources: described, settings });
}

const show = (findings: Finding[]) =>
  findings.map((f) => `${f.policy} [${f.enforcementLevel}] ${f.message}`).join("\n    ") || "none";

/**
 * One policy's spec: each compliant case yields no finding of the policy, each violation yields a
 * mandatory one whose message names the offending resource and says how to fix it.
 */
export function policyCases(
  policy: string,
  cases: {
    /** Resources, or resources with the pack config of the stack they come from. */
    compliant: Record<string, TestResource[] | { resources: TestResource[]; config: PackConfigFile }>;
    violations: Record<string, { resources: TestResource[]; offender: string; config?: PackConfigFile; says?: RegExp }>;
  },
): void {
  describe(policy, () => {
    for (const [title, compliant] of Object.entries(cases.compliant)) {
      it(`accepts ${title}`, async () => {
        const { resources, config } = Array.isArray(compliant) ? { resources: compliant, config: {} } : compliant;
        const found = (await check(resources, config)).findings.filter((f) => f.policy === policy);
        assert.deepEqual(found, [], `${policy} flagged a compliant case:\n    ${show(found)}`);
      });
    }
    for (const [title, violation] of Object.entries(cases.violations)) {
      it(`refuses ${title}`, async () => {
        const verdict = await check(violation.resources, violation.config);
        const found = verdict.findings.filter((f) => f.policy === policy);
        assert.ok(found.length > 0, `${policy} did not flag the case; findings were:\n    ${show(verdict.findings)}`);
        const f = found.find((f) => f.message.includes(`"${violation.offender}"`));
        assert.ok(f, `no ${policy} finding names "${violation.offender}":\n    ${show(found)}`);
        assert.equal(f.enforcementLevel, "mandatory");
        assert.match(f.message, /Fix: \S/, "the message does not say how to fix it");
        if (violation.says) assert.match(f.message, violation.says);
      });
    }
  });
}
