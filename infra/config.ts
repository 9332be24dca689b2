import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { namePrefixProblem } from "../components/shared/aws-limits";
import { keyPath } from "../components/shared/problems";
import { awsRegion, Environment, environments } from "./settings/common";
import { budgetSection } from "./settings/budget";
import { computeSection } from "./settings/compute";
import { hiveSection } from "./settings/hive";
import { kafkaSection } from "./settings/kafka";
import { keysSection } from "./settings/keys";
import { lakeSection } from "./settings/lake";
import { lakeWriterSection } from "./settings/lake-writer";
import { metastoreSection } from "./settings/metastore";
import { monitoringSection } from "./settings/monitoring";
import { networkSection } from "./settings/network";
import { pipelineSection } from "./settings/pipeline";
import { usageSection } from "./settings/usage";

/**
 * The single place that reads `pulumi.Config`. It merges each section over its environment's
 * defaults, validates the whole stack config, and hands the program plain typed objects. Nothing is
 * registered until this has passed, so bad input never leaves a half-created stack.
 */

const tagValue = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "letters, digits, spaces and _ . : / = + - @");

/** Tags on every taggable resource, through the AWS provider's defaultTags (the bootstrap's too). */
export const tagsSchema = z
  .object({
    owner: tagValue.describe("Team that owns the platform (required tag)."),
    environment: tagValue.describe("Defaults to the environment (required tag)."),
    "cost-center": tagValue.describe("Cost center billed (required tag)."),
    "data-classification": z
      .enum(["public", "internal", "confidential", "restricted"])
      .describe("Sensitivity of the logs (required tag)."),
  })
  .catchall(tagValue.describe("Further tags on every resource."))
  .refine((t) => Object.keys(t).every((k) => k.length <= 128 && !k.toLowerCase().startsWith("aws:")), {
    message: "tag keys are at most 128 characters and may not start with aws:",
  });

/** Every config section, in the order the generated reference lists them. */
const sections = [
  networkSection,
  keysSection,
  lakeSection,
  kafkaSection,
  computeSection,
  lakeWriterSection,
  metastoreSection,
  hiveSection,
  pipelineSection,
  monitoringSection,
  budgetSection,
  usageSection,
] as const;
type SectionSchemas = { [S in (typeof sections)[number] as S["key"]]: S["schema"] };
const sectionSchemas = Object.fromEntries(sections.map((s) => [s.key, s.schema])) as SectionSchemas;

export const configSchema = z
  .strictObject({
    environment: z
      .enum(environments)
      .describe("What the stack is for: dev, prod, or dr (the standby platform in the DR region)."),
    prefix: z
      .string()
      .superRefine((prefix, ctx) => {
        const problem = namePrefixProblem(prefix);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .describe("Prefix of every physical name (buckets, keys' aliases, clusters): lower case, 3 to 20 characters."),
    region: awsRegion.describe("The region this stack deploys into."),
    drRegion: awsRegion.optional().describe("The disaster-recovery region (replicas and the standby platform)."),
    tags: tagsSchema,
    protectStatefulResources: z
      .boolean()
      .describe("protect and retainOnDelete on stateful resources (buckets, keys, databases, clusters, secrets)."),
    ...sectionSchemas,
  })
  .superRefine(
    (config, ctx) => {
      for (const section of sections) {
        for (const problem of section.problems?.(config) ?? [])
          ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
      }
      if (config.drRegion === config.region) {
        ctx.addIssue({
          code: "custom",
          path: ["drRegion"],
          message: "the DR region must differ from the stack's region",
        });
      }
      if (config.lake.replication.enabled && !config.drRegion) {
        ctx.addIssue({
          code: "custom",
          path: ["lake", "replication", "enabled"],
          message: "replication needs loglake:drRegion",
        });
      }
    },
    // Checks across sections read settings that must already be valid; a bad AZ count would
    // otherwise also be reported as a bad broker layout.
    { when: (payload) => payload.issues.length === 0 },
  );

export type LoglakeConfig = z.infer<typeof configSchema> & { stack: string };

/** What a stack of this environment gets for every key it leaves out. */
export function configDefaults(environment: Environment, raw: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    environment,
    tags: { environment },
    protectStatefulResources: environment !== "dev",
  };
  for (const section of sections) defaults[section.key] = section.defaults(environment, raw[section.key]);
  return defaults;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack config:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Objects merge key by key; arrays and scalars from the stack replace the default. */
function merge(defaults: unknown, value: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (value === undefined) return defaults;
  if (!isObject(defaults) || !isObject(value)) return value;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(value)) merged[k] = merge(defaults[k], v);
  return merged;
}

function at(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v === null || typeof v !== "object" ? undefined : (v as Record<PropertyKey, unknown>)[k]),
    value,
  );
}

const shown = (value: unknown) => (value === undefined ? "(not set)" : JSON.stringify(value));

/**
 * Validates raw stack config (the values below the `loglake:` namespace) for a stack. Exported apart
 * from `loadConfig` so tests and tools can validate a stack file without the Pulumi runtime.
 */
export function parseConfig(stack: string, raw: Record<string, unknown>): LoglakeConfig {
  const environment = (raw.environment ?? stack) as Environment;
  if (!environments.includes(environment)) {
    throw new ConfigError([
      `loglake:environment = ${shown(raw.environment)}: must be one of ${environments.join(", ")} (stack ${stack} is not named after one, so set it)`,
    ]);
  }
  const input = merge(configDefaults(environment, raw), { ...raw, environment }) as Record<string, unknown>;

  const result = configSchema.safeParse(input);
  if (!result.success) throw configError("loglake", result.error, input);
  return { ...result.data, stack };
}

/** One line per issue: the key under its namespace, the value it had and what is wrong. */
export function configError(namespace: string, error: z.ZodError, input: unknown): ConfigError {
  return new ConfigError(
    error.issues.map((issue) => {
      const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
      return `${namespace}:${keyPath(path)} = ${shown(at(input, path))}: ${issue.code === "unrecognized_keys" ? `not a setting ${namespace} knows` : issue.message}`;
    }),
  );
}

/**
 * The `loglake:` keys of flat Pulumi config ("loglake:key" → text, structured values as JSON), every
 * one of them, so a misspelt key is refused rather than ignored.
 */
export function loglakeKeys(flat: Record<string, string>): Record<string, unknown> {
  return namespacedKeys(flat, "loglake");
}

/** The keys of one config namespace (a project's own: `loglake`, `loglake-bootstrap`), parsed. */
export function namespacedKeys(flat: Record<string, string>, namespace: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key.startsWith(`${namespace}:`)) raw[key.slice(namespace.length + 1)] = parseValue(value);
  }
  return raw;
}

/** The language host passes structured values as JSON and scalars as plain text. */
function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Reads and validates the current stack's config. */
export function loadConfig(): LoglakeConfig {
  return parseConfig(pulumi.getStack(), loglakeKeys(pulumi.runtime.allConfig()));
}
