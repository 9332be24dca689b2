import Ajv, { ValidateFunction } from "ajv";
import { EnforcementLevel, PackInfo, PolicySettings } from "./analyzer";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * The `--policy-pack-config` file format: policy name (or "all") → an enforcement level, or an
 * object with an optional `enforcementLevel` and the policy's config properties.
 */
export type PackConfigFile = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export class PackConfigError extends Error {}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
/** Compiled validators by schema text: compiling is the slow part, and packs repeat their schemas. */
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: { properties: Record<string, unknown>; required: string[] }): ValidateFunction {
  const full = {
    type: "object",
    properties: schema.properties,
    required: schema.required,
    additionalProperties: false,
  };
  const key = JSON.stringify(full);
  if (!validators.has(key)) validators.set(key, ajv.compile(full));
  return validators.get(key)!;
}

/**
 * Every policy's effective level and properties, computed as the Pulumi CLI does before it calls
 * Configure: the policy's own level, overridden by "all", overridden by the policy's entry;
 * properties are the schema defaults overridden by the entry, validated against the schema.
 * Unlike the CLI, an entry naming no policy of the pack is an error, so a typo cannot silently
 * leave a policy at its default.
 */
export function resolvePackConfig(pack: PackInfo, file: PackConfigFile = {}): Record<string, PolicySettings> {
  const problems: string[] = [];
  const names = new Set(pack.policies.map((p) => p.name));
  for (const key of Object.keys(file)) {
    if (key !== "all" && !names.has(key))
      problems.push(`"${key}" is not a policy of ${pack.name} (policies: ${[...names].join(", ")})`);
  }
  const levelOf = (entry: unknown): EnforcementLevel | undefined => {
    const level =
      typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | undefined)?.enforcementLevel;
    if (level === undefined) return undefined;
    if (!LEVELS.includes(level as EnforcementLevel)) {
      problems.push(`enforcement level "${String(level)}" is not one of ${LEVELS.join(", ")}`);
      return undefined;
    }
    return level as EnforcementLevel;
  };
  const all = levelOf(file.all);
  const settings: Record<string, PolicySettings> = {};
  for (const policy of pack.policies) {
    const entry = file[policy.name];
    const { enforcementLevel: _level, ...given } = typeof entry === "object" && entry !== null ? entry : {};
    const properties: Record<string, unknown> = structuredClone(given);
    if (policy.configSchema) {
      const validate = validatorFor(policy.configSchema);
      if (!validate(properties)) {
        for (const e of validate.errors ?? [])
          problems.push(
            `${policy.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
          );
      }
    } else if (Object.keys(properties).length > 0) {
      problems.push(`${policy.name} takes no configuration, got ${Object.keys(properties).join(", ")}`);
    }
    settings[policy.name] = { enforcementLevel: levelOf(entry) ?? all ?? policy.enforcementLevel, properties };
  }
  if (problems.length > 0) throw new PackConfigError(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
  return settings;
}
