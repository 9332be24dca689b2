/**
 * What a component's or a config section's check found wrong, in one shape: the path of the setting
 * (as both the Args and the config section spell it) and what AWS or loglake allows there.
 */
export interface Problem {
  /** Path of the setting, e.g. ["spark", "instanceTypes", 1]. */
  path: (string | number)[];
  message: string;
}

/** "spark.instanceTypes[1]": the path as a reader types it in config. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

/** "spark.instanceTypes[1]: …" lines. */
export function problemLines(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${keyPath(p.path)}: ${p.message}`);
}

/** A component refused its args before registering anything; the message lists every problem. */
export class InvalidArgsError extends Error {
  constructor(
    component: string,
    name: string,
    readonly problems: Problem[],
  ) {
    super(`${component} ${name}: invalid args:\n  ${problemLines(problems).join("\n  ")}`);
    this.name = "InvalidArgsError";
  }
}

/** Throws InvalidArgsError when there is anything in `problems`. */
export function refuseProblems(component: string, name: string, problems: Problem[]): void {
  if (problems.length > 0) throw new InvalidArgsError(component, name, problems);
}
