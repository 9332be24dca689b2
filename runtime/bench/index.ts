// `npm run bench`: runs every runtime/bench/*.bench.ts in its own process, one after another, so
// benchmarks never compete for the two cores. Exits non-zero if any benchmark failed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith(".bench.ts"))
  .sort();
const failed: string[] = [];
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, file)], { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    process.stdout.write(`=== ${file}: done in ${seconds} s ===\n`);
  } else {
    failed.push(file);
    process.stdout.write(`=== ${file}: FAILED (${result.signal ?? `exit ${result.status}`}) after ${seconds} s ===\n`);
  }
}
if (benches.length === 0) process.stdout.write("no benchmarks found\n");
if (failed.length > 0) {
  process.stderr.write(`failed benchmarks: ${failed.join(", ")}\n`);
  process.exitCode = 1;
}
