import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { configDefaults, configSchema } from "../config";
import { Environment, environments } from "../settings/common";

/**
 * README's config reference, generated from the config schema and the per-environment defaults, so
 * the table cannot drift from what `infra/config.ts` accepts. `npm run docs` rewrites it; a test
 * fails when README's copy is stale.
 */

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  description?: string;
};

interface Row {
  key: string;
  path: string[];
  allowed: string;
  required: boolean;
  description: string;
  /** For a field of one variant of a union: the discriminator's path and this variant's value. */
  variant?: { path: string[]; value: unknown };
}

/** JSON Schema renders zod's int() as the safe-integer range; that is no bound worth printing. */
const bound = (n: number | undefined) => (n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n);

function allowed(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${v}\``).join(", ");
  if (schema.anyOf) return schema.anyOf.map(allowed).join(" or ");
  if (schema.type === "array") {
    const min = schema.minItems ? ` (at least ${schema.minItems})` : "";
    return `list of ${allowed(schema.items ?? {})}${min}`;
  }
  if (schema.type === "integer" || schema.type === "number") {
    const [min, max] = [bound(schema.minimum), bound(schema.maximum)];
    const range = min !== undefined && max !== undefined ? ` ${min}–${max}` : min !== undefined ? ` ≥ ${min}` : "";
    return `${schema.type}${range}`;
  }
  if (schema.type === "object") return "object";
  return schema.type ?? "any";
}

function rows(schema: JsonSchema, key: string, path: string[], required: boolean, variant?: Row["variant"]): Row[] {
  const variants = schema.oneOf ?? (schema.anyOf?.every((s) => s.type === "object") ? schema.anyOf : undefined);
  if (variants) {
    const seen = new Set<string>();
    return variants.flatMap((option) => {
      const [name, discriminator] =
        Object.entries(option.properties ?? {}).find(([, p]) => p.const !== undefined) ?? [];
      const own = rows(
        option,
        key,
        path,
        required,
        name ? { path: [...path, name], value: discriminator!.const } : undefined,
      );
      // Fields every variant shares are documented once, with the first variant.
      const fresh = own.filter((row) => row.path.at(-1) === name || !seen.has(row.key));
      own.forEach((row) => seen.add(row.key));
      return fresh;
    });
  }
  if (schema.type === "object" && schema.properties) {
    const entries = Object.entries(schema.properties);
    // Siblings with one shape (the five buckets' lifecycles) are documented once.
    if (entries.length > 2 && entries.every(([, s]) => isDeepStrictEqual(s, entries[0][1]))) {
      const names = entries.map(([n]) => n).join("\\|");
      return rows(entries[0][1], `${key}.<${names}>`, [...path, "*"], required, variant);
    }
    const own = entries.flatMap(([name, child]) =>
      rows(
        child,
        key ? `${key}.${name}` : name,
        [...path, name],
        required && (schema.required ?? []).includes(name),
        variant,
      ),
    );
    if (typeof schema.additionalProperties === "object") {
      own.push({
        key: `${key}.<any>`,
        path: [...path, "<any>"],
        allowed: allowed(schema.additionalProperties),
        required: false,
        description: "further entries",
      });
    }
    return own;
  }
  return [{ key, path, allowed: allowed(schema), required, description: schema.description ?? "", variant }];
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (v, part) => (v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined),
    value,
  );
}

function defaultAt(environment: Environment, row: Row): string {
  if (row.path.includes("*")) return "per bucket, see below";
  const defaults = configDefaults(environment);
  // A variant the environment does not default to has no defaults of its own.
  if (row.variant && valueAt(defaults, row.variant.path) !== row.variant.value) return "";
  const value = valueAt(defaults, row.path);
  return value === undefined ? "" : `\`${JSON.stringify(value)}\``;
}

export function configReference(): string {
  const schema = z.toJSONSchema(configSchema, { unrepresentable: "any" }) as JsonSchema;
  const header = `| key | allowed | ${environments.join(" | ")} | what it does |\n|---|---|${environments.map(() => "---").join("|")}|---|`;
  const lines = rows(schema, "", [], true).map((row) => {
    const isDiscriminator = row.variant && isDeepStrictEqual(row.variant.path, row.path);
    const defaults = environments.map(
      (e) => defaultAt(e, row) || (row.required && !isDiscriminator ? "**required**" : "—"),
    );
    return `| \`loglake:${row.key}\` | ${row.allowed} | ${defaults.join(" | ")} | ${row.description.replace(/\|/g, "\\|")} |`;
  });
  return [header, ...lines].join("\n");
}

const readme = path.resolve(__dirname, "../../README.md");
const begin = "<!-- config-reference:begin (generated by npm run docs) -->";
const end = "<!-- config-reference:end -->";

/** README's text with the generated reference between its markers. */
export function readmeWithReference(text: string): string {
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} markers`);
  return `${text.slice(0, from + begin.length)}\n${configReference()}\n${text.slice(to)}`;
}

if (require.main === module) {
  fs.writeFileSync(readme, readmeWithReference(fs.readFileSync(readme, "utf8")));
  console.log("README.md config reference regenerated");
}
