import { Command, InvalidArgumentError } from "commander";

/**
 * Runs `loglake` with the given subcommands: the full CLI (runtime/cli.ts) and the lake writer's
 * image, whose bundle holds only `sink` (runtime/sink/main.ts), share the program's setup and errors.
 */
export function runCli(description: string, registrars: ((program: Command) => void)[]): void {
  const program = new Command("loglake").description(description).showHelpAfterError();
  for (const register of registrars) register(program);
  program.parseAsync(process.argv).catch((error: Error) => {
    process.stderr.write(`loglake: ${error.message}\n`);
    process.exitCode = 1;
  });
}

/** commander argument parser for positive integers. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a positive integer`);
  return parsed;
}

/** commander argument parser for positive numbers (fractions allowed). */
export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a positive number`);
  return parsed;
}

/** commander argument parser for a TCP port, where 0 means "off". */
export function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a port from 0 (off) to 65535`);
  return parsed;
}

export function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** Units per second over an elapsed time in milliseconds. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
}
