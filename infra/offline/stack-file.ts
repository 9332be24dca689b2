import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export const stacksDir = path.resolve(__dirname, "../../stacks");

/** The stacks shipped in stacks/ (Pulumi.<name>.yaml). */
export function shippedStacks(): string[] {
  return fs
    .readdirSync(stacksDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

export interface StackFile {
  /** Flat config as the language host passes it: "namespace:key" → string (structured values as JSON). */
  config: Record<string, string>;
  /** Keys whose values are `secure:` ciphertext; offline they stand as a redacted placeholder. */
  secretKeys: string[];
}

/** Reads a stack file (default stacks/Pulumi.<stack>.yaml) the way the Pulumi CLI hands it to the program. */
export function readStackFile(stack: string, file = path.join(stacksDir, `Pulumi.${stack}.yaml`)): StackFile {
  if (!fs.existsSync(file)) {
    throw new Error(
      `no stack file ${path.relative(process.cwd(), file)}; shipped stacks: ${shippedStacks().join(", ")}`,
    );
  }
  const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value && typeof value === "object" && "secure" in value) {
      secretKeys.push(key);
      config[key] = "[secret]";
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}
