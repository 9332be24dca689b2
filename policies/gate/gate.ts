import { Diagnostic, EnforcementLevel, PackInfo, PolicyAnalyzer, PolicySettings } from "./analyzer";
import { analyzable, GateResource, providersByUrn } from "./resources";

/** One diagnostic with the resource it is about. */
export interface Finding {
  policy: string;
  /** What the policy requires. */
  description: string;
  enforcementLevel: EnforcementLevel;
  /** What is wrong with the resource and how to fix it. */
  message: string;
  urn?: string;
  resourceType?: string;
  resourceName?: string;
}

/** The verdict on one target (a stack, a state export or a resource list). */
export interface Verdict {
  target: string;
  pack: { name: string; version: string };
  resources: number;
  findings: Finding[];
  mandatory: number;
  advisory: number;
}

/**
 * Evaluates resources against a running pack the way the engine does during a preview: Analyze for
 * each resource (what `pulumi preview` reports per resource), then one AnalyzeStack with the graph.
 */
export async function evaluate(
  analyzer: PolicyAnalyzer,
  pack: PackInfo,
  target: {
    name: string;
    project?: string;
    stack?: string;
    resources: GateResource[];
    settings: Record<string, PolicySettings>;
  },
): Promise<Verdict> {
  await analyzer.configure(target.settings);
  await analyzer.configureStack({
    project: target.project ?? "loglake",
    stack: target.stack ?? target.name,
    dryRun: true,
  });
  const providers = providersByUrn(target.resources);
  const resources = target.resources.filter(analyzable);
  const perResource = await Promise.all(resources.map((r) => analyzer.analyze(r, providers)));
  const stack = await analyzer.analyzeStack(resources, providers);
  const byUrn = new Map(target.resources.map((r) => [r.urn, r]));
  const findings = [...perResource.flat(), ...stack].map((d: Diagnostic) => {
    const resource = d.urn ? byUrn.get(d.urn) : undefined;
    // The framework prefixes each violation with the policy's description; the finding keeps the violation.
    const message = d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message;
    return {
      policy: d.policyName,
      description: d.description,
      enforcementLevel: d.enforcementLevel,
      message,
      urn: d.urn,
      resourceType: resource?.type,
      resourceName: resource?.name,
    };
  });
  return {
    target: target.name,
    pack: { name: pack.name, version: pack.version },
    resources: resources.length,
    findings,
    mandatory: findings.filter((f) => f.enforcementLevel === "mandatory").length,
    advisory: findings.filter((f) => f.enforcementLevel === "advisory").length,
  };
}

/** Human-readable verdict: findings grouped by policy, each with its resource. */
export function renderVerdict(verdict: Verdict): string {
  const lines = [
    `${verdict.target}: ${verdict.pack.name}@${verdict.pack.version} checked ${verdict.resources} resources`,
  ];
  const byPolicy = new Map<string, Finding[]>();
  for (const f of verdict.findings) byPolicy.set(f.policy, [...(byPolicy.get(f.policy) ?? []), f]);
  const order = [...byPolicy.entries()].sort(([a, fa], [b, fb]) => rank(fa) - rank(fb) || a.localeCompare(b));
  for (const [policy, findings] of order) {
    lines.push(
      `  ${findings[0].enforcementLevel === "mandatory" ? "✗" : "!"} ${policy} (${findings[0].enforcementLevel})`,
    );
    for (const f of findings) {
      // Framework notes ("can't run policy during preview") do not name the resource themselves.
      const resource =
        f.resourceName && !f.message.includes(`"${f.resourceName}"`) ? `${f.resourceType} "${f.resourceName}": ` : "";
      lines.push(`      ${resource}${f.message}`);
    }
  }
  lines.push(`  ${verdict.mandatory} mandatory violation(s), ${verdict.advisory} advisory.`);
  return lines.join("\n");
}

const rank = (findings: Finding[]) => (findings[0].enforcementLevel === "mandatory" ? 0 : 1);
