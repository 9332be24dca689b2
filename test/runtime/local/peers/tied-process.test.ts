import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tiedSpawn } from "../../../../runtime/local/peers/tied-process";

/** Whether a process with exactly this command line runs (Linux /proc). */
function running(commandLine: string): boolean {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim() === commandLine;
      } catch {
        return false; // exited since the listing
      }
    });
}

async function gone(commandLine: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (running(commandLine)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("tiedSpawn (the peers' processes)", () => {
  it("reports a peer that exits by itself, with its exit code", async () => {
    const peer = tiedSpawn("sh", ["-c", "exit 3"]);
    const [code] = (await peer.exited) as [number];
    assert.equal(code, 3);
  });

  it("stops a running peer on stop()", async () => {
    const peer = tiedSpawn("sleep", ["3017"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(running("sleep 3017"), "the peer started");
    await peer.stop();
    assert.ok(await gone("sleep 3017"), "the peer is stopped");
  });

  it("kills the peer when the process that started it dies by SIGKILL", async () => {
    const module = join(__dirname, "../../../../runtime/local/peers/tied-process.ts");
    const parent = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `require(${JSON.stringify(module)}).tiedSpawn("sleep", ["3018"]); setInterval(() => {}, 1000);`,
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 20_000;
    while (!running("sleep 3018") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(running("sleep 3018"), "the peer started");
    parent.kill("SIGKILL");
    await once(parent, "exit");
    assert.ok(await gone("sleep 3018"), "the peer outlived its parent");
  });
});
