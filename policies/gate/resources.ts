import type { RegisteredResource } from "../../infra/offline/engine";

/** A resource as the gate hands it to the analyzer: what the engine knows at preview or in state. */
export interface GateResource {
  urn: string;
  type: string;
  name: string;
  /** Inputs at preview; in a state export, the outputs (inputs when a resource has no outputs). */
  props: Record<string, unknown>;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** Provider reference "<provider urn>::<provider id>". */
  provider?: string;
  custom: boolean;
  options: {
    protect?: boolean;
    ignoreChanges?: string[];
    additionalSecretOutputs?: string[];
    deleteBeforeReplace?: boolean;
  };
}

const STACK_TYPE = "pulumi:pulumi:Stack";
const isProvider = (type: string) => type.startsWith("pulumi:providers:");

/** Resources the engine sends to Analyze: everything a program declares except providers and the root stack. */
export const analyzable = (r: GateResource) => !isProvider(r.type) && r.type !== STACK_TYPE;

/** Providers by URN, to attach to the resources they manage. */
export const providersByUrn = (resources: GateResource[]) =>
  new Map(resources.filter((r) => isProvider(r.type)).map((r) => [r.urn, r]));

/** From a program run under the offline engine (`npm run plan`'s engine). */
export function fromOfflineRun(resources: RegisteredResource[]): GateResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: r.inputs,
    parent: r.parent,
    dependencies: r.options.dependsOn,
    propertyDependencies: {},
    provider: r.options.provider,
    custom: r.custom,
    options: {
      protect: r.options.protect,
      ignoreChanges: r.options.ignoreChanges,
      additionalSecretOutputs: r.options.additionalSecretOutputs,
      deleteBeforeReplace: r.options.deleteBeforeReplace,
    },
  }));
}

interface ExportedResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
  delete?: boolean;
  additionalSecretOutputs?: string[];
}

/** The logical name is the URN's last `::` segment. */
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * Secrets in a state export appear as {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext|plaintext};
 * the pack gets the plaintext when the export was made with --show-secrets, else "[secret]".
 */
function revealOrRedact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealOrRedact);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") {
      return typeof obj.plaintext === "string" ? revealOrRedact(JSON.parse(obj.plaintext)) : "[secret]";
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, revealOrRedact(v)]));
  }
  return value;
}

/** From `pulumi stack export` (a deployed stack's state). Resources pending deletion are skipped. */
export function fromStackExport(document: unknown): GateResource[] {
  const resources = (document as { deployment?: { resources?: ExportedResource[] } })?.deployment?.resources;
  if (!Array.isArray(resources))
    throw new Error("not a `pulumi stack export` document: deployment.resources[] is missing");
  return resources
    .filter((r) => !r.delete)
    .map((r) => {
      // AnalyzeStack sees outputs; outputs echo the inputs plus what AWS computed.
      const props = revealOrRedact({ ...(r.inputs ?? {}), ...(r.outputs ?? {}) }) as Record<string, unknown>;
      return {
        urn: r.urn,
        type: r.type,
        name: nameOf(r.urn),
        props: r.id !== undefined && !("id" in props) ? { ...props, id: r.id } : props,
        parent: r.parent || undefined,
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
        provider: r.provider || undefined,
        custom: r.custom ?? true,
        options: { protect: r.protect, additionalSecretOutputs: r.additionalSecretOutputs },
      };
    });
}

/** From a plain list `[{ "type", "name", "props" }]`, e.g. to try a policy on a hand-written resource. */
export function fromResourceList(document: unknown, stack = "resources", project = "loglake"): GateResource[] {
  if (!Array.isArray(document)) throw new Error('a resources file holds a JSON array of { "type", "name", "props" }');
  return document.map((entry, i) => {
    const { type, name, props } = entry as { type?: unknown; name?: unknown; props?: unknown };
    if (typeof type !== "string" || typeof name !== "string")
      throw new Error(`resources[${i}] needs string "type" and "name"`);
    return {
      urn: `urn:pulumi:${stack}::${project}::${type}::${name}`,
      type,
      name,
      props: (props ?? {}) as Record<string, unknown>,
      dependencies: [],
      propertyDependencies: {},
      custom: true,
      options: {},
    };
  });
}
